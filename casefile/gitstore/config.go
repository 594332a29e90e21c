package gitstore

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/go-git/gcfg"
)

// gitConfig holds the merged configuration the way git reads it: system,
// then global (XDG, then ~/.gitconfig), then the repository, later values
// winning. Keys are "section.key" or "section.subsection.key" with section
// and key lower-cased. Include directives are not followed.
type gitConfig map[string][]string

// configFiles lists the files git reads, lowest priority first, honouring
// GIT_CONFIG_NOSYSTEM, GIT_CONFIG_SYSTEM and GIT_CONFIG_GLOBAL.
func configFiles(gitDir string) []string {
	var files []string
	if !parseBool(os.Getenv("GIT_CONFIG_NOSYSTEM"), false) {
		sys := os.Getenv("GIT_CONFIG_SYSTEM")
		if sys == "" {
			sys = "/etc/gitconfig"
		}
		files = append(files, sys)
	}
	if g := os.Getenv("GIT_CONFIG_GLOBAL"); g != "" {
		files = append(files, g)
	} else {
		home, _ := os.UserHomeDir()
		xdg := os.Getenv("XDG_CONFIG_HOME")
		if xdg == "" && home != "" {
			xdg = filepath.Join(home, ".config")
		}
		if xdg != "" {
			files = append(files, filepath.Join(xdg, "git", "config"))
		}
		if home != "" {
			files = append(files, filepath.Join(home, ".gitconfig"))
		}
	}
	return append(files, filepath.Join(gitDir, "config"))
}

func loadConfig(gitDir string) (gitConfig, error) {
	cfg := gitConfig{}
	for _, f := range configFiles(gitDir) {
		data, err := os.ReadFile(f)
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read git config %s: %w", f, err)
		}
		err = gcfg.ReadWithCallback(bytes.NewReader(data), func(sec, sub, key, val string, blank bool) error {
			if key == "" {
				return nil
			}
			k := strings.ToLower(sec) + "."
			if sub != "" {
				k += sub + "."
			}
			k += strings.ToLower(key)
			if blank {
				val = "true" // a bare key is a boolean true for git
			}
			cfg[k] = append(cfg[k], val)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("parse git config %s: %w", f, err)
		}
	}
	return cfg, nil
}

// get returns the last value of key ("" if unset).
func (c gitConfig) get(key string) string {
	v := c[key]
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// isSet reports whether key has a value.
func (c gitConfig) isSet(key string) bool { return len(c[key]) > 0 }

// bool reads key as a git boolean, def when unset or unparsable.
func (c gitConfig) bool(key string, def bool) bool {
	if !c.isSet(key) {
		return def
	}
	return parseBool(c.get(key), def)
}

func parseBool(s string, def bool) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "yes", "on", "1":
		return true
	case "false", "no", "off", "0", "":
		return false
	}
	return def
}
