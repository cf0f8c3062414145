package adopt

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"

	"github.com/circleci-server-pulumi/installer/config"
)

// template is enterprise-setup's terraform.tfvars.template filled in, with
// two keys this program added.
const template = `#####################################
# 1. Required Cloud Configuration
#####################################

aws_access_key = "AKIAIOSFODNN7EXAMPLE"
aws_secret_key = "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY"
aws_region = "eu-central-1"
aws_vpc_id = "vpc-0a1b2c3d4e5f67890"
aws_subnet_id = "subnet-0f1e2d3c4b5a69788"
aws_ssh_key_name = "circleci-admin"

#####################################
# 2. Required CircleCI Configuration
#####################################

services_instance_type = "m5.2xlarge"
builder_instance_type = "r5.2xlarge"
nomad_client_instance_type = "m5.2xlarge"

# Passphrase used for encryping/decrypting secrets—must not be blank
circle_secret_passphrase = "s3cr3tpassphrase"

#####################################
# 3. Optional Cloud Configuration
#####################################

# Set this to ` + "`1`" + ` or higher to enable CircleCI 1.0 builders
desired_builders_count = "0"

# Provide proxy address if your network configuration requires it
http_proxy = ""
https_proxy = ""
no_proxy = ""

# Use this var if you have multiple installation within one AWS region
prefix = "ci-prod"

enable_nomad = 1
services_disable_api_termination = "true"
tags = { team = "ci", cost-center = 42 }
admin_cidr_blocks = ["203.0.113.0/24"]
`

// tmpl is the template with lines replaced: each "key = value" given
// replaces the template's line for key, or is added; a bare key removes it.
func tmpl(lines ...string) string {
	drop := map[string]bool{}
	for _, l := range lines {
		drop[strings.TrimSpace(strings.SplitN(l, "=", 2)[0])] = true
	}
	var out []string
	for _, l := range strings.Split(template, "\n") {
		if !drop[strings.TrimSpace(strings.SplitN(l, "=", 2)[0])] {
			out = append(out, l)
		}
	}
	for _, l := range lines {
		if strings.Contains(l, "=") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n") + "\n"
}

// call is one Set.
type call struct {
	Key, Value string
	Secret     bool
}

// recorder is a ConfigSetter that records its calls, and fails the one
// numbered failAt (from 1) when that is set.
type recorder struct {
	calls  []call
	failAt int
}

func (r *recorder) Set(key, value string, secret bool) error {
	r.calls = append(r.calls, call{key, value, secret})
	if len(r.calls) == r.failAt {
		return errors.New("the backend is unreachable")
	}
	return nil
}

// WriteConfig sets every value of the template, in the declaration order,
// secrets as secrets.
func TestWriteConfig_SetsEveryValueSecretsAsSecrets(t *testing.T) {
	v := parse(t, template)
	r := &recorder{}
	if err := WriteConfig(v, nil, r); err != nil {
		t.Fatalf("expected no error, found %v", err)
	}
	want := []call{
		{config.KeyAWSAccessKey, "AKIAIOSFODNN7EXAMPLE", true},
		{config.KeyAWSSecretKey, "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY", true},
		{config.KeyAWSRegion, "eu-central-1", false},
		{config.KeyAWSVPCID, "vpc-0a1b2c3d4e5f67890", false},
		{config.KeyAWSSubnetID, "subnet-0f1e2d3c4b5a69788", false},
		{config.KeyAWSSSHKeyName, "circleci-admin", false},
		{config.KeyCircleSecretPassphrase, "s3cr3tpassphrase", true},
		{config.KeyServicesInstanceType, "m5.2xlarge", false},
		{config.KeyBuilderInstanceType, "r5.2xlarge", false},
		{config.KeyNomadClientInstanceType, "m5.2xlarge", false},
		{config.KeyDesiredBuildersCount, "0", false},
		{config.KeyEnableNomad, "1", false},
		{config.KeyPrefix, "ci-prod", false},
		{config.KeyServicesDisableAPITermination, "true", false},
		{config.KeyTags, `{"cost-center":"42","team":"ci"}`, false},
		{config.KeyAdminCIDRBlocks, `["203.0.113.0/24"]`, false},
	}
	if !reflect.DeepEqual(r.calls, want) {
		t.Errorf("expected the calls\n%v\nfound\n%v", want, r.calls)
	}
}

// A value config.Parse refuses fails WriteConfig before any Set, with an
// error that names the key, what is wrong and what is valid.
func TestWriteConfig_InvalidValuesSetNothing(t *testing.T) {
	cases := []struct {
		name, src string
		extra     map[string]string
		want      []string
		notWant   string
	}{
		{"a region that is none", tmpl(`aws_region = "mars"`), nil,
			[]string{`(1 problem)`, `aws_region = "mars": must be an AWS region code such as eu-central-1`}, ""},
		{"more desired than the maximum", tmpl("max_clients_count = 2", "desired_clients_count = 3"), nil,
			[]string{`(1 problem)`, `desired_clients_count = "3": must not exceed max_clients_count (2)`}, ""},
		{"the template's placeholder passphrase, masked", tmpl(`circle_secret_passphrase = "..."`), nil,
			[]string{`circle_secret_passphrase = "[secret]": is still the tfvars template's placeholder`}, ""},
		{"a bad secret is not shown", tmpl(`circle_secret_passphrase = "not letters!"`), nil,
			[]string{`circle_secret_passphrase = "[secret]": must be letters and digits only`}, "not letters!"},
		{"an empty prefix", tmpl(`prefix = ""`), nil,
			[]string{`prefix: is required and must not be blank`}, ""},
		{"a required key left out", tmpl("aws_vpc_id"), nil,
			[]string{`aws_vpc_id: is required and must not be blank`}, ""},
		{"two problems at once", tmpl(`aws_region = "mars"`, `root_volume_type = "st1"`), nil,
			[]string{"(2 problems)", `aws_region = "mars"`, `root_volume_type = "st1": must be one of gp3, gp2, io1, io2`}, ""},
		{"a bad value from the adoption", template, map[string]string{config.KeyServicesAMI: "ami-nothex"},
			[]string{`services_ami = "ami-nothex": must be an AMI ID`, "(set by the adoption from the existing installation)"}, ""},
		{"an unknown key from the adoption", template, map[string]string{"services_amis": "ami-0085d4f8878cddc81"},
			[]string{"nothing was set: not keys of this program: services_amis (from the adoption)"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := parse(t, c.src)
			r := &recorder{}
			err := WriteConfig(v, c.extra, r)
			if err == nil {
				t.Fatalf("%s: expected an error, found none", c.src)
			}
			for _, w := range append(c.want, "nothing was set") {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%s: expected the error to contain %q, found:\n%v", c.src, w, err)
				}
			}
			if c.notWant != "" && strings.Contains(err.Error(), c.notWant) {
				t.Errorf("%s: expected %q to stay out of the error, found:\n%v", c.src, c.notWant, err)
			}
			if len(r.calls) != 0 {
				t.Errorf("%s: expected no Set call, found %v", c.src, r.calls)
			}
		})
	}
}

// The adoption's keys win over the tfvars, and each that replaces a
// different value is reported.
func TestWriteConfig_ExtraKeysWin(t *testing.T) {
	v := parse(t, template+"services_ami = \"ami-0085d4f8878cddc81\"\nnomad_client_ami = \"ami-0a25005e83c56767a\"\n")
	extra := map[string]string{
		config.KeyServicesAMI:        "ami-0cfee17793b08a293", // replaces the tfvars' value
		config.KeyNomadClientAMI:     "ami-0a25005e83c56767a", // the same
		config.KeyServicesVolumeSize: "200",                   // not in the tfvars
	}
	r := &recorder{}
	if err := WriteConfig(v, extra, r); err != nil {
		t.Fatalf("expected no error, found %v", err)
	}
	set := map[string]string{}
	for _, c := range r.calls {
		set[c.Key] = c.Value
	}
	for k, val := range extra {
		if set[k] != val {
			t.Errorf("%s: expected the adoption's %q, found %q", k, val, set[k])
		}
	}
	want := `services_ami: "ami-0cfee17793b08a293" from the existing installation replaces "ami-0085d4f8878cddc81" from terraform.tfvars`
	if !contains(v.Warnings, want) {
		t.Errorf("expected the warning %q, found %q", want, v.Warnings)
	}
	for _, w := range v.Warnings {
		if strings.HasPrefix(w, config.KeyNomadClientAMI+":") || strings.HasPrefix(w, config.KeyServicesVolumeSize+":") {
			t.Errorf("expected no report for a key the adoption does not change, found %q", w)
		}
	}
}

// A required secret that nothing sets is left to the stack (ParseTFVars
// warned); the rest is still set.
func TestWriteConfig_LeavesAMissingPassphraseToTheStack(t *testing.T) {
	v := parse(t, tmpl("circle_secret_passphrase"))
	r := &recorder{}
	if err := WriteConfig(v, nil, r); err != nil {
		t.Fatalf("expected no error, found %v", err)
	}
	for _, c := range r.calls {
		if c.Key == config.KeyCircleSecretPassphrase {
			t.Errorf("expected no %s, found %v", config.KeyCircleSecretPassphrase, c)
		}
	}
	if len(r.calls) != 15 {
		t.Errorf("expected the 15 other keys set, found %d: %v", len(r.calls), r.calls)
	}
}

// A Set that fails stops the writing and says what was already set.
func TestWriteConfig_SetterFailure(t *testing.T) {
	cases := []struct {
		failAt int
		want   string
	}{
		{1, "nothing was set: the backend is unreachable"},
		{3, "the backend is unreachable (already set: aws_access_key, aws_secret_key; running the adoption again sets every key again)"},
	}
	for _, c := range cases {
		r := &recorder{failAt: c.failAt}
		err := WriteConfig(parse(t, template), nil, r)
		if err == nil || err.Error() != c.want {
			t.Errorf("failing call %d: expected the error %q, found %v", c.failAt, c.want, err)
		}
		if len(r.calls) != c.failAt {
			t.Errorf("failing call %d: expected %d calls, found %d", c.failAt, c.failAt, len(r.calls))
		}
	}
}

// fakePulumi writes a pulumi that records each invocation's directory,
// arguments (one a line) and stdin into log/<n>.
func fakePulumi(t *testing.T) (bin, log string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake CLI is a shell script")
	}
	dir := t.TempDir()
	log = filepath.Join(dir, "log")
	if err := os.Mkdir(log, 0o700); err != nil {
		t.Fatal(err)
	}
	bin = filepath.Join(dir, "pulumi")
	script := `#!/bin/sh
n=$(ls "` + log + `" | wc -l | tr -d ' ')
out="` + log + `/$n"
mkdir "$out"
pwd > "$out/dir"
for a in "$@"; do printf '%s\n' "$a"; done > "$out/args"
cat > "$out/stdin"
`
	if err := os.WriteFile(bin, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	return bin, log
}

type invocation struct {
	dir, stdin string
	args       []string
}

func invocations(t *testing.T, log string) []invocation {
	t.Helper()
	entries, err := os.ReadDir(log)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]invocation, len(entries))
	for _, e := range entries {
		var n int
		for _, ch := range e.Name() {
			n = n*10 + int(ch-'0')
		}
		read := func(name string) string {
			b, err := os.ReadFile(filepath.Join(log, e.Name(), name))
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
		out[n] = invocation{dir: strings.TrimSpace(read("dir")), stdin: read("stdin"), args: strings.Split(strings.TrimSuffix(read("args"), "\n"), "\n")}
	}
	return out
}

// CLISetter's command lines: plain values after --, secrets on stdin and
// never among the arguments (which ps shows), maps and lists whole.
func TestCLISetter_CommandLines(t *testing.T) {
	bin, log := fakePulumi(t)
	project := t.TempDir()
	s := CLISetter{Pulumi: bin, Dir: project, Stack: "prod"}
	sets := []call{
		{config.KeyAWSRegion, "eu-central-1", false},
		{config.KeyMaxBuildersCount, "-1", false},
		{config.KeyCircleSecretPassphrase, "s3cr3tpassphrase\n", true},
		{config.KeyTags, `{"a.b":"1","team":"ci"}`, false},
		{config.KeyAdminCIDRBlocks, `[]`, false},
	}
	for _, c := range sets {
		if err := s.Set(c.Key, c.Value, c.Secret); err != nil {
			t.Fatalf("Set(%s): expected no error, found %v", c.Key, err)
		}
	}
	got := invocations(t, log)
	want := []invocation{
		{project, "", []string{"config", "set", "--stack", "prod", "--non-interactive", "--plaintext", "aws_region", "--", "eu-central-1"}},
		{project, "", []string{"config", "set", "--stack", "prod", "--non-interactive", "--plaintext", "max_builders_count", "--", "-1"}},
		{project, "s3cr3tpassphrase\n", []string{"config", "set", "--stack", "prod", "--non-interactive", "--secret", "--raw", "circle_secret_passphrase"}},
		{project, "", []string{"config", "set-all", "--stack", "prod", "--non-interactive", "--json",
			`{"tags":{"objectValue":{"a.b":"1","team":"ci"},"secret":false,"value":"{\"a.b\":\"1\",\"team\":\"ci\"}"}}`}},
		{project, "", []string{"config", "set-all", "--stack", "prod", "--non-interactive", "--json",
			`{"admin_cidr_blocks":{"objectValue":[],"secret":false,"value":"[]"}}`}},
	}
	if len(got) != len(want) {
		t.Fatalf("expected %d invocations, found %d: %v", len(want), len(got), got)
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("Set(%s): expected %+v, found %+v", sets[i].Key, want[i], got[i])
		}
		for _, a := range got[i].args {
			if strings.Contains(a, "s3cr3t") {
				t.Errorf("Set(%s): expected the secret off the command line, found the argument %q", sets[i].Key, a)
			}
		}
	}

	if err := s.Set(config.KeyTags, `{"team":"ci"}`, true); err == nil {
		t.Errorf("a secret map: expected an error (it would be on the command line), found none")
	}
	if err := s.Set("no_such_key", "x", false); err == nil {
		t.Errorf("an unknown key: expected an error, found none")
	}
	failing := CLISetter{Pulumi: "false", Dir: project, Stack: "prod"}
	if err := failing.Set(config.KeyCircleSecretPassphrase, "hunter2", true); err == nil ||
		!strings.Contains(err.Error(), "--secret --raw circle_secret_passphrase (value on stdin)") || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("a failing CLI: expected an error naming the command without the secret, found %v", err)
	}
}

// pulumiCLI is the CLI scripts/lib.sh builds, when it is there.
func pulumiCLI(t *testing.T) string {
	t.Helper()
	bin, err := filepath.Abs(filepath.Join("..", ".cache", "pulumi", "bin", "pulumi"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(bin); err != nil {
		t.Skip("no Pulumi CLI in .cache/pulumi/bin (scripts/test.sh builds it)")
	}
	return bin
}

// Through the real CLI: the stack holds what the tfvars said, secrets
// encrypted, every value of the type Pulumi.yaml declares (the CLI's own
// check before preview), and config.Parse reads it back.
func TestCLISetter_RealCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the Pulumi CLI")
	}
	bin := pulumiCLI(t)
	dir := t.TempDir()
	projectFile, err := os.ReadFile(filepath.Join("..", "Pulumi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), projectFile, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PULUMI_BACKEND_URL", "file://"+filepath.ToSlash(filepath.Join(dir, "state")))
	t.Setenv("PULUMI_HOME", filepath.Join(dir, "home"))
	t.Setenv("PULUMI_CONFIG_PASSPHRASE", "adopt-test")
	t.Setenv("PULUMI_SKIP_UPDATE_CHECK", "true")
	if err := os.Mkdir(filepath.Join(dir, "state"), 0o700); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) []byte {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("pulumi %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return out
	}
	run("stack", "init", "prod", "--non-interactive")

	v := parse(t, template)
	if err := WriteConfig(v, map[string]string{config.KeyServicesAMI: "ami-0cfee17793b08a293"}, CLISetter{Pulumi: bin, Dir: dir, Stack: "prod"}); err != nil {
		t.Fatalf("expected no error, found %v", err)
	}

	stackFile, err := os.ReadFile(filepath.Join(dir, "Pulumi.prod.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY", "s3cr3tpassphrase"} {
		if strings.Contains(string(stackFile), secret) {
			t.Errorf("expected the stack file to hold %q encrypted only, found:\n%s", secret, stackFile)
		}
	}

	var stored map[string]struct {
		Value       string `json:"value"`
		ObjectValue any    `json:"objectValue"`
		Secret      bool   `json:"secret"`
	}
	if err := json.Unmarshal(run("config", "--stack", "prod", "--json", "--show-secrets"), &stored); err != nil {
		t.Fatal(err)
	}
	project, err := workspace.LoadProject(filepath.Join(dir, "Pulumi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{config.KeyServicesAMI: "ami-0cfee17793b08a293"}
	for k, val := range v.Values {
		if k != config.KeyServicesAMI {
			want[k] = val
		}
	}
	for k, val := range want {
		s, ok := stored[project.Name.String()+":"+k]
		key, _ := config.KeyNamed(k)
		switch {
		case !ok:
			t.Errorf("%s: expected it in the stack, found it missing", k)
			continue
		case key.Kind == config.List || key.Kind == config.Map:
			var w any
			_ = json.Unmarshal([]byte(val), &w)
			if !reflect.DeepEqual(s.ObjectValue, w) {
				t.Errorf("%s: expected the object %s, found %v (value %q)", k, val, s.ObjectValue, s.Value)
			}
		case s.Value != val:
			t.Errorf("%s: expected %q, found %q", k, val, s.Value)
		}
		if s.Secret != key.Secret {
			t.Errorf("%s: expected secret %v, found %v", k, key.Secret, s.Secret)
		}
		// The CLI's check of a stack value against Pulumi.yaml
		// (pkg/workspace.validateStackConfigValue).
		decl := project.Config[k]
		var content any = s.Value
		if s.ObjectValue != nil {
			content = s.ObjectValue
		}
		if !workspace.ValidateConfigValue(*decl.Type, decl.Items, content) {
			t.Errorf("%s: expected the CLI to accept %v as %s, found it refused", k, content, *decl.Type)
		}
	}
	if _, _, err := config.Parse(func(k string) (string, bool, bool) {
		s, ok := stored[project.Name.String()+":"+k]
		if ok && s.ObjectValue != nil {
			b, _ := json.Marshal(s.ObjectValue)
			return string(b), true, s.Secret
		}
		return s.Value, ok, s.Secret
	}); err != nil {
		t.Errorf("expected config.Parse to accept the stack, found %v", err)
	}
}
