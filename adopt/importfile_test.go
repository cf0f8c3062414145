package adopt

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
)

// fakeRuleIDs answers every lookup with an id made of the rule.
func fakeRuleIDs(calls *int) RuleIDs {
	return func(groupID string, r Rule) (string, error) {
		*calls++
		return fmt.Sprintf("sgr-%s-%s-%s-%d-%d-%s", groupID, r.Direction, r.Protocol, r.FromPort, r.ToPort, r.peer()), nil
	}
}

// importSpecJSON is an entry of the import file as pulumi import reads it
// (pkg/cmd/pulumi/operations/import.go, importSpec).
type importSpecJSON struct {
	Type      string         `json:"type"`
	Name      string         `json:"name"`
	ID        string         `json:"id"`
	Parent    string         `json:"parent"`
	Provider  string         `json:"provider"`
	Version   string         `json:"version"`
	Component bool           `json:"component"`
	Inputs    map[string]any `json:"inputs"`
}

func readImportFile(t *testing.T, b []byte) []importSpecJSON {
	t.Helper()
	var f struct {
		NameTable map[string]string `json:"nameTable"`
		Resources []importSpecJSON  `json:"resources"`
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		t.Fatalf("the import file is not of pulumi import's format: %v\n%s", err, b)
	}
	return f.Resources
}

// The import file declares the provider as the program has it, the
// components, and every imported object under its parent with the
// provider, and it resolves (as pulumi import resolves it) to the URNs the
// program registers.
func TestImportFile_ResolvesToTheProgramsURNs(t *testing.T) {
	a := mustPlan(t, defaultInstall().state(t), devVars(t))
	calls := 0
	b, err := a.ImportFile(fakeRuleIDs(&calls))
	if err != nil {
		t.Fatalf("ImportFile: %v", err)
	}
	specs := readImportFile(t, b)

	// The provider first, as installer.go provider() makes it.
	p := specs[0]
	if p.Type != "pulumi:providers:aws" || p.Name != "aws" || p.ID != "" || p.Component || p.Version != AWSProviderVersion {
		t.Errorf("first entry %+v; want the provider pulumi:providers:aws named aws, no id, version %s", p, AWSProviderVersion)
	}
	wantInputs := map[string]any{"region": "eu-central-1", "defaultTags": map[string]any{"tags": map[string]any{"circleci:prefix": "circleci", "environment": "dev", "owner": "platform-team"}}}
	if got, _ := json.Marshal(p.Inputs); string(got) != mustJSON(t, wantInputs) {
		t.Errorf("provider inputs %s; want %s (the golden's region and defaultTags)", got, mustJSON(t, wantInputs))
	}

	// Resolve names as parseImportFile does, and compute each URN.
	byName := map[string]importSpecJSON{}
	for _, s := range specs {
		if _, dup := byName[s.Name]; dup {
			t.Errorf("two entries are named %s: pulumi import refuses ambiguous names", s.Name)
		}
		byName[s.Name] = s
	}
	stack, proj := tokens.MustParseStackName("dev").Q(), tokens.PackageName("circleci-server")
	urnOf := func(s importSpecJSON) resource.URN {
		var parentType tokens.Type
		if s.Parent != "" {
			parent, ok := byName[s.Parent]
			if !ok {
				t.Fatalf("%s: the parent %q has no entry", s.Name, s.Parent)
			}
			if !parent.Component || parent.Parent != "" {
				t.Errorf("%s: the parent %s is not a component of the stack", s.Name, s.Parent)
			}
			parentType = tokens.Type(parent.Type)
		}
		return resource.NewURN(stack, proj, parentType, tokens.Type(s.Type), s.Name)
	}

	golden, parentURNs := readGolden(t)
	rules := 0
	for _, s := range specs[1:] {
		switch {
		case s.Component:
			if s.ID != "" || s.Provider != "" || s.Parent != "" {
				t.Errorf("component %s: %+v; a component has no id and no provider, and is the stack's child", s.Name, s)
			}
		default:
			if s.ID == "" || s.Provider != "aws" || s.Parent == "" {
				t.Errorf("%s: %+v; want an id, the provider aws and a parent", s.Name, s)
			}
			if strings.HasPrefix(s.ID, "sgr-") {
				rules++
			}
		}
		g, ok := golden[s.Name]
		if !ok {
			t.Errorf("%s %s is not a resource of the program", s.Type, s.Name)
			continue
		}
		// The program's URN: its parent's type qualifies its own.
		want := urnOf(importSpecJSON{Type: g.typ, Name: g.name})
		if g.parent != "" {
			parentURN := resource.URN(parentURNs[g.parent])
			want = resource.NewURN(stack, proj, parentURN.QualifiedType(), tokens.Type(g.typ), g.name)
		}
		if got := urnOf(s); got != want {
			t.Errorf("%s imports as\n  %s\nthe program registers\n  %s", s.Name, got, want)
		}
	}
	if rules == 0 || rules != calls {
		t.Errorf("%d rules got sgr- ids from %d lookups; want one lookup per inline rule", rules, calls)
	}
	// Every imported target is in the file; nothing else is.
	n := 0
	for _, tg := range a.Targets {
		if tg.Action == ActionImport {
			n++
			if _, ok := byName[tg.Name]; !ok {
				t.Errorf("%s (%s) is not in the import file", tg.Name, tg.Address())
			}
		}
	}
	comps := 0
	for _, s := range specs {
		if s.Component {
			comps++
		}
	}
	if len(specs) != 1+comps+n {
		t.Errorf("the import file has %d entries; want the provider, %d components and %d imports", len(specs), comps, n)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// One failed lookup fails the whole file: nothing half is written.
func TestImportFile_ALookupErrorFailsTheFile(t *testing.T) {
	a := mustPlan(t, defaultInstall().state(t), nil)
	n := 0
	b, err := a.ImportFile(func(groupID string, r Rule) (string, error) {
		n++
		if n == 3 {
			return "", errors.New("AccessDenied: ec2:DescribeSecurityGroupRules")
		}
		return "sgr-0123", nil
	})
	if err == nil || b != nil {
		t.Fatalf("ImportFile = %d bytes, %v; want no file and the error", len(b), err)
	}
	for _, want := range []string{"no import file", "AccessDenied", "security-groups-"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if _, err := a.ImportFile(nil); err == nil || !strings.Contains(err.Error(), "no lookup was given") {
		t.Errorf("ImportFile(nil) error = %v; want one saying the rules need a lookup", err)
	}
}

// A target without an id cannot be imported: no file.
func TestImportFile_RefusesATargetWithoutAnID(t *testing.T) {
	a := &Adoption{Region: "eu-central-1", Targets: []Target{{From: Object{Address: "aws_instance.services"}, Type: typeENI, Name: resENI.name, Parent: compServices.String(), Action: ActionImport}}}
	if _, err := a.ImportFile(nil); err == nil || !strings.Contains(err.Error(), "services-eni (aws_instance.services) has no id") {
		t.Errorf("error = %v; want one naming services-eni without an id", err)
	}
}

// The import file's provider is the plugin version the program is built with.
func TestAWSProviderVersion_IsGoMods(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	want := "github.com/pulumi/pulumi-aws/sdk/v6 v" + AWSProviderVersion
	if !strings.Contains(string(b), want+"\n") {
		t.Errorf("go.mod does not require %s: set AWSProviderVersion to the version it requires", want)
	}
}

// cliSample is the output of
//
//	aws ec2 describe-security-group-rules --filter Name="group-id",Values="sg-1234567890abcdef0"
//
// in the AWS CLI reference, "Example 1: To describe the security group
// rules using the security group ID"
// (https://docs.aws.amazon.com/cli/latest/reference/ec2/describe-security-group-rules.html;
// aws/aws-cli, awscli/examples/ec2/describe-security-group-rules.rst).
const cliSample = `{
    "SecurityGroupRules": [
        {
            "SecurityGroupRuleId": "sgr-abcdef01234567890",
            "GroupId": "sg-1234567890abcdef0",
            "GroupOwnerId": "111122223333",
            "IsEgress": false,
            "IpProtocol": "-1",
            "FromPort": -1,
            "ToPort": -1,
            "ReferencedGroupInfo": {
                "GroupId": "sg-1234567890abcdef0",
                "UserId": "111122223333"
            },
            "Tags": []
        },
        {
            "SecurityGroupRuleId": "sgr-bcdef01234567890a",
            "GroupId": "sg-1234567890abcdef0",
            "GroupOwnerId": "111122223333",
            "IsEgress": true,
            "IpProtocol": "-1",
            "FromPort": -1,
            "ToPort": -1,
            "CidrIpv6": "::/0",
            "Tags": []
        },
        {
            "SecurityGroupRuleId": "sgr-cdef01234567890ab",
            "GroupId": "sg-1234567890abcdef0",
            "GroupOwnerId": "111122223333",
            "IsEgress": true,
            "IpProtocol": "-1",
            "FromPort": -1,
            "ToPort": -1,
            "CidrIpv4": "0.0.0.0/0",
            "Tags": []
        }
    ]
}`

// The CLI's output is read as the reference shows it, each group is
// described once, and each rule matches exactly one of its rules.
func TestAWSCLIRuleIDs_ReadsTheCLIsOutput(t *testing.T) {
	const group = "sg-1234567890abcdef0"
	var runs [][]string
	ids := cliRuleIDs("eu-central-1", func(args ...string) ([]byte, error) {
		runs = append(runs, args)
		return []byte(cliSample), nil
	})
	for _, tc := range []struct {
		rule Rule
		want string
	}{
		// Terraform's self = true ingress of the builders group.
		{Rule{GroupID: group, Direction: Ingress, Protocol: "-1", FromPort: -1, ToPort: -1, SourceGroupID: group}, "sgr-abcdef01234567890"},
		{Rule{GroupID: group, Direction: Egress, Protocol: "-1", FromPort: -1, ToPort: -1, CIDR: "0.0.0.0/0"}, "sgr-cdef01234567890ab"},
		// Ports do not count for all protocols (Terraform holds 0-0, EC2 -1).
		{Rule{GroupID: group, Direction: Egress, Protocol: "-1", FromPort: 0, ToPort: 0, IPv6CIDR: "::/0"}, "sgr-bcdef01234567890a"},
	} {
		got, err := ids(group, tc.rule)
		if err != nil || got != tc.want {
			t.Errorf("%s: %q, %v; want %s", tc.rule, got, err, tc.want)
		}
	}
	if len(runs) != 1 {
		t.Errorf("the CLI ran %d times for one group; want once", len(runs))
	}
	want := "ec2 describe-security-group-rules --filters Name=group-id,Values=" + group + " --region eu-central-1 --output json"
	if len(runs) > 0 && strings.Join(runs[0], " ") != want {
		t.Errorf("ran aws %s; want aws %s", strings.Join(runs[0], " "), want)
	}
	// No such rule, and a direction that does not match.
	for _, r := range []Rule{
		{GroupID: group, Direction: Ingress, Protocol: "tcp", FromPort: 22, ToPort: 22, CIDR: "0.0.0.0/0"},
		{GroupID: group, Direction: Ingress, Protocol: "-1", FromPort: -1, ToPort: -1, CIDR: "0.0.0.0/0"},
	} {
		if _, err := ids(group, r); err == nil || !strings.Contains(err.Error(), "has no rule "+r.String()) {
			t.Errorf("%s: error %v; want one saying the group has no such rule", r, err)
		}
	}
}

// Two rules that match, a CLI that fails, output that is not the CLI's:
// errors that say so.
func TestAWSCLIRuleIDs_Errors(t *testing.T) {
	const group = "sg-1234567890abcdef0"
	twice := strings.Replace(cliSample, `"sgr-bcdef01234567890a"`, `"sgr-0000000000000000a"`, 1)
	twice = strings.Replace(twice, `"CidrIpv6": "::/0"`, `"CidrIpv4": "0.0.0.0/0"`, 1)
	for _, tc := range []struct {
		name string
		out  string
		err  error
		want string
	}{
		{"two matches", twice, nil, "has 2 rules egress all to 0.0.0.0/0: sgr-0000000000000000a, sgr-cdef01234567890ab"},
		{"the CLI fails", "", errors.New("exit status 255: Unable to locate credentials"), "Unable to locate credentials"},
		{"not JSON", "<html>", nil, "not the JSON of aws ec2 describe-security-group-rules"},
		{"no rule id", `{"SecurityGroupRules":[{"GroupId":"sg-1"}]}`, nil, "without a SecurityGroupRuleId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ids := cliRuleIDs("eu-central-1", func(args ...string) ([]byte, error) { return []byte(tc.out), tc.err })
			_, err := ids(group, Rule{GroupID: group, Direction: Egress, Protocol: "-1", FromPort: -1, ToPort: -1, CIDR: "0.0.0.0/0"})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v; want one saying %q", err, tc.want)
			}
		})
	}
}
