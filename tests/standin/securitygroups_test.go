package standin_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

func resourceKey(s string) resource.PropertyKey { return resource.PropertyKey(s) }

// TestSecurityGroupCreate: what the provider and EC2 make of a new group.
func TestSecurityGroupCreate(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	// No VPC: the region's default VPC. No rules: the provider revokes
	// EC2's default allow-all egress rule.
	g := h.up(tSG, "plain", map[string]any{"name": "circleci_plain"})
	for field, want := range map[string]string{
		"vpcId":       otherVPC, // the fixtures' default VPC
		"description": "Managed by Pulumi",
		"egress":      "[]",
		"ingress":     "[]",
	} {
		if got := fmt.Sprint(fromPV(g.outputs[resourceKey(field)])); got != want {
			t.Errorf("%s = %s, expected %s", field, got, want)
		}
	}
	if !strings.HasPrefix(g.str("arn"), "arn:aws:ec2:eu-central-1:123456789012:security-group/sg-") {
		t.Errorf("arn %s, expected a regional security-group ARN", g.str("arn"))
	}
	for i, tc := range []struct {
		name      string
		props     map[string]any
		checkFail string
		err       string
	}{
		{"name sg-", map[string]any{"name": "sg-circleci", "vpcId": vpcID}, "invalid value for name (cannot begin with sg-)", ""},
		{"name prefix sg-", map[string]any{"namePrefix": "sg-circleci", "vpcId": vpcID}, "invalid value for name_prefix (cannot begin with sg-)", ""},
		{"name prefix too long", map[string]any{"namePrefix": strings.Repeat("a", 230), "vpcId": vpcID}, "range (0 - 229)", ""},
		{"empty description", map[string]any{"name": "circleci_x", "description": "", "vpcId": vpcID}, "",
			"MissingParameter: The request must contain the parameter GroupDescription"},
		{"non-ASCII name", map[string]any{"name": "circleci_ü", "vpcId": vpcID}, "", "Character sets beyond ASCII are not supported"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := fmt.Sprintf("sg-%d", i)
			_, failures, err := h.check(tSG, name, tc.props)
			if err != nil {
				t.Fatal(err)
			}
			if tc.checkFail != "" {
				if len(failures) == 0 || !strings.Contains(failures[0].Reason, tc.checkFail) {
					t.Fatalf("check failures %v, expected one with %q", failures, tc.checkFail)
				}
				return
			}
			if len(failures) > 0 {
				t.Fatalf("check failures %v, expected none", failures)
			}
			_, err = h.tryUp(tSG, name, tc.props)
			wantErr(t, err, tc.err, "operation error EC2: CreateSecurityGroup")
		})
	}
}
