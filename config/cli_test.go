package config

import (
	"context"
	"strings"
	"testing"

	pkgworkspace "github.com/pulumi/pulumi/pkg/v3/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/common/esc"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

// cliCheck runs the check the Pulumi CLI makes of a stack's configuration
// against Pulumi.yaml before `pulumi preview` or `pulumi up` runs the
// program (pkg/workspace.ValidateStackConfigAndApplyProjectConfig). Values
// named in secure are stored as `pulumi config set --secret` stores them.
func cliCheck(t *testing.T, project *workspace.Project, values map[string]string, secure ...string) error {
	t.Helper()
	stack := config.Map{}
	for k, v := range values {
		key := config.MustMakeKey(project.Name.String(), k)
		stack[key] = config.NewValue(v)
		for _, s := range secure {
			if s == k {
				// The Nop crypter's ciphertext is the plaintext itself.
				stack[key] = config.NewSecureValue(v)
			}
		}
	}
	return pkgworkspace.ValidateStackConfigAndApplyProjectConfig(context.Background(), "dev", project,
		esc.Value{}, stack, config.NopEncrypter, config.NopDecrypter)
}

func loadProject(t *testing.T) *workspace.Project {
	t.Helper()
	p, err := workspace.LoadProject(projectFile)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

var requiredValues = map[string]string{
	"aws_region": "eu-central-1", "aws_vpc_id": "vpc-0a1b2c3d4e5f67890", "aws_subnet_id": "subnet-0f1e2d3c4b5a69788",
	"aws_ssh_key_name": "circleci-admin", "circle_secret_passphrase": "s3cr3tpassphrase",
}

func withValues(extra map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range requiredValues {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

// What the CLI refuses by Pulumi.yaml, before our program runs.
func TestProjectFile_TheCLIRefuses(t *testing.T) {
	project := loadProject(t)
	cases := []struct {
		name   string
		values map[string]string
		secure []string
		want   string // "" accepted
	}{
		{"the required keys, the passphrase encrypted", requiredValues, []string{"circle_secret_passphrase"}, ""},
		{"AWS keys set encrypted", withValues(map[string]string{"aws_access_key": "AKIAIOSFODNN7EXAMPLE", "aws_secret_key": "x"}),
			[]string{"circle_secret_passphrase", "aws_access_key", "aws_secret_key"}, ""},
		{"the passphrase in plaintext", requiredValues, nil, "configuration key 'circle_secret_passphrase' must be encrypted"},
		{"enable_nomad = true (a tfvars switch is 1 or 0)", withValues(map[string]string{"enable_nomad": "true"}),
			[]string{"circle_secret_passphrase"}, "key 'enable_nomad' must be of type 'integer'"},
		{"services_public_ip = 1 (a boolean)", withValues(map[string]string{"services_public_ip": "1"}),
			[]string{"circle_secret_passphrase"}, "key 'services_public_ip' must be of type 'boolean'"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := cliCheck(t, project, c.values, c.secure...)
			switch {
			case c.want == "" && err != nil:
				t.Errorf("want the CLI to accept it, got: %v", err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Errorf("want the CLI to refuse it with %q, got: %v", c.want, err)
			}
		})
	}
	missing := withValues(nil)
	delete(missing, "circle_secret_passphrase")
	if err := cliCheck(t, project, missing); err == nil || !strings.Contains(err.Error(), "missing configuration value") {
		t.Errorf("a stack without circle_secret_passphrase: want the CLI's \"missing configuration\", got %v", err)
	}
}

// aws_access_key and aws_secret_key are optional (the AWS credential chain
// is the better way), and an optional key cannot be declared secret in
// Pulumi.yaml: the CLI writes the default into the stack's configuration
// as plaintext and then refuses it ("must be encrypted as it's secret"),
// and without a default the key becomes required. Both answers are shown
// here; our own parser is what refuses them in plaintext.
func TestProjectFile_OptionalSecretsCannotBeDeclaredSecret(t *testing.T) {
	for _, name := range []string{KeyAWSAccessKey, KeyAWSSecretKey} {
		k, _ := KeyNamed(name)
		if !k.Secret || k.Required {
			t.Fatalf("%s: want an optional secret key", name)
		}
		project := loadProject(t)
		decl := project.Config[name]
		if decl.Secret {
			t.Fatalf("Pulumi.yaml declares %s secret; with its default, every stack that leaves it unset is refused", name)
		}
		decl.Secret = true
		project.Config[name] = decl
		err := cliCheck(t, project, requiredValues, KeyCircleSecretPassphrase)
		if err == nil || !strings.Contains(err.Error(), "must be encrypted as it's secret") {
			t.Errorf("%s declared secret with a default: want the CLI to refuse a stack that leaves it unset, got %v", name, err)
		}
		decl.Default = nil
		project.Config[name] = decl
		err = cliCheck(t, project, requiredValues, KeyCircleSecretPassphrase)
		if err == nil || !strings.Contains(err.Error(), "missing configuration value") {
			t.Errorf("%s declared secret without a default: want the CLI to call it missing, got %v", name, err)
		}

		// So the program refuses it in plaintext itself.
		p := &parser{get: func(key string) (string, bool, bool) { return "AKIAIOSFODNN7EXAMPLE", key == name, false }}
		p.raw(k)
		if len(p.problems) != 1 || !strings.Contains(p.problems[0].Message, "pulumi config set --secret "+name) || p.problems[0].Value != "[secret]" {
			t.Errorf("%s in plaintext: want one masked problem naming `pulumi config set --secret`, got %+v", name, p.problems)
		}
	}
}
