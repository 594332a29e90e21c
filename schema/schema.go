// Package schema embeds the JSON Schemas (draft 2020-12) of every document a
// case repository holds. `cases schema export DIR` writes them out; every
// document names its schema in a first-line comment so editors running the
// YAML language server validate as people type.
package schema

import "embed"

// FS holds <kind>.schema.json for every document kind.
//
//go:embed *.schema.json
var FS embed.FS

// BaseURL is where the published schemas live; every schema's $id is
// BaseURL + <kind>.schema.json.
const BaseURL = "https://raw.githubusercontent.com/casesproject/cases/main/schema/"
