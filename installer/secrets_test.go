package installer_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// plaintextPaths lists where s appears in an input outside a secret.
func plaintextPaths(r *run, s string) []string {
	var found []string
	var walk func(path string, v resource.PropertyValue)
	walk = func(path string, v resource.PropertyValue) {
		switch {
		case v.IsSecret():
			return // encrypted in state and masked in output
		case v.IsString():
			if strings.Contains(v.StringValue(), s) {
				found = append(found, path)
			}
		case v.IsArray():
			for i, e := range v.ArrayValue() {
				walk(fmt.Sprintf("%s[%d]", path, i), e)
			}
		case v.IsObject():
			for k, e := range v.ObjectValue() {
				walk(path+"."+string(k), e)
			}
		}
	}
	for _, res := range r.resources {
		walk(res.String(), resource.NewObjectProperty(res.Inputs))
	}
	return found
}

func TestSecrets_PassphraseNeverInPlaintext(t *testing.T) {
	t.Parallel()
	cfg := with(t, map[string]string{"desired_builders_count": "1"})
	pass := cfg["circle_secret_passphrase"]
	if len(pass) < 8 {
		t.Fatalf("example passphrase %q too short to search for", pass)
	}
	r := mustDeploy(t, cfg)
	if paths := plaintextPaths(r, pass); len(paths) > 0 {
		t.Errorf("the passphrase is in plaintext in: %v", paths)
	}
	for k, v := range r.outputs {
		if strings.Contains(fmt.Sprint(v), pass) {
			t.Errorf("output %s contains the passphrase", k)
		}
	}
	// It is stored once, as a SecureString, as a secret.
	p := r.only(t, "aws:ssm/parameter:Parameter")
	want(t, "parameter type", p.str("type"), "SecureString")
	raw := p.Inputs["value"]
	if !raw.IsSecret() || raw.SecretValue().Element.StringValue() != pass {
		t.Errorf("parameter value is not the passphrase as a secret: %v", raw)
	}
	// User data names the parameter and never holds the value.
	for _, s := range []string{
		r.only(t, "aws:ec2/instance:Instance").userData(t, "userDataBase64"),
		r.named(t, "aws:ec2/launchTemplate:LaunchTemplate", "name", "circleci_builders").userData(t, "userData"),
	} {
		if strings.Contains(s, pass) || !strings.Contains(s, "/circleci/circle_secret_passphrase") {
			t.Error("a boot script carries the passphrase, or does not read it from SSM")
		}
	}
}

func TestSecrets_AWSKeysOnlyAsSecrets(t *testing.T) {
	t.Parallel()
	const secretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	r := mustDeploy(t, with(t, map[string]string{"aws_access_key": "AKIAIOSFODNN7EXAMPLE", "aws_secret_key": secretKey}), "aws_access_key", "aws_secret_key")
	if paths := plaintextPaths(r, secretKey); len(paths) > 0 {
		t.Errorf("aws_secret_key in plaintext in: %v", paths)
	}
	p := r.only(t, "pulumi:providers:aws")
	if v := p.Inputs["secretKey"]; !v.IsSecret() {
		t.Errorf("provider secretKey is not a secret: %v", v)
	}
}
