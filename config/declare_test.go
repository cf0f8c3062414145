package config

import (
	"encoding/json"
	"go/ast"
	goparser "go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"golang.org/x/tools/go/packages"
)

// probes are raw stack values of every shape: what `pulumi config set`
// stores for each declared type, and what it would store by mistake.
var probes = []string{
	"", "x", "eu-central-1", " 2", "2", "0", "1", "-1", "+3", "2.5", "1e3",
	"true", "false", "True", "yes", "on",
	`[]`, `["10.0.0.0/8"]`, `[1]`, `{}`, `{"team":"ci"}`, `{"n":1}`, `null`,
}

// cliAccepts is what the Pulumi CLI accepts for a key of this kind at
// `pulumi preview` (pkg/workspace.validateStackConfigValue calls
// workspace.ValidateConfigValue; objects and arrays are stored as JSON).
func cliAccepts(k Key, raw string) bool {
	var items *workspace.ProjectConfigItemsType
	if k.Kind == List {
		items = &workspace.ProjectConfigItemsType{Type: "string"}
	}
	var content any = raw
	if k.Kind == List || k.Kind == Map {
		if err := json.Unmarshal([]byte(raw), &content); err != nil {
			return false // not stored as an object value at all
		}
	}
	if k.Kind == Map {
		// Pulumi.yaml declares objects without a schema for their values;
		// ours are maps of strings.
		m, ok := content.(map[string]any)
		if !ok {
			return false
		}
		for _, v := range m {
			if _, ok := v.(string); !ok {
				return false
			}
		}
	}
	return workspace.ValidateConfigValue(string(k.Kind), items, content)
}

// parseOne parses a raw value for one key; it reports whether the parser
// took it as a value of the key's kind (range checks come later, in
// validate, and do not count here).
func parseOne(k Key, raw string) bool {
	p := &parser{get: func(name string) (string, bool, bool) { return raw, name == k.Name, true }}
	var c Config
	p.parse(k, reflect.ValueOf(&c).Elem().FieldByName(k.Field))
	for _, pr := range p.problems {
		if !strings.Contains(pr.Message, "1 (on) or 0 (off)") {
			return false
		}
	}
	return true
}

// A key's declared kind and its parsing agree: the parser takes every value
// the CLI lets through for the declared type, and nothing the CLI refuses
// (a parse path the CLI never lets a value reach is dead code that
// misleads readers, as enable_nomad's boolean parsing of an integer key was).
func TestKeys_ParseAcceptsWhatTheCLIAccepts(t *testing.T) {
	for _, k := range Keys {
		for _, raw := range probes {
			cli, ours := cliAccepts(k, raw), parseOne(k, raw)
			if cli != ours {
				t.Errorf("%s (declared %s, field %s): the CLI accepts %q: %v, the parser: %v", k.Name, k.Kind, k.Field, raw, cli, ours)
			}
		}
	}
}

// The declarations themselves: every key has a description, a snake_case
// name, and a secret only where the value matters.
func TestKeys_DeclarationsAreComplete(t *testing.T) {
	docs := fieldDocs(t)
	snake := regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
	for _, k := range Keys {
		if docs[k.Field] == "" {
			t.Errorf("%s: field %s of Config has no doc comment (it is the key's description)", k.Name, k.Field)
		}
		if !snake.MatchString(k.Name) {
			t.Errorf("%s: key names are snake_case, as the tfvars are", k.Name)
		}
	}
	for _, name := range []string{KeyAWSAccessKey, KeyAWSSecretKey, KeyCircleSecretPassphrase} {
		if k, _ := KeyNamed(name); !k.Secret {
			t.Errorf("%s must be declared secret:\"true\"", name)
		}
	}
}

// fieldDocs reads the doc comment of each field of Config: the keys'
// descriptions, one line each.
func fieldDocs(t *testing.T) map[string]string {
	t.Helper()
	f, err := goparser.ParseFile(token.NewFileSet(), "keys.go", nil, goparser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]string{}
	ast.Inspect(f, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSpec)
		if !ok || ts.Name.Name != "Config" {
			return true
		}
		for _, field := range ts.Type.(*ast.StructType).Fields.List {
			for _, name := range field.Names {
				docs[name.Name] = strings.Join(strings.Fields(field.Doc.Text()), " ")
			}
		}
		return false
	})
	if len(docs) == 0 {
		t.Fatal("no Config struct in keys.go")
	}
	return docs
}

// moduleRoot is the repository root, where go.mod is.
const moduleRoot = ".."

// sourceFiles lists the program's Go files: not tests nor tests/, and
// neither generated files nor the declaration (keys.go).
func sourceFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(moduleRoot, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		// tests/ plays AWS and drives the CLI: its strings are AWS's and
		// the administrator's words, not the program's.
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != moduleRoot || d.Name() == "testdata" || path == filepath.Join(moduleRoot, "tests")) {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") &&
			!strings.HasSuffix(path, "_gen.go") && path != filepath.Join(moduleRoot, "config", "keys.go") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// Code names a key through its constant in keys_gen.go, never by typing
// the name again, so that a renamed key cannot leave a message behind.
// This reads every string literal of the module's code (tests excepted:
// they say what the administrator types).
func TestKeys_NamesAreNeverRetyped(t *testing.T) {
	var names, words []string
	for _, k := range Keys {
		if strings.Contains(k.Name, "_") {
			names = append(names, regexp.QuoteMeta(k.Name))
		} else {
			words = append(words, regexp.QuoteMeta(k.Name))
		}
	}
	sort.Slice(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	// A snake_case key name as a word of its own: not part of a longer
	// identifier or a path. Keys that are plain English words (prefix,
	// tags, preflight) count where they are used as keys: the whole
	// string, "config set preflight", "prefix = ...".
	res := []*regexp.Regexp{
		regexp.MustCompile(`(^|[^A-Za-z0-9_:./-])(` + strings.Join(names, "|") + `)($|[^A-Za-z0-9_/])`),
		regexp.MustCompile(`(^|config set (?:--secret |--path ')?)(` + strings.Join(words, "|") + `)($| ?=|[ .\[])`),
	}
	match := func(s string) []string {
		if k, ok := KeyNamed(s); ok {
			return []string{s, "", k.Name}
		}
		for i, re := range res {
			if m := re.FindStringSubmatch(s); m != nil && (i == 0 || m[1] != "" || strings.HasPrefix(m[3], " =") || m[3] == "=") {
				return m
			}
		}
		return nil
	}
	// Strings that are a key's name and yet not the key.
	notKeys := map[string]string{
		filepath.Join("installer", "outputs.go") + ":services_public_ip": "the stack output of that name (the box's address), as the Terraform installer's",
	}
	fset := token.NewFileSet()
	for _, path := range sourceFiles(t) {
		f, err := goparser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		tags := map[*ast.BasicLit]bool{}
		ast.Inspect(f, func(n ast.Node) bool {
			if field, ok := n.(*ast.Field); ok && field.Tag != nil {
				tags[field.Tag] = true
			}
			if imp, ok := n.(*ast.ImportSpec); ok {
				tags[imp.Path] = true
			}
			return true
		})
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING || tags[lit] {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			rel, _ := filepath.Rel(moduleRoot, path)
			if m := match(s); m != nil && notKeys[rel+":"+s] == "" {
				t.Errorf("%s: the string %s names the key %s; use config.Key%s instead", fset.Position(lit.Pos()), lit.Value, m[2], fieldOf(m[2]))
			}
			return true
		})
	}
}

func fieldOf(name string) string {
	k, _ := KeyNamed(name)
	return k.Field
}

// Every declared key is read by the program: its field of Config is used
// somewhere in the module's code besides its declaration. A key nobody
// reads is a setting that silently does nothing.
func TestKeys_EveryKeyIsRead(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks the whole module")
	}
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo,
		Dir:  moduleRoot,
	}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		t.Fatal(err)
	}
	var config *types.Struct
	read := map[string][]string{}
	for _, p := range pkgs {
		for _, e := range p.Errors {
			t.Fatalf("loading %s: %v", p.PkgPath, e)
		}
		if p.Name == "config" && p.Types.Scope().Lookup("Config") != nil {
			config = p.Types.Scope().Lookup("Config").Type().Underlying().(*types.Struct)
		}
	}
	if config == nil {
		t.Fatal("package config not loaded")
	}
	fields := map[*types.Var]bool{}
	for i := range config.NumFields() {
		fields[config.Field(i)] = true
	}
	for _, p := range pkgs {
		for id, obj := range p.TypesInfo.Uses {
			if v, ok := obj.(*types.Var); ok && fields[v] {
				read[v.Name()] = append(read[v.Name()], p.Fset.Position(id.Pos()).String())
			}
		}
	}
	for _, k := range Keys {
		if len(read[k.Field]) == 0 {
			t.Errorf("%s is declared (Config.%s) but nothing reads it: use it or remove its declaration", k.Name, k.Field)
		}
	}
}
