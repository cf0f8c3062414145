package config

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Getter returns the raw value of a key (named without the project
// namespace), whether the stack sets it, and whether it is stored encrypted.
type Getter func(key string) (value string, set bool, secret bool)

// Load reads and validates the stack configuration of the running program.
// It returns the warnings to show the administrator, or every problem found.
func Load(ctx *pulumi.Context) (*Config, []string, error) {
	project := ctx.Project()
	return Parse(func(key string) (string, bool, bool) {
		full := project + ":" + key
		v, ok := ctx.GetConfig(full)
		return v, ok, ctx.IsConfigSecret(full)
	})
}

// Parse applies defaults to raw values, parses them and validates the result.
// Nothing is created before Parse succeeds, so every problem is reported at
// once rather than one per `pulumi preview`.
func Parse(get Getter) (*Config, []string, error) {
	p := &parser{get: get}
	c := &Config{}
	fields := reflect.ValueOf(c).Elem()
	for _, k := range Keys {
		p.parse(k, fields.Field(k.field))
	}
	v := &validator{problems: p.problems}
	c.validate(v)
	if len(v.problems) > 0 {
		return nil, nil, &Error{Problems: v.problems}
	}
	return c, v.warnings, nil
}

// Problem is one thing wrong with the configuration.
type Problem struct {
	Key     string // the key without the project namespace
	Value   string // the offending value as given; "[secret]" for secrets
	Message string // what is wrong and what would be valid
}

func (p Problem) String() string {
	if p.Value == "" {
		return fmt.Sprintf("%s: %s", p.Key, p.Message)
	}
	return fmt.Sprintf("%s = %q: %s", p.Key, p.Value, p.Message)
}

// Error lists every problem in a stack configuration.
type Error struct{ Problems []Problem }

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invalid stack configuration (%d problem", len(e.Problems))
	if len(e.Problems) != 1 {
		b.WriteString("s")
	}
	b.WriteString("); fix with `pulumi config set <key> <value>`:")
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p.String())
	}
	return b.String()
}

// parser reads raw values, falls back to the declared defaults, and records
// values that are not of the declared kind.
type parser struct {
	get      Getter
	problems []Problem
}

func (p *parser) raw(k Key) string {
	v, set, secret := p.get(k.Name)
	if !set {
		return k.Default
	}
	if k.Secret && !secret && strings.TrimSpace(v) != "" {
		p.fail(k, v, "is stored in plaintext in the stack file; set it with pulumi config set --secret "+k.Name)
	}
	return v
}

func (p *parser) fail(k Key, value, msg string) {
	if k.Secret {
		value = "[secret]"
	}
	p.problems = append(p.problems, Problem{Key: k.Name, Value: value, Message: msg})
}

// parse reads one key into its field of Config. Each kind accepts what the
// Pulumi CLI accepts for the type Pulumi.yaml declares, and nothing more
// (workspace.ValidateConfigValue; TestKeys_ParseAcceptsWhatTheCLIAccepts).
func (p *parser) parse(k Key, field reflect.Value) {
	v := p.raw(k)
	switch k.Kind {
	case String:
		field.SetString(strings.TrimSpace(v))
	case Integer:
		n, err := strconv.Atoi(v)
		switch {
		case err != nil:
			p.fail(k, v, "must be a whole number")
		case field.Kind() == reflect.Bool:
			// A switch of the Terraform installer: count = var.x.
			if n != 0 && n != 1 {
				p.fail(k, v, "must be 1 (on) or 0 (off)")
			}
			field.SetBool(n == 1)
		default:
			field.SetInt(int64(n))
		}
	case Boolean:
		if v != "true" && v != "false" {
			p.fail(k, v, "must be true or false")
		}
		field.SetBool(v == "true")
	case List:
		var out []string
		if err := json.Unmarshal([]byte(v), &out); err != nil || out == nil {
			p.fail(k, v, `must be a list of strings, e.g. ["10.0.0.0/8"] (pulumi config set --path '`+k.Name+`[0]' 10.0.0.0/8)`)
		}
		field.Set(reflect.ValueOf(out))
	case Map:
		var out map[string]string
		if err := json.Unmarshal([]byte(v), &out); err != nil || out == nil {
			p.fail(k, v, `must be a map of strings, e.g. {"team": "ci"} (pulumi config set --path '`+k.Name+`.team' ci)`)
			out = map[string]string{}
		}
		field.Set(reflect.ValueOf(out))
	}
}

// SortedKeys returns a map's keys in order, for deterministic output.
func SortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
