// Package stackfile reads a committed Pulumi stack file (Pulumi.<stack>.yaml)
// the way the CLI does for a passphrase-encrypted stack, so that tests and
// the offline demo run the exact configuration an administrator would.
package stackfile

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"gopkg.in/yaml.v3"
)

// Config is a stack's configuration: bare key (without the project
// namespace) to value as Pulumi hands it to a program (lists and maps as
// JSON), and which keys are secret.
type Config struct {
	Values  map[string]string
	Secrets map[string]bool
}

// Load reads path and decrypts its secrets with passphrase.
func Load(path, project, passphrase string) (*Config, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var file struct {
		EncryptionSalt string         `yaml:"encryptionsalt"`
		Config         map[string]any `yaml:"config"`
	}
	if err := yaml.Unmarshal(raw, &file); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var crypter config.Crypter
	out := &Config{Values: map[string]string{}, Secrets: map[string]bool{}}
	for full, v := range file.Config {
		key, ok := strings.CutPrefix(full, project+":")
		if !ok {
			continue
		}
		if m, isMap := v.(map[string]any); isMap && len(m) == 1 && m["secure"] != nil {
			if crypter == nil {
				if crypter, err = newCrypter(file.EncryptionSalt, passphrase); err != nil {
					return nil, fmt.Errorf("%s: %w", path, err)
				}
			}
			plain, err := crypter.DecryptValue(context.Background(), fmt.Sprint(m["secure"]))
			if err != nil {
				return nil, fmt.Errorf("%s: decrypting %s: %w", path, key, err)
			}
			out.Values[key], out.Secrets[key] = plain, true
			continue
		}
		switch s := v.(type) {
		case string:
			out.Values[key] = s
		case map[string]any, []any:
			b, err := json.Marshal(v)
			if err != nil {
				return nil, err
			}
			out.Values[key] = string(b)
		default:
			out.Values[key] = fmt.Sprint(v)
		}
	}
	return out, nil
}

// newCrypter rebuilds the passphrase secrets provider's key from the
// stack's salt ("v1:<salt>:<encrypted check word>").
func newCrypter(state, passphrase string) (config.Crypter, error) {
	parts := strings.SplitN(state, ":", 3)
	if len(parts) != 3 || parts[0] != "v1" {
		return nil, fmt.Errorf("unsupported encryptionsalt %q", state)
	}
	salt, err := base64.StdEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, err
	}
	c := config.NewSymmetricCrypterFromPassphrase(passphrase, salt)
	if check, err := c.DecryptValue(context.Background(), parts[2]); err != nil || check != "pulumi" {
		return nil, fmt.Errorf("wrong passphrase for this stack file")
	}
	return c, nil
}
