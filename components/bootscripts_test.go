package components

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/zclconf/go-cty/cty"

	"github.com/circleci-server-pulumi/installer/config"
)

var update = flag.Bool("update", false, "rewrite the golden boot scripts in testdata/")

var (
	noProxy   = config.Proxy{}
	withProxy = config.Proxy{HTTPProxy: "http://proxy.example.com:3128", HTTPSProxy: "http://proxy.example.com:3128", NoProxy: "localhost,169.254.169.254,169.254.169.123"}
)

// testLifecycle is the Nomad clients' lifecycle hooks in the goldens.
var testLifecycle = NomadLifecycle{
	Region: "us-east-1", GroupName: "circleci_nomad_clients_asg",
	LaunchHookName: "circleci_nomad_clients_join", TerminateHookName: "circleci_nomad_clients_drain",
	DrainDeadline: "1h", HeartbeatSeconds: 120, JoinWaitSeconds: 600,
}

// renderedScripts are the boot scripts under test, with and without a proxy.
func renderedScripts(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for suffix, proxy := range map[string]config.Proxy{"": noProxy, "-proxy": withProxy} {
		services, err := ServicesScript{
			Proxy: proxy, DockerVersion: "5:18.09.9~3-0~ubuntu-xenial",
			QueueURL: "https://sqs.eu-central-1.amazonaws.com/123456789012/circleci_shutdown_queue",
			Bucket:   "circleci-bucket-0a1b2c3d4e5f67890", Region: "eu-central-1", SubnetID: "subnet-0f1e2d3c4b5a69788",
			VMSecurityGroupID: "sg-0123456789abcdef0", PassphraseParameter: "/circleci/circle_secret_passphrase",
		}.Render()
		if err != nil {
			t.Fatal(err)
		}
		nomad, err := NomadClientScript{Proxy: proxy, DockerVersion: "5:18.09.9~3-0~ubuntu-xenial", NomadVersion: "0.9.3", ServicesPrivateIP: "10.0.1.10",
			Lifecycle: testLifecycle}.Render()
		if err != nil {
			t.Fatal(err)
		}
		builder, err := BuilderScript{Proxy: proxy, Region: "eu-central-1", ServicesPrivateIP: "10.0.1.10", PassphraseParameter: "/circleci/circle_secret_passphrase"}.Render()
		if err != nil {
			t.Fatal(err)
		}
		out["services"+suffix+".sh"] = services
		out["nomad-client"+suffix+".sh"] = nomad
		out["builder"+suffix+".sh"] = builder
	}
	return out
}

func TestBootScripts_Golden(t *testing.T) {
	for name, script := range renderedScripts(t) {
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		golden, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./components -run Golden -update)", err)
		}
		if string(golden) != script {
			t.Errorf("%s differs from %s; review with `go test ./components -run Golden -update && git diff %s`", name, path, path)
		}
	}
}

func TestBootScripts_BashParses(t *testing.T) {
	for name, script := range renderedScripts(t) {
		cmd := exec.Command("bash", "-n")
		cmd.Stdin = strings.NewReader(script)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("bash -n %s: %v\n%s", name, err, out)
		}
	}
}

func TestBootScripts_Shellcheck(t *testing.T) {
	if _, err := exec.LookPath("shellcheck"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("shellcheck is not installed; .ci/run installs it")
		}
		t.Skip("shellcheck is not installed (apt-get install shellcheck); CI runs this check")
	}
	dir := t.TempDir()
	for name, script := range renderedScripts(t) {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(script), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("shellcheck", "--shell=bash", path).CombinedOutput(); err != nil {
			t.Errorf("shellcheck %s: %v\n%s", name, err, out)
		}
	}
}

// The Nomad client configuration the script writes parses as HCL, once
// the shell has expanded the instance's addresses into it.
func TestBootScripts_NomadConfigIsHCL(t *testing.T) {
	script := renderedScripts(t)["nomad-client.sh"]
	m := regexp.MustCompile(`(?s)cat <<EOT > /etc/nomad/config.hcl\n(.*?)\nEOT\n`).FindStringSubmatch(script)
	if m == nil {
		t.Fatal("the script does not write /etc/nomad/config.hcl with a heredoc")
	}
	expanded := strings.NewReplacer("$INSTANCE_ID", "i-0123456789abcdef0", "$PRIVATE_IP", "10.0.1.77").Replace(m[1])
	if strings.Contains(expanded, "$") {
		t.Fatalf("unexpanded shell variables left in the Nomad config:\n%s", expanded)
	}
	f, diags := hclparse.NewParser().ParseHCL([]byte(expanded), "config.hcl")
	if diags.HasErrors() {
		t.Fatalf("Nomad config is not HCL: %v\n%s", diags, expanded)
	}
	content, diags := f.Body.Content(&hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{{Name: "log_level"}, {Name: "name"}, {Name: "data_dir"}, {Name: "datacenter"}},
		Blocks:     []hcl.BlockHeaderSchema{{Type: "advertise"}, {Type: "client"}},
	})
	if diags.HasErrors() {
		t.Fatalf("unexpected Nomad config shape: %v", diags)
	}
	for _, b := range content.Blocks {
		if b.Type != "client" {
			continue
		}
		attrs, diags := b.Body.JustAttributes()
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		values := map[string]cty.Value{}
		for name, a := range attrs {
			v, diags := a.Expr.Value(nil)
			if diags.HasErrors() {
				t.Fatalf("client.%s: %v", name, diags)
			}
			values[name] = v
		}
		if got := values["servers"].Index(cty.NumberIntVal(0)).AsString(); got != "10.0.1.10:4647" {
			t.Errorf("client.servers[0] = %q, want the services box at 10.0.1.10:4647", got)
		}
		if got := values["node_class"].AsString(); got != "linux-64bit" {
			t.Errorf("node_class = %q", got)
		}
		if !values["enabled"].True() {
			t.Error("client not enabled")
		}
		if got := values["options"].GetAttr("driver.raw_exec.enable").AsString(); got != "1" {
			t.Errorf("raw_exec = %q", got)
		}
		return
	}
	t.Fatal("no client block")
}

// What the guide's July 2020 script does, and what this project adds.
func TestBootScripts_NomadClientFollowsTheGuide(t *testing.T) {
	scripts := renderedScripts(t)
	for _, name := range []string{"nomad-client.sh", "nomad-client-proxy.sh"} {
		s := scripts[name]
		for _, want := range []string{
			"nomad_0.9.3_linux_amd64.zip",
			`docker-ce=5:18.09.9~3-0~ubuntu-xenial`,
			`"userns-remap"]="default"`,
			"/etc/circleci/public-ipv4",
			"com.docker.network.bridge.name=ci-privileged ci-privileged",
			"ExecStart=/usr/bin/nomad agent -config /etc/nomad/config.hcl",
			"server 169.254.169.123 prefer iburst",
			// IMDSv2 session token.
			"X-aws-ec2-metadata-token-ttl-seconds",
			// Job containers cannot reach the metadata service.
			"iptables -I DOCKER-USER -i \"$bridge\" -d 169.254.169.254/32 -j DROP",
		} {
			if !strings.Contains(s, want) {
				t.Errorf("%s lacks %q", name, want)
			}
		}
	}
	if strings.Contains(scripts["nomad-client.sh"], "http-proxy.conf") {
		t.Error("Docker gets a proxy drop-in although no proxy is set")
	}
	if !strings.Contains(scripts["nomad-client-proxy.sh"], `no_proxy="localhost,169.254.169.254`) {
		t.Error("the metadata address is not in no_proxy when a proxy is set")
	}
}

// The passphrase is read with tracing off so it never reaches the
// cloud-init log.
func TestBootScripts_PassphraseReadWithoutTracing(t *testing.T) {
	for _, name := range []string{"services.sh", "builder.sh"} {
		s := renderedScripts(t)[name]
		read := strings.Index(s, "aws ssm get-parameter")
		off := strings.LastIndex(s[:read], "{ set +x; }")
		on := strings.Index(s[read:], "set -x")
		if read < 0 || off < 0 || on < 0 {
			t.Errorf("%s: passphrase not read between set +x and set -x", name)
		}
	}
}

// Replicated gets the proxy when there is one, and is told there is none
// otherwise (the Terraform installer always said no-proxy).
func TestBootScripts_ReplicatedProxy(t *testing.T) {
	scripts := renderedScripts(t)
	for name, want := range map[string]string{
		"services.sh":       `local-address="$PRIVATE_IP" no-proxy no-docker`,
		"services-proxy.sh": `http-proxy="${https_proxy:-$http_proxy}" additional-no-proxy="$no_proxy" no-docker`,
	} {
		if !strings.Contains(scripts[name], want) {
			t.Errorf("%s does not install Replicated with %q", name, want)
		}
	}
}
