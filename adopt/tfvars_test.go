package adopt

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/circleci-server-pulumi/installer/config"
)

// parse reads inline HCL as terraform.tfvars and fails the test on an error.
func parse(t *testing.T, src string) *TFVars {
	t.Helper()
	v, err := ParseTFVars([]byte(src), "terraform.tfvars")
	if err != nil {
		t.Fatalf("ParseTFVars:\n%s\nexpected no error, found: %v", src, err)
	}
	return v
}

// Every kind of key, in every form Terraform takes for it, becomes the
// string `pulumi config set` takes.
func TestParseTFVars_ConvertsEveryKind(t *testing.T) {
	cases := []struct {
		name, src, key, want string
	}{
		{"string", `aws_region = "eu-central-1"`, config.KeyAWSRegion, "eu-central-1"},
		{"string from a number, as Terraform converts it", `legacy_builder_spot_price = 0.25`, config.KeyLegacyBuilderSpotPrice, "0.25"},
		{"string from a bool", `clients_public_ip = false`, config.KeyClientsPublicIP, "false"},
		{"string from a heredoc", "no_proxy = <<EOT\n.internal,10.0.0.0/8\nEOT\n", config.KeyNoProxy, ".internal,10.0.0.0/8\n"},
		{"boolean", `services_public_ip = false`, config.KeyServicesPublicIP, "false"},
		{"boolean quoted, as variables.tf writes it", `force_destroy_s3_bucket = "true"`, config.KeyForceDestroyS3Bucket, "true"},
		{"switch 1", `enable_nomad = 1`, config.KeyEnableNomad, "1"},
		{"switch quoted 0", `enable_nomad = "0"`, config.KeyEnableNomad, "0"},
		{"switch true (Terraform 0.11 passed it to count as 1)", `enable_route = true`, config.KeyEnableRoute, "1"},
		{"switch false", `enable_route = false`, config.KeyEnableRoute, "0"},
		{"integer", `max_clients_count = 4`, config.KeyMaxClientsCount, "4"},
		{"integer quoted, as the template writes it", `desired_builders_count = "0"`, config.KeyDesiredBuildersCount, "0"},
		{"integer negative", `max_builders_count = -1`, config.KeyMaxBuildersCount, "-1"},
		{"integer in exponent form", `services_volume_size = "1e3"`, config.KeyServicesVolumeSize, "1000"},
		{"integer from a constant expression", `desired_clients_count = 1 + 2`, config.KeyDesiredClientsCount, "3"},
		{"map", `ubuntu_ami = { eu-central-1 = "ami-0085d4f8878cddc81", "us-east-1" = "ami-0cfee17793b08a293" }`, config.KeyUbuntuAMI,
			`{"eu-central-1":"ami-0085d4f8878cddc81","us-east-1":"ami-0cfee17793b08a293"}`},
		{"map with numbers, bools and odd keys", `tags = { team = "ci", cost = 42, on = true, "a.b" = "<x&y>" }`, config.KeyTags,
			`{"a.b":"<x&y>","cost":"42","on":"true","team":"ci"}`},
		{"map empty", `tags = {}`, config.KeyTags, `{}`},
		{"list", `admin_cidr_blocks = ["10.0.0.0/8", "192.0.2.0/24"]`, config.KeyAdminCIDRBlocks, `["10.0.0.0/8","192.0.2.0/24"]`},
		{"list empty", `vm_cidr_blocks = []`, config.KeyVMCIDRBlocks, `[]`},
	}
	kinds := map[string]bool{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := parse(t, c.src)
			if got, ok := v.Values[c.key]; !ok || got != c.want {
				t.Errorf("%s: expected %s = %q, found %q (set: %v)", c.src, c.key, c.want, got, ok)
			}
			if len(v.Values) != 1 {
				t.Errorf("%s: expected one value, found %v", c.src, v.Values)
			}
			if len(v.Secret) != 0 {
				t.Errorf("%s: expected no secrets, found %v", c.src, v.Secret)
			}
		})
		k, _ := config.KeyNamed(c.key)
		kind := string(k.Kind)
		if isSwitch(k) {
			kind = "switch"
		}
		kinds[kind] = true
	}
	for _, kind := range []string{string(config.String), string(config.Integer), "switch", string(config.Boolean), string(config.List), string(config.Map)} {
		if !kinds[kind] {
			t.Errorf("expected a case for every kind of key, found none for %s", kind)
		}
	}
}

// What Terraform would not have converted to the key's kind is refused,
// naming the key, file and line and what is valid.
func TestParseTFVars_RefusesValuesOfAnotherKind(t *testing.T) {
	cases := []struct {
		name, src, want string
	}{
		{"boolean from a number", `services_public_ip = 1`, `services_public_ip (terraform.tfvars:1): must be true or false, found 1`},
		{"boolean from a word", `services_public_ip = "yes"`, `services_public_ip (terraform.tfvars:1): must be true or false, found "yes"`},
		{"boolean capitalised", "\nservices_snapshots = \"True\"", `services_snapshots (terraform.tfvars:2): must be true or false, found "True"`},
		{"switch 2", `enable_nomad = 2`, `enable_nomad (terraform.tfvars:1): must be 1 (on) or 0 (off), found 2`},
		{"switch quoted true (count = \"true\" failed in Terraform)", `enable_nomad = "true"`, `enable_nomad (terraform.tfvars:1): must be 1 (on) or 0 (off), found "true"`},
		{"integer fraction", `max_clients_count = 2.5`, `max_clients_count (terraform.tfvars:1): must be a whole number, found 2.5`},
		{"integer word", `max_clients_count = "two"`, `max_clients_count (terraform.tfvars:1): must be a whole number, found "two"`},
		{"integer bool", `max_clients_count = true`, `max_clients_count (terraform.tfvars:1): must be a whole number, found true`},
		{"string from a list", `aws_region = ["eu-central-1"]`, `aws_region (terraform.tfvars:1): must be a string, found tuple`},
		{"list from a string", `admin_cidr_blocks = "10.0.0.0/8"`, `admin_cidr_blocks (terraform.tfvars:1): must be a list of strings such as ["10.0.0.0/8"], found "10.0.0.0/8"`},
		{"list of lists", `admin_cidr_blocks = [["10.0.0.0/8"]]`, `admin_cidr_blocks (terraform.tfvars:1): must be a list of strings`},
		{"list with a null", `admin_cidr_blocks = ["10.0.0.0/8", null]`, `admin_cidr_blocks (terraform.tfvars:1): must be a list of strings, found a null element`},
		{"map from a list", `tags = ["ci"]`, `tags (terraform.tfvars:1): must be a map of strings such as { team = "ci" }, found tuple`},
		{"map of maps", `tags = { team = { name = "ci" } }`, `tags (terraform.tfvars:1): must be a map of strings`},
		{"map with a null", `tags = { team = null }`, `tags (terraform.tfvars:1): must be a map of strings, found null for "team"`},
		{"secret of another kind, its value not shown", `circle_secret_passphrase = ["hunter2"]`, `circle_secret_passphrase (terraform.tfvars:1): must be a string, found a tuple`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, err := ParseTFVars([]byte(c.src), "terraform.tfvars")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("%s: expected an error containing %q, found %v (values %v)", c.src, c.want, err, v)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("%s: expected the secret to stay out of the error, found: %v", c.src, err)
			}
		})
	}
}

// Every problem is reported at once, in the file's order.
func TestParseTFVars_ReportsEveryProblem(t *testing.T) {
	src := "enable_nomad = 2\naws_region = \"eu-central-1\"\nmax_clients_count = \"many\"\nprefix = var.p\n"
	_, err := ParseTFVars([]byte(src), "terraform.tfvars")
	want := []string{"(3 problems)", "enable_nomad (terraform.tfvars:1)", "max_clients_count (terraform.tfvars:3)", "prefix (terraform.tfvars:4)"}
	if err == nil {
		t.Fatalf("expected an error listing %v, found none", want)
	}
	last := -1
	for _, w := range want {
		i := strings.Index(err.Error(), w)
		if i <= last {
			t.Errorf("expected %q after the previous problem, found the error:\n%v", w, err)
		}
		last = i
	}
}

// A tfvars is literal values, as Terraform reads it: an expression that
// needs variables or functions is refused with the key and line.
func TestParseTFVars_RefusesExpressions(t *testing.T) {
	cases := []struct {
		name, src string
		want      []string
		notWant   string
	}{
		{"a variable", "aws_region = \"eu-central-1\"\n\nprefix = var.prefix\n",
			[]string{"prefix (terraform.tfvars:3): not a literal value: var.prefix (Variables not allowed"}, ""},
		{"a function call", `tags = merge({ a = "b" }, { c = "d" })`,
			[]string{`tags (terraform.tfvars:1): not a literal value: merge({ a = "b" }, { c = "d" }) (Function calls not allowed`}, ""},
		{"an interpolation", `aws_vpc_id = "vpc-${local.id}"`,
			[]string{`aws_vpc_id (terraform.tfvars:1): not a literal value: "vpc-${local.id}" (Variables not allowed`}, ""},
		{"a secret's text is not shown", "\n\n\ncircle_secret_passphrase = \"hunter2${var.x}\"",
			[]string{"circle_secret_passphrase (terraform.tfvars:4): not a literal value: Variables not allowed"}, "hunter2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseTFVars([]byte(c.src), "terraform.tfvars")
			if err == nil {
				t.Fatalf("%s: expected an error containing %q, found none", c.src, c.want)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%s: expected the error to contain %q, found: %v", c.src, w, err)
				}
			}
			if c.notWant != "" && strings.Contains(err.Error(), c.notWant) {
				t.Errorf("%s: expected %q to stay out of the error, found: %v", c.src, c.notWant, err)
			}
		})
	}
}

// What is not a body of attributes is refused with its position.
func TestParseTFVars_RefusesWhatIsNotAttributes(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"a block", "aws_region = \"eu-central-1\"\nvariable \"x\" {\n}\n", "terraform.tfvars:2"},
		{"a key twice", "aws_region = \"eu-central-1\"\naws_region = \"eu-west-1\"\n", "terraform.tfvars:2"},
		{"a syntax error", "aws_region = \n", "terraform.tfvars:1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseTFVars([]byte(c.src), "terraform.tfvars")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%q: expected an error at %s, found %v", c.src, c.want, err)
			}
		})
	}
}

// A variable this program does not have is a warning, not a failure.
func TestParseTFVars_UnknownVariablesWarn(t *testing.T) {
	v := parse(t, "aws_region = \"eu-central-1\"\nsome_new_variable = \"x\"\nenable_mongo = var.x\n")
	want := []string{
		"terraform.tfvars: some_new_variable is not a key of this program; ignored",
		"terraform.tfvars: enable_mongo is not a key of this program; ignored",
	}
	for _, w := range want {
		if !contains(v.Warnings, w) {
			t.Errorf("expected the warning %q, found %q", w, v.Warnings)
		}
	}
	if _, ok := v.Values["some_new_variable"]; ok || len(v.Values) != 1 {
		t.Errorf("expected only %s among the values, found %v", config.KeyAWSRegion, v.Values)
	}
}

// The declared secret keys are taken as secrets, with a warning each, and
// their values appear in no warning.
func TestParseTFVars_SecretsAreMarkedAndWarned(t *testing.T) {
	v := parse(t, `
aws_access_key           = "AKIAIOSFODNN7EXAMPLE"
aws_secret_key           = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY"
circle_secret_passphrase = "hunter2hunter2"
aws_region               = "eu-central-1"
`)
	secrets := map[string]string{
		config.KeyAWSAccessKey: "AKIAIOSFODNN7EXAMPLE", config.KeyAWSSecretKey: "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY",
		config.KeyCircleSecretPassphrase: "hunter2hunter2",
	}
	wantSecret := map[string]bool{}
	for k, val := range secrets {
		wantSecret[k] = true
		if v.Values[k] != val {
			t.Errorf("%s: expected the value %q, found %q", k, val, v.Values[k])
		}
		w := k + " is in terraform.tfvars in plaintext: it is set as a stack secret (encrypted); delete it from the file"
		if !contains(v.Warnings, w) {
			t.Errorf("expected the warning %q, found %q", w, v.Warnings)
		}
		for _, warning := range v.Warnings {
			if strings.Contains(warning, val) {
				t.Errorf("expected no warning to show the value of %s, found %q", k, warning)
			}
		}
	}
	if !reflect.DeepEqual(v.Secret, wantSecret) {
		t.Errorf("expected the secrets %v, found %v", wantSecret, v.Secret)
	}
}

// Empty strings: left out where the default is the same empty string, kept
// where leaving them out would put a different default in their place.
// null leaves a key unset.
func TestParseTFVars_EmptyAndNullValues(t *testing.T) {
	v := parse(t, `
http_proxy     = ""
https_proxy    = "  "
aws_access_key = ""
prefix         = ""
aws_region     = ""
services_ami   = null
`)
	want := map[string]string{config.KeyPrefix: "", config.KeyAWSRegion: ""}
	if !reflect.DeepEqual(v.Values, want) {
		t.Errorf("expected the values %v, found %v", want, v.Values)
	}
	if len(v.Secret) != 0 {
		t.Errorf("expected no secrets (aws_access_key is empty), found %v", v.Secret)
	}
	w := "terraform.tfvars: services_ami is null; left unset, so its default applies"
	if !contains(v.Warnings, w) {
		t.Errorf("expected the warning %q, found %q", w, v.Warnings)
	}
}

// A required secret the file leaves out is a warning that says how to set
// it (the other required keys are WriteConfig's errors).
func TestParseTFVars_MissingRequiredSecretWarns(t *testing.T) {
	v := parse(t, `aws_region = "eu-central-1"`)
	want := []string{
		"circle_secret_passphrase is not in terraform.tfvars: unless the stack already has it, set it before pulumi preview: pulumi config set --secret circle_secret_passphrase",
	}
	if !reflect.DeepEqual(v.Warnings, want) {
		t.Errorf("expected the warnings %q, found %q", want, v.Warnings)
	}
	v = parse(t, `circle_secret_passphrase = "s3cr3tpassphrase"`)
	for _, w := range v.Warnings {
		if strings.HasPrefix(w, "circle_secret_passphrase is not in") {
			t.Errorf("expected no warning that the passphrase is missing, found %q", w)
		}
	}
}

// terraform.tfvars.json is read as JSON, with the same rules.
func TestParseTFVars_JSON(t *testing.T) {
	v, err := ParseTFVars([]byte(`{"aws_region": "eu-west-1", "enable_nomad": 1, "services_public_ip": "false", "tags": {"team": "ci"}}`), "terraform.tfvars.json")
	if err != nil {
		t.Fatalf("expected no error, found %v", err)
	}
	want := map[string]string{config.KeyAWSRegion: "eu-west-1", config.KeyEnableNomad: "1", config.KeyServicesPublicIP: "false", config.KeyTags: `{"team":"ci"}`}
	if !reflect.DeepEqual(v.Values, want) {
		t.Errorf("expected %v, found %v", want, v.Values)
	}
	// Evaluated without a context, as Terraform evaluates it, a JSON string
	// is taken verbatim: "${...}" is not a template there.
	v, err = ParseTFVars([]byte("{\n\"prefix\": \"${var.p}\"\n}"), "terraform.tfvars.json")
	if err != nil || v.Values[config.KeyPrefix] != "${var.p}" {
		t.Errorf("expected prefix = \"${var.p}\" verbatim, found %v (error %v)", v, err)
	}
	_, err = ParseTFVars([]byte("{\n\"enable_nomad\": \"on\"\n}"), "terraform.tfvars.json")
	if w := `enable_nomad (terraform.tfvars.json:2): must be 1 (on) or 0 (off), found "on"`; err == nil || !strings.Contains(err.Error(), w) {
		t.Errorf("expected an error containing %q, found %v", w, err)
	}
}

// LoadTFVars names the file as it was given, and a missing file is an error.
func TestLoadTFVars(t *testing.T) {
	path := filepath.Join(t.TempDir(), "terraform.tfvars")
	if err := os.WriteFile(path, []byte("nomad_versions = \"0.9.3\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	v, err := LoadTFVars(path)
	if err != nil {
		t.Fatalf("expected no error, found %v", err)
	}
	if w := path + ": nomad_versions is not a key of this program; ignored"; !contains(v.Warnings, w) {
		t.Errorf("expected the warning %q, found %q", w, v.Warnings)
	}
	if _, err := LoadTFVars(path + ".missing"); err == nil || !strings.Contains(err.Error(), "terraform.tfvars.missing") {
		t.Errorf("expected an error naming the missing file, found %v", err)
	}
}

// The fixtures of adopt/testdata, when they are there: every
// */terraform.tfvars reads without error and makes a valid configuration;
// bad/expression.tfvars is refused at its line, bad/unknown-keys.tfvars
// warns.
func TestParseTFVars_Fixtures(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "*", "terraform.tfvars"))
	if len(paths) == 0 {
		t.Skip("no fixtures in testdata/*/terraform.tfvars")
	}
	for _, path := range paths {
		t.Run(filepath.Base(filepath.Dir(path)), func(t *testing.T) {
			v, err := LoadTFVars(path)
			if err != nil {
				t.Fatalf("expected no error, found %v", err)
			}
			for k := range v.Secret {
				if key, _ := config.KeyNamed(k); !key.Secret {
					t.Errorf("expected only declared secret keys to be secret, found %s", k)
				}
			}
			r := &recorder{}
			if err := WriteConfig(v, nil, r); err != nil {
				t.Errorf("expected a valid configuration, found %v", err)
			}
			if len(r.calls) != len(v.Values) {
				t.Errorf("expected %d values set, found %d", len(v.Values), len(r.calls))
			}
		})
	}

	bad := []struct{ file, line, want string }{
		{"expression.tfvars", "prefix = var.x", "prefix (%s:%d): not a literal value: var.x"},
		{"unknown-keys.tfvars", `some_new_variable = "x"`, "%s: some_new_variable is not a key of this program; ignored"},
	}
	for _, b := range bad {
		t.Run(b.file, func(t *testing.T) {
			path := filepath.Join("testdata", "bad", b.file)
			src, err := os.ReadFile(path)
			if err != nil {
				t.Skip(err)
			}
			line := 1 + strings.Count(string(src[:max(0, strings.Index(string(src), b.line))]), "\n")
			want := strings.ReplaceAll(b.want, "%d", strconv.Itoa(line))
			want = strings.ReplaceAll(want, "%s", path)
			v, err := LoadTFVars(path)
			switch {
			case strings.Contains(b.want, "not a literal"):
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("expected an error containing %q, found %v", want, err)
				}
			case err != nil:
				t.Errorf("expected no error, found %v", err)
			case !contains(v.Warnings, want):
				t.Errorf("expected the warning %q, found %q", want, v.Warnings)
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
