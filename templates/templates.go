// Package templates embeds the commented templates new documents start
// from, the default configuration and the default needs-assessment
// instrument. A case repository may override any of them with a file of the
// same name under its own templates/ folder.
package templates

import "embed"

// FS holds <kind>.yaml for every document kind, cases.yaml, providers.yaml
// and instruments/<id>.yaml.
//
//go:embed *.yaml instruments/*.yaml
var FS embed.FS
