package adopt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strings"

	"github.com/circleci-server-pulumi/installer/config"
)

// ConfigSetter sets one stack config value, as `pulumi config set [--secret] key value` does.
type ConfigSetter interface {
	Set(key, value string, secret bool) error
}

// WriteConfig validates the values (with config.Parse, so nothing is
// written when any is bad: the error names the key, what is wrong and what
// is valid) and sets every value, secrets as secrets. extra are keys the
// adoption adds to describe existing objects (e.g. services_ami); they win
// over the tfvars and are reported.
//
// Validation is of the configuration the stack gets when it holds exactly
// these values, defaults for the rest. The one exception is a required
// secret (circle_secret_passphrase) that neither the tfvars nor extra sets:
// it is left to the stack, which may hold it already (ParseTFVars warned
// about it, and pulumi preview refuses the stack until it is set). No other
// rule reads it, so nothing else is validated differently without it; a
// missing aws_vpc_id, by contrast, also makes the bucket name invalid, so
// the other required keys must be set. Keys are set in
// the order of config.Keys; the declared secret keys, and those v.Secret
// names, are set as secrets. Each extra value that replaces a different
// tfvars value adds a line to v.Warnings (that is the report).
func WriteConfig(v *TFVars, extra map[string]string, s ConfigSetter) error {
	file := v.file
	if file == "" {
		file = "the Terraform variables"
	}
	values := map[string]string{}
	fromExtra := map[string]bool{}
	var unknown, overrides []string
	for name, val := range v.Values {
		if _, ok := config.KeyNamed(name); !ok {
			unknown = append(unknown, fmt.Sprintf("%s (from %s)", name, file))
		}
		values[name] = val
	}
	for _, name := range config.SortedKeys(extra) {
		if _, ok := config.KeyNamed(name); !ok {
			unknown = append(unknown, fmt.Sprintf("%s (from the adoption)", name))
		}
		if old, ok := v.Values[name]; ok && old != extra[name] {
			k, _ := config.KeyNamed(name)
			if k.Secret || v.Secret[name] {
				overrides = append(overrides, fmt.Sprintf("%s: the existing installation's value replaces the one in %s", name, file))
			} else {
				overrides = append(overrides, fmt.Sprintf("%s: %q from the existing installation replaces %q from %s", name, extra[name], old, file))
			}
		}
		values[name] = extra[name]
		fromExtra[name] = true
	}
	if len(unknown) > 0 {
		return fmt.Errorf("nothing was set: not keys of this program: %s", strings.Join(unknown, ", "))
	}
	secret := func(name string) bool {
		k, _ := config.KeyNamed(name)
		return k.Secret || v.Secret[name]
	}

	_, _, err := config.Parse(func(name string) (string, bool, bool) {
		val, ok := values[name]
		return val, ok, ok && secret(name)
	})
	var cerr *config.Error
	if err != nil && !errors.As(err, &cerr) {
		return fmt.Errorf("nothing was set: %w", err)
	}
	if cerr != nil {
		var problems []string
		for _, p := range cerr.Problems {
			k, _ := config.KeyNamed(p.Key)
			if _, set := values[p.Key]; !set && k.Required && k.Secret && p.Value == "" {
				continue // left to the stack, as ParseTFVars warned
			}
			line := p.String()
			if fromExtra[p.Key] {
				line += " (set by the adoption from the existing installation)"
			}
			problems = append(problems, line)
		}
		if len(problems) > 0 {
			return fmt.Errorf("%s does not make a valid stack configuration (%d problem%s); nothing was set. Fix the file and run again:\n  - %s",
				file, len(problems), plural(len(problems)), strings.Join(problems, "\n  - "))
		}
	}

	var done []string
	for _, k := range config.Keys {
		val, ok := values[k.Name]
		if !ok {
			continue
		}
		if err := s.Set(k.Name, val, secret(k.Name)); err != nil {
			if len(done) == 0 {
				return fmt.Errorf("nothing was set: %w", err)
			}
			return fmt.Errorf("%w (already set: %s; running the adoption again sets every key again)", err, strings.Join(done, ", "))
		}
		done = append(done, k.Name)
	}
	v.Warnings = append(v.Warnings, overrides...)
	return nil
}

// CLISetter sets values with the pulumi CLI for a stack in a directory:
// Pulumi is the CLI (empty: pulumi on the PATH), Dir the project's
// directory (where Pulumi.yaml is; empty: the current one), Stack the stack.
//
// Strings, numbers, bools and the 1/0 switches:
//
//	pulumi config set --stack <stack> --non-interactive --plaintext <key> -- <value>
//
// Top-level values are stored as strings, which is what config.Parse reads
// (Pulumi.dev.yaml holds "0" and "false" so). --plaintext states the intent,
// so that the CLI's guess at secrets (a key named like "token" with a
// random-looking value) cannot refuse a plain value, and -- lets a value
// start with '-'.
//
// Secrets never appear on a command line, where `ps` would show them:
//
//	pulumi config set --stack <stack> --non-interactive --secret --raw <key>   (value on stdin)
//
// `pulumi config set` reads the value from stdin when none is given and
// stdin is not a terminal (pkg/cmd/pulumi/config/config.go, configSetCmd.Run:
// "Multi-line values may be set by piping a file to standard in"); --raw
// keeps it byte for byte (without it, trailing newlines are stripped).
//
// Maps and lists are stored as YAML objects, as Pulumi.dev.yaml holds tags,
// because Pulumi.yaml declares them object and array and the CLI checks a
// stack's values against that before the program runs: a JSON string at
// the top level stays a string and is refused ("must be of type
// 'object'"). `pulumi config set --path 'tags.team' 1` would store 1 and
// true as a number and a bool (the CLI's help: "When setting the config for
// a path, "true" and "false" are treated as boolean values, and integers
// are treated as numbers"), which a map of strings refuses, and cannot
// write an empty map. So they go through the format of `pulumi config
// --json`, which sets an object value whole:
//
//	pulumi config set-all --stack <stack> --non-interactive --json '{"<key>": {"value": "<JSON>", "objectValue": <JSON>, "secret": false}}'
type CLISetter struct{ Pulumi, Dir, Stack string }

// Set implements ConfigSetter.
func (c CLISetter) Set(key, value string, secret bool) error {
	k, ok := config.KeyNamed(key)
	if !ok {
		return fmt.Errorf("%s is not a key of this program", key)
	}
	if c.Stack == "" {
		return errors.New("no stack to set configuration on")
	}
	args := []string{"config"}
	var stdin string
	switch {
	case k.Kind == config.List || k.Kind == config.Map:
		if secret {
			// Only set-all sets an object whole, and it takes values on its
			// command line.
			return fmt.Errorf("%s: a secret %s cannot be set without showing it on a command line", key, k.Kind)
		}
		var object any
		if err := json.Unmarshal([]byte(value), &object); err != nil || object == nil {
			return fmt.Errorf("%s: %q is not a JSON %s", key, value, k.Kind)
		}
		doc, err := json.Marshal(map[string]any{key: map[string]any{"value": value, "objectValue": object, "secret": false}})
		if err != nil {
			return err
		}
		args = append(args, "set-all", "--stack", c.Stack, "--non-interactive", "--json", string(doc))
	case secret:
		args = append(args, "set", "--stack", c.Stack, "--non-interactive", "--secret", "--raw", key)
		stdin = value
	default:
		args = append(args, "set", "--stack", c.Stack, "--non-interactive", "--plaintext", key, "--", value)
	}
	pulumi := c.Pulumi
	if pulumi == "" {
		pulumi = "pulumi"
	}
	cmd := exec.Command(pulumi, args...)
	cmd.Dir = c.Dir
	cmd.Stdin = strings.NewReader(stdin)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		shown := strings.Join(args, " ")
		if secret {
			shown += " (value on stdin)"
		}
		return fmt.Errorf("%s %s: %v: %s", pulumi, shown, err, strings.TrimSpace(out.String()))
	}
	return nil
}
