package adopt

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// State is a Terraform state, read from either of the two forms Terraform
// 0.12 and later write: the state file itself (terraform.tfstate, state
// format version 4) or `terraform show -json`.
type State struct {
	TerraformVersion string
	// Objects are the managed resources and data sources, flattened: each
	// instance of a count or for_each resource is an Object of its own.
	Objects []Object
	// Source names the file in messages, as it was given to ParseState.
	Source string
}

// Object is one resource instance of a Terraform state.
type Object struct {
	Mode    string // "managed" or "data"
	Type    string // e.g. aws_instance
	Name    string // e.g. services
	Address string // e.g. aws_instance.services, module.nomad.aws_autoscaling_group.clients_asg[0]
	// Attributes are the instance's attributes as Terraform stored them
	// (JSON values: strings, float64 numbers, bools, []any, map[string]any).
	Attributes map[string]any
}

// Terraform's resource modes.
const (
	ModeManaged = "managed"
	ModeData    = "data"
)

// stateFormatVersion is the state file format this package reads: the one
// Terraform 0.12 introduced and every later release writes.
const stateFormatVersion = 4

// LoadState reads a Terraform state file; see ParseState.
func LoadState(path string) (*State, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the Terraform state: %w", err)
	}
	return ParseState(b, path)
}

// ParseState reads a Terraform state: the state file of Terraform 0.12 or
// later ("version": 4, "terraform_version", "resources"[] with "module",
// "mode", "type", "name" and "instances"[].attributes) or the JSON of
// `terraform show -json` ("format_version", "terraform_version",
// "values".root_module with "resources"[] and "child_modules"[]). filename
// names the file in messages.
//
// It refuses, saying what the file is and what it expects, anything else:
// text that is not JSON, another tool's JSON (a Pulumi state, a plan), the
// state of Terraform 0.11 or older (format version 3 or lower) and a state
// written by a Terraform older than 0.12.
func ParseState(b []byte, filename string) (*State, error) {
	expected := "expected the terraform.tfstate of the installation (Terraform 0.12 or later, state format version 4) or the output of `terraform show -json`"
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		var syntax *json.SyntaxError
		if !json.Valid(b) || errors.As(err, &syntax) {
			what := "is not JSON"
			if looksLikeHCL(b) {
				what = "is not JSON (it looks like HCL: a .tf or .tfvars file?)"
			}
			return nil, fmt.Errorf("%s %s: %s", filename, what, expected)
		}
		return nil, fmt.Errorf("%s is JSON but not an object: %s", filename, expected)
	}

	_, hasDeployment := top["deployment"]
	_, hasCheckpoint := top["checkpoint"]
	if hasDeployment || hasCheckpoint {
		return nil, fmt.Errorf("%s: this is a Pulumi state, not Terraform's (it has %q): %s", filename, firstKey(top, "deployment", "checkpoint"), expected)
	}
	if _, ok := top["planned_values"]; ok {
		return nil, fmt.Errorf("%s is a Terraform plan (terraform show -json <planfile>), not a state: run `terraform show -json` without a plan file, or give the terraform.tfstate", filename)
	}

	var tfVersion string
	if raw, ok := top["terraform_version"]; ok {
		if err := json.Unmarshal(raw, &tfVersion); err != nil {
			return nil, fmt.Errorf("%s: terraform_version is not a string: %s", filename, expected)
		}
	}

	_, hasFormat := top["format_version"]
	rawVersion, hasVersion := top["version"]
	switch {
	case hasFormat && !hasVersion:
		if err := checkTerraformVersion(filename, tfVersion); err != nil {
			return nil, err
		}
		return parseShowJSON(top, tfVersion, filename)
	case hasVersion:
		var version float64
		if err := json.Unmarshal(rawVersion, &version); err != nil {
			return nil, fmt.Errorf("%s: \"version\" is not a number, so this is not a Terraform state: %s", filename, expected)
		}
		_, hasResources := top["resources"]
		_, hasModules := top["modules"]
		if tfVersion == "" && !hasResources && !hasModules {
			return nil, fmt.Errorf("%s is JSON with a \"version\" but neither \"terraform_version\" nor \"resources\": not a Terraform state; %s", filename, expected)
		}
		switch {
		case version < stateFormatVersion:
			v := tfVersion
			if v == "" {
				v = "an unknown version"
			}
			return nil, fmt.Errorf("%s is a Terraform state of format version %g, written by Terraform %s: Terraform 0.11 or older; run terraform 0.12upgrade / upgrade the state first (with Terraform 0.12: terraform init, then terraform apply or terraform refresh, which rewrites it as version %d): %s",
				filename, version, v, stateFormatVersion, expected)
		case version > stateFormatVersion:
			return nil, fmt.Errorf("%s is a Terraform state of format version %g; this tool reads version %d (Terraform 0.12 to 1.x)", filename, version, stateFormatVersion)
		}
		if err := checkTerraformVersion(filename, tfVersion); err != nil {
			return nil, err
		}
		return parseStateV4(top, tfVersion, filename)
	}
	return nil, fmt.Errorf("%s is JSON but not a Terraform state: it has neither \"version\" and \"resources\" (terraform.tfstate) nor \"format_version\" and \"values\" (terraform show -json); %s", filename, expected)
}

// looksLikeHCL says whether text that is not JSON reads like Terraform's
// own language, so that the error can say which file was given.
func looksLikeHCL(b []byte) bool {
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "//") {
			continue
		}
		for _, kw := range []string{"resource ", "variable ", "provider ", "module ", "terraform ", "data "} {
			if strings.HasPrefix(line, kw) {
				return true
			}
		}
		name, _, ok := strings.Cut(line, "=")
		return ok && !strings.ContainsAny(strings.TrimSpace(name), " {}\"")
	}
	return false
}

func firstKey(m map[string]json.RawMessage, keys ...string) string {
	for _, k := range keys {
		if _, ok := m[k]; ok {
			return k
		}
	}
	return ""
}

// checkTerraformVersion refuses a state without a terraform_version or of
// a Terraform older than 0.12: the attributes would be of the old flat
// form, which nothing here reads.
func checkTerraformVersion(filename, v string) error {
	if v == "" {
		return fmt.Errorf("%s has no terraform_version: a state written by Terraform 0.12 or later always has one", filename)
	}
	major, minor, ok := majorMinor(v)
	if !ok {
		return fmt.Errorf("%s: terraform_version %q is not a version number", filename, v)
	}
	if major == 0 && minor < 12 {
		return fmt.Errorf("%s was written by Terraform %s, older than 0.12: Terraform 0.11 or older; run terraform 0.12upgrade / upgrade the state first (with Terraform 0.12 or later: terraform init, then terraform refresh)", filename, v)
	}
	return nil
}

// majorMinor reads "0.12.31" or "1.5.7-dev" as (0, 12) or (1, 5).
func majorMinor(v string) (int, int, bool) {
	v = strings.TrimPrefix(v, "v")
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return 0, 0, false
	}
	major, err1 := strconv.Atoi(parts[0])
	minorText := parts[1]
	if i := strings.IndexFunc(minorText, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
		minorText = minorText[:i]
	}
	minor, err2 := strconv.Atoi(minorText)
	return major, minor, err1 == nil && err2 == nil
}

// The state file, format version 4 (terraform/states/statefile, version4.go).
type stateV4 struct {
	Resources []struct {
		Module    string `json:"module"`
		Mode      string `json:"mode"`
		Type      string `json:"type"`
		Name      string `json:"name"`
		Instances []struct {
			IndexKey       any             `json:"index_key"`
			Deposed        string          `json:"deposed"`
			Attributes     json.RawMessage `json:"attributes"`
			AttributesFlat json.RawMessage `json:"attributes_flat"`
		} `json:"instances"`
	} `json:"resources"`
}

func parseStateV4(top map[string]json.RawMessage, tfVersion, filename string) (*State, error) {
	raw, err := json.Marshal(top)
	if err != nil {
		return nil, err
	}
	var f stateV4
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("%s: not a Terraform state of format version 4: %v", filename, err)
	}
	st := &State{TerraformVersion: tfVersion, Source: filename}
	for _, r := range f.Resources {
		if r.Mode != ModeManaged && r.Mode != ModeData {
			return nil, fmt.Errorf("%s: resource %s.%s has mode %q; Terraform writes managed or data", filename, r.Type, r.Name, r.Mode)
		}
		if r.Type == "" || r.Name == "" {
			return nil, fmt.Errorf("%s: a resource without a type or name: not a Terraform state", filename)
		}
		for _, inst := range r.Instances {
			address := resourceAddress(r.Module, r.Mode, r.Type, r.Name, inst.IndexKey)
			if inst.Deposed != "" {
				// An object create_before_destroy replaced and Terraform has
				// not deleted yet: it still exists, so it is listed.
				address += " (deposed " + inst.Deposed + ")"
			}
			if len(inst.Attributes) == 0 || string(inst.Attributes) == "null" {
				if len(inst.AttributesFlat) > 0 {
					return nil, fmt.Errorf("%s: %s has only flat attributes (a state upgraded from Terraform 0.11 that Terraform 0.12 has not refreshed yet): run terraform refresh with Terraform 0.12 or later first", filename, address)
				}
				return nil, fmt.Errorf("%s: %s has no attributes", filename, address)
			}
			attrs, err := decodeAttributes(inst.Attributes)
			if err != nil {
				return nil, fmt.Errorf("%s: %s: attributes: %v", filename, address, err)
			}
			st.Objects = append(st.Objects, Object{Mode: r.Mode, Type: r.Type, Name: r.Name, Address: address, Attributes: attrs})
		}
	}
	return st, nil
}

// resourceAddress renders an instance's address as Terraform prints it:
// module.nomad.aws_security_group.nomad_sg[0], data.aws_subnet.subnet,
// aws_instance.web["a"].
func resourceAddress(module, mode, typ, name string, key any) string {
	var b strings.Builder
	if module != "" {
		b.WriteString(module + ".")
	}
	if mode == ModeData {
		b.WriteString("data.")
	}
	b.WriteString(typ + "." + name)
	switch k := key.(type) {
	case float64:
		fmt.Fprintf(&b, "[%s]", strconv.FormatFloat(k, 'f', -1, 64))
	case string:
		fmt.Fprintf(&b, "[%q]", k)
	}
	return b.String()
}

// The JSON output format (terraform/command/jsonstate).
type showJSON struct {
	Values *struct {
		RootModule showModule `json:"root_module"`
	} `json:"values"`
}

type showModule struct {
	Address   string `json:"address"`
	Resources []struct {
		Address string          `json:"address"`
		Mode    string          `json:"mode"`
		Type    string          `json:"type"`
		Name    string          `json:"name"`
		Deposed string          `json:"deposed_key"`
		Values  json.RawMessage `json:"values"`
	} `json:"resources"`
	ChildModules []showModule `json:"child_modules"`
}

func parseShowJSON(top map[string]json.RawMessage, tfVersion, filename string) (*State, error) {
	raw, err := json.Marshal(top)
	if err != nil {
		return nil, err
	}
	var f showJSON
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("%s: not the output of terraform show -json: %v", filename, err)
	}
	st := &State{TerraformVersion: tfVersion, Source: filename}
	if f.Values == nil {
		return st, nil // an empty state
	}
	var walk func(m showModule) error
	walk = func(m showModule) error {
		for _, r := range m.Resources {
			if r.Mode != ModeManaged && r.Mode != ModeData {
				return fmt.Errorf("%s: %s has mode %q; Terraform writes managed or data", filename, r.Address, r.Mode)
			}
			if r.Address == "" || r.Type == "" {
				return fmt.Errorf("%s: a resource without an address or type: not the output of terraform show -json", filename)
			}
			attrs, err := decodeAttributes(r.Values)
			if err != nil {
				return fmt.Errorf("%s: %s: values: %v", filename, r.Address, err)
			}
			address := r.Address
			if r.Deposed != "" {
				address += " (deposed " + r.Deposed + ")"
			}
			st.Objects = append(st.Objects, Object{Mode: r.Mode, Type: r.Type, Name: r.Name, Address: address, Attributes: attrs})
		}
		for _, c := range m.ChildModules {
			if err := walk(c); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(f.Values.RootModule); err != nil {
		return nil, err
	}
	return st, nil
}

func decodeAttributes(raw json.RawMessage) (map[string]any, error) {
	if len(bytes.TrimSpace(raw)) == 0 || string(raw) == "null" {
		return map[string]any{}, nil
	}
	var attrs map[string]any
	if err := json.Unmarshal(raw, &attrs); err != nil {
		return nil, err
	}
	return attrs, nil
}

// Managed returns the managed resources of a type.
func (s *State) Managed(typ string) []Object {
	var out []Object
	for _, o := range s.Objects {
		if o.Mode == ModeManaged && o.Type == typ {
			out = append(out, o)
		}
	}
	return out
}

// decodeInto reads an object's attributes into a typed view (the structs of
// mapping.go), so that attribute names are struct tags rather than strings
// scattered through the code.
func (o Object) decodeInto(v any) error {
	b, err := json.Marshal(o.Attributes)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: unexpected attributes: %v", o.Address, err)
	}
	return nil
}
