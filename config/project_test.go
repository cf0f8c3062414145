package config

import (
	"flag"
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/circleci-server-pulumi/installer/config/internal/declgen"
)

var update = flag.Bool("update", false, "rewrite keys_gen.go, Pulumi.yaml and the README's reference from the fields of Config")

const (
	projectFile = "../Pulumi.yaml"
	readmeFile  = "../README.md"
	refBegin    = "<!-- config:begin -->\n"
	refEnd      = "<!-- config:end -->"
)

// readmeReference renders the README's configuration reference.
func readmeReference(docs map[string]string) string {
	var b strings.Builder
	b.WriteString("| key | type | default | what it changes |\n|---|---|---|---|\n")
	for _, k := range Keys {
		def := "`" + k.Default + "`"
		switch {
		case k.Required:
			def = "required"
		case k.Default == "":
			def = "empty"
		}
		if k.Secret {
			def += ", secret"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", k.Name, k.Kind, def, strings.ReplaceAll(docs[k.Field], "|", "\\|"))
	}
	return b.String()
}

func TestReadme_ConfigReferenceMatchesTheTable(t *testing.T) {
	raw, err := os.ReadFile(readmeFile)
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	i, j := strings.Index(text, refBegin), strings.Index(text, refEnd)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the %q ... %q markers", refBegin, refEnd)
	}
	want := readmeReference(fieldDocs(t))
	if *update {
		text = text[:i+len(refBegin)] + want + text[j:]
		if err := os.WriteFile(readmeFile, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got := text[i+len(refBegin) : j]; got != want {
		t.Fatal("README.md's configuration reference is out of step with Config in config/keys.go; run: go generate ./config")
	}
}

// projectYAML renders Pulumi.yaml from the fields of Config: they are the
// one place a key, its type, default and description are written down.
func projectYAML(docs map[string]string) string {
	var b strings.Builder
	b.WriteString(`# Generated from config/keys.go by: go generate ./config
name: circleci-server
runtime: go
description: CircleCI Server 2.19 on AWS, the job of CircleCI's Terraform installer (enterprise-setup).
config:
`)
	for _, k := range Keys {
		fmt.Fprintf(&b, "  %s:\n", k.Name)
		fmt.Fprintf(&b, "    type: %s\n", k.Kind)
		if k.Kind == List {
			b.WriteString("    items:\n      type: string\n")
		}
		fmt.Fprintf(&b, "    description: %s\n", strconv.Quote(docs[k.Field]))
		if k.Required {
			// Pulumi itself then insists on a value, encrypted for secrets.
			if k.Secret {
				b.WriteString("    secret: true\n")
			}
			continue
		}
		switch k.Kind {
		case String:
			fmt.Fprintf(&b, "    default: %s\n", strconv.Quote(k.Default))
		default:
			fmt.Fprintf(&b, "    default: %s\n", k.Default)
		}
	}
	return b.String()
}

func TestProjectFile_DeclaresEveryKeyAsTheTableDoes(t *testing.T) {
	want := projectYAML(fieldDocs(t))
	if *update {
		if err := os.WriteFile(projectFile, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(projectFile)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("Pulumi.yaml is out of step with Config in config/keys.go; run: go generate ./config")
	}

	// And it parses as Pulumi reads it: defaults of the declared type.
	var project struct {
		Name   string
		Config map[string]struct {
			Type    string
			Default any
			Secret  bool
		}
	}
	if err := yaml.Unmarshal(got, &project); err != nil {
		t.Fatalf("Pulumi.yaml does not parse: %v", err)
	}
	if len(project.Config) != len(Keys) {
		t.Fatalf("Pulumi.yaml declares %d keys, the table %d", len(project.Config), len(Keys))
	}
	for _, k := range Keys {
		decl, ok := project.Config[k.Name]
		if !ok {
			t.Errorf("Pulumi.yaml lacks %s", k.Name)
			continue
		}
		if decl.Type != string(k.Kind) {
			t.Errorf("%s: type %q in Pulumi.yaml, %q in the table", k.Name, decl.Type, k.Kind)
		}
		if k.Required != (decl.Default == nil) {
			t.Errorf("%s: required=%v but Pulumi.yaml default is %#v", k.Name, k.Required, decl.Default)
		}
		var typeOK bool
		switch d := decl.Default.(type) {
		case nil:
			typeOK = k.Required
		case string:
			typeOK = k.Kind == String
		case int:
			typeOK = k.Kind == Integer && strconv.Itoa(d) == k.Default
		case bool:
			typeOK = k.Kind == Boolean && strconv.FormatBool(d) == k.Default
		case []any:
			typeOK = k.Kind == List
		case map[string]any:
			typeOK = k.Kind == Map
		}
		if !typeOK {
			t.Errorf("%s: default %#v does not match kind %s / %q", k.Name, decl.Default, k.Kind, k.Default)
		}
	}
}

// Every default must itself parse, or an empty stack could never be valid.
func TestKeys_DefaultsParse(t *testing.T) {
	for _, k := range Keys {
		if k.Required {
			continue
		}
		p := &parser{get: func(string) (string, bool, bool) { return "", false, false }}
		var c Config
		p.parse(k, reflect.ValueOf(&c).Elem().FieldByName(k.Field))
		if len(p.problems) > 0 {
			t.Errorf("default of %s does not parse: %v", k.Name, p.problems)
		}
	}
}

const constantsFile = "keys_gen.go"

// constantsSource renders keys_gen.go as go generate does, and checks that
// it names every key Keys has, field for field.
func constantsSource(t *testing.T) string {
	t.Helper()
	src, err := os.ReadFile("keys.go")
	if err != nil {
		t.Fatal(err)
	}
	out, err := declgen.Render(src)
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(string(out)), " ")
	for _, k := range Keys {
		if line := fmt.Sprintf("Key%s = %q", k.Field, k.Name); !strings.Contains(flat, line) {
			t.Errorf("the generated constants lack %s", line)
		}
	}
	return string(out)
}

func TestConstants_NameEveryKey(t *testing.T) {
	want := constantsSource(t)
	if *update {
		if err := os.WriteFile(constantsFile, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(constantsFile)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Fatalf("%s is out of step with Config in keys.go; run: go generate ./config", constantsFile)
	}
}
