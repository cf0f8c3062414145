package adopt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/circleci-server-pulumi/installer/config"
)

// TFVars is a terraform.tfvars read as this program's stack config.
type TFVars struct {
	Values   map[string]string // config key -> value as `pulumi config set` takes it (bools "true"/"false", the 1/0 switches "1"/"0", numbers, JSON for maps and lists)
	Secret   map[string]bool   // keys to set with --secret (the declared secret keys that have a value)
	Warnings []string          // unknown variables (ignored), secrets found in the file, ...

	// file names the tfvars in messages, as it was given.
	file string
}

// LoadTFVars reads a terraform.tfvars (or, by its name, a
// terraform.tfvars.json) file; see ParseTFVars.
func LoadTFVars(path string) (*TFVars, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the Terraform variables: %w", err)
	}
	return ParseTFVars(src, path)
}

// ParseTFVars reads the variables of CircleCI's Terraform installer as the
// stack configuration keys of the same names. filename names the file in
// messages; a name ending in .json is read as JSON (terraform.tfvars.json),
// any other as HCL native syntax. In JSON, as Terraform reads it, a string
// is taken verbatim ("${" starts no template without an evaluation
// context).
//
// The file is a body of attributes, each a literal value: like Terraform,
// which evaluates a tfvars file without variables or functions, anything
// that needs them is an error naming the key, file and line. Each value is
// converted to its key's kind as Terraform converts a variable's value
// (Terraform docs, "Type Constraints", "Conversion of Primitive Types": a
// number or bool is converted to a string, and a string to a number or bool
// "as long as the string contains a valid representation"):
//
//   - string keys take strings, numbers (0.25 becomes "0.25") and bools;
//   - boolean keys take true and false, bare or quoted ("true", as the
//     installer's variables.tf and terraform.tfvars.template write them);
//   - the installer's 1/0 switches (enable_nomad, enable_route) take 1 and
//     0, bare or quoted, and true and false, which Terraform 0.11 (the
//     installer's) passed to count as 1 and 0;
//   - integer keys take whole numbers, bare or quoted ("0", as the template
//     writes desired_builders_count);
//   - map keys (ubuntu_ami, tags) take an object or map of strings, list
//     keys a list of strings, numbers and bools converted as above; both
//     become JSON, as config.Parse reads them.
//
// A variable that is not a key of this program is a warning and ignored.
// An empty (or blank) string for an optional key whose default is empty
// (http_proxy = "", as the template has it) is left out: the default is the
// same value, and the stack file stays as short as one written by hand. For
// any other key it is kept, so that config.Parse refuses it (prefix = ""
// named Terraform's objects without a prefix; the default "circleci" would
// silently name them differently) instead of the default replacing what
// Terraform used. null leaves a key unset, with a warning. Declared secret
// keys (the AWS keys and the passphrase) are marked secret, and a warning
// says to delete them from the file. A required secret (circle_secret_passphrase) that the file leaves
// out is a warning, not an error: Terraform may have had it from TF_VAR_ or
// -var, and it is better set on the stack by hand than written into the
// file. Other required keys that the file leaves out are WriteConfig's
// errors, unless the adoption finds them.
func ParseTFVars(src []byte, filename string) (*TFVars, error) {
	p := hclparse.NewParser()
	var f *hcl.File
	var diags hcl.Diagnostics
	if strings.HasSuffix(filename, ".json") {
		f, diags = p.ParseJSON(src, filename)
	} else {
		f, diags = p.ParseHCL(src, filename)
	}
	if diags.HasErrors() {
		return nil, fmt.Errorf("reading %s: %w", filename, diags)
	}
	attrs, diags := f.Body.JustAttributes()
	if diags.HasErrors() {
		return nil, fmt.Errorf("reading %s: %w", filename, diags)
	}
	list := make([]*hcl.Attribute, 0, len(attrs))
	for _, a := range attrs {
		list = append(list, a)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Range.Start.Byte < list[j].Range.Start.Byte })

	v := &TFVars{Values: map[string]string{}, Secret: map[string]bool{}, file: filename}
	var problems []string
	for _, a := range list {
		k, ok := config.KeyNamed(a.Name)
		if !ok {
			v.Warnings = append(v.Warnings, fmt.Sprintf("%s: %s is not a key of this program; ignored", filename, a.Name))
			continue
		}
		where := fmt.Sprintf("%s (%s:%d)", a.Name, filename, a.Range.Start.Line)
		val, diags := a.Expr.Value(nil)
		if diags.HasErrors() || !val.IsWhollyKnown() {
			problems = append(problems, fmt.Sprintf("%s: not a literal value: %s", where, notLiteral(k, a.Expr, src, diags)))
			continue
		}
		if val.IsNull() {
			v.Warnings = append(v.Warnings, fmt.Sprintf("%s: %s is null; left unset, so its default applies", filename, a.Name))
			continue
		}
		s, err := convertValue(k, val)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", where, err))
			continue
		}
		if strings.TrimSpace(s) == "" && k.Kind == config.String && !k.Required && k.Default == "" {
			continue // the same as the default
		}
		v.Values[k.Name] = s
		if k.Secret {
			v.Secret[k.Name] = true
			v.Warnings = append(v.Warnings, fmt.Sprintf("%s is in %s in plaintext: it is set as a stack secret (encrypted); delete it from the file", k.Name, filename))
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s cannot be adopted (%d problem%s):\n  - %s", filename, len(problems), plural(len(problems)), strings.Join(problems, "\n  - "))
	}
	for _, k := range config.Keys {
		if _, ok := v.Values[k.Name]; k.Required && k.Secret && !ok {
			v.Warnings = append(v.Warnings, fmt.Sprintf("%s is not in %s: unless the stack already has it, set it before pulumi preview: pulumi config set --secret %s", k.Name, filename, k.Name))
		}
	}
	return v, nil
}

// notLiteral says why an expression is not a literal: its text (never for a
// secret key, whose text may hold part of the secret) and HCL's reason.
func notLiteral(k config.Key, expr hcl.Expression, src []byte, diags hcl.Diagnostics) string {
	var reasons []string
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			reasons = append(reasons, d.Summary)
		}
	}
	reason := strings.Join(reasons, "; ")
	r := expr.Range()
	if k.Secret || r.Start.Byte < 0 || r.End.Byte > len(src) || r.Start.Byte >= r.End.Byte {
		return reason + " (a tfvars value is a string, number, bool, list or map, without variables or functions)"
	}
	return fmt.Sprintf("%s (%s; a tfvars value is a string, number, bool, list or map, without variables or functions)", src[r.Start.Byte:r.End.Byte], reason)
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// convertValue converts a literal to the string `pulumi config set` takes
// for a key of k's kind (see ParseTFVars).
func convertValue(k config.Key, val cty.Value) (string, error) {
	found := describe(k, val)
	switch k.Kind {
	case config.String:
		s, err := convert.Convert(val, cty.String)
		if err != nil {
			return "", fmt.Errorf("must be a string, found %s", found)
		}
		return s.AsString(), nil
	case config.Boolean:
		if val.Type() == cty.Bool {
			return strconv.FormatBool(val.True()), nil
		}
		if val.Type() == cty.String && (val.AsString() == "true" || val.AsString() == "false") {
			return val.AsString(), nil
		}
		return "", fmt.Errorf("must be true or false, found %s", found)
	case config.Integer:
		if isSwitch(k) {
			switch {
			case val.Type() == cty.Bool && val.True():
				return "1", nil
			case val.Type() == cty.Bool:
				return "0", nil
			}
			if n, ok := wholeNumber(val); ok && (n == 0 || n == 1) {
				return strconv.FormatInt(n, 10), nil
			}
			return "", fmt.Errorf("must be 1 (on) or 0 (off), found %s", found)
		}
		if n, ok := wholeNumber(val); ok {
			return strconv.FormatInt(n, 10), nil
		}
		return "", fmt.Errorf("must be a whole number, found %s", found)
	case config.List:
		if t := val.Type(); t.IsTupleType() || t.IsListType() || t.IsSetType() {
			if l, err := convert.Convert(val, cty.List(cty.String)); err == nil {
				out := make([]string, 0, l.LengthInt())
				for _, e := range l.AsValueSlice() {
					if e.IsNull() {
						return "", fmt.Errorf("must be a list of strings, found a null element")
					}
					out = append(out, e.AsString())
				}
				return marshal(out)
			}
		}
		return "", fmt.Errorf(`must be a list of strings such as ["10.0.0.0/8"], found %s`, found)
	case config.Map:
		if t := val.Type(); t.IsObjectType() || t.IsMapType() {
			if m, err := convert.Convert(val, cty.Map(cty.String)); err == nil {
				out := map[string]string{}
				for name, e := range m.AsValueMap() {
					if e.IsNull() {
						return "", fmt.Errorf("must be a map of strings, found null for %q", name)
					}
					out[name] = e.AsString()
				}
				return marshal(out)
			}
		}
		return "", fmt.Errorf(`must be a map of strings such as { team = "ci" }, found %s`, found)
	}
	return "", fmt.Errorf("has kind %s, which this command cannot convert", k.Kind)
}

// isSwitch says whether k is one of the Terraform installer's 1/0
// switches: declared integer, read as a bool (config/keys.go, kind:"integer").
func isSwitch(k config.Key) bool {
	f, ok := reflect.TypeFor[config.Config]().FieldByName(k.Field)
	return ok && k.Kind == config.Integer && f.Type.Kind() == reflect.Bool
}

// wholeNumber reads a number, or a string that holds one, as an int.
func wholeNumber(val cty.Value) (int64, bool) {
	n, err := convert.Convert(val, cty.Number)
	if err != nil || val.Type() == cty.Bool {
		return 0, false
	}
	f := n.AsBigFloat()
	if !f.IsInt() {
		return 0, false
	}
	i, acc := f.Int64()
	if acc != 0 || i > math.MaxInt || i < math.MinInt {
		return 0, false
	}
	return i, true
}

// describe renders a value for a message: never a secret's.
func describe(k config.Key, val cty.Value) string {
	t := val.Type()
	switch {
	case k.Secret:
		return "a " + t.FriendlyName()
	case t == cty.String:
		return strconv.Quote(val.AsString())
	case t == cty.Number:
		return val.AsBigFloat().Text('g', -1)
	case t == cty.Bool:
		return strconv.FormatBool(val.True())
	}
	return t.FriendlyName()
}

// marshal writes JSON as `pulumi config set` and config.Parse take it
// (map keys sorted; <, > and & left as they are).
func marshal(v any) (string, error) {
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}
