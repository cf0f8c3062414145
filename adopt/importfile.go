package adopt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"sort"
	"strings"
)

// AWSProviderVersion is the version of the pulumi-aws plugin this program
// is built with (go.mod: github.com/pulumi/pulumi-aws/sdk/v6). The import
// file's provider is that version, so that the first `pulumi up` finds the
// provider the import made (a test keeps the two the same).
const AWSProviderVersion = "6.83.4"

// providerName is the logical name of the program's explicit provider
// (installer.go, provider()).
const providerName = "aws"

// The import file of `pulumi import --file` (pulumi/pulumi
// pkg/cmd/pulumi/operations/import.go: importFile, importSpec). Names are
// what parent and provider refer to; a resource without a parent is the
// stack's child.
type importDocument struct {
	Resources []importEntry `json:"resources"`
}

type importEntry struct {
	Type      string          `json:"type"`
	Name      string          `json:"name"`
	ID        string          `json:"id,omitempty"`
	Parent    string          `json:"parent,omitempty"`
	Provider  string          `json:"provider,omitempty"`
	Version   string          `json:"version,omitempty"`
	Component bool            `json:"component,omitempty"`
	Inputs    *providerInputs `json:"inputs,omitempty"`
}

// providerInputs are the inputs installer.go gives the provider (the
// credentials aside: the stack's, when it has them, reach the provider at
// the first pulumi up, an update of the provider alone).
type providerInputs struct {
	Region      string `json:"region"`
	DefaultTags struct {
		Tags map[string]string `json:"tags"`
	} `json:"defaultTags"`
}

// RuleIDs finds the sgr- id of a security group rule that Terraform kept
// inline in its group (the state holds no rule ids).
type RuleIDs func(groupID string, r Rule) (string, error)

// ImportFile renders the adoption as a Pulumi import file, for
//
//	pulumi import --file <file> --generate-code=false
//
// It declares the program's provider as a resource (type
// pulumi:providers:aws, name aws, with the region and default tags the
// program gives it: pulumi import creates it with those inputs), then the
// components that the imported resources are children of (component:
// true, children of the stack), then every imported object, with its
// parent and the provider by name. The rules Terraform kept inline get
// their ids from rules; an error from it fails the whole file, so nothing
// is written half.
func (a *Adoption) ImportFile(rules RuleIDs) ([]byte, error) {
	inputs := &providerInputs{Region: a.Region}
	inputs.DefaultTags.Tags = a.DefaultTags
	if inputs.DefaultTags.Tags == nil {
		inputs.DefaultTags.Tags = map[string]string{}
	}
	doc := importDocument{Resources: []importEntry{{
		Type:    "pulumi:providers:" + providerName,
		Name:    providerName,
		Version: AWSProviderVersion,
		Inputs:  inputs,
	}}}

	parents := map[string]bool{}
	for _, t := range a.Targets {
		if t.Action == ActionImport && t.Parent != "" {
			parents[t.Parent] = true
		}
	}
	byRef := map[string]component{}
	for _, c := range allComponents {
		byRef[c.String()] = c
	}
	var unknown []string
	for p := range parents {
		if _, ok := byRef[p]; !ok {
			unknown = append(unknown, p)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, fmt.Errorf("no import file: parents that are not components of this program: %s", strings.Join(unknown, ", "))
	}
	for _, c := range allComponents {
		if parents[c.String()] {
			doc.Resources = append(doc.Resources, importEntry{Type: c.typ, Name: c.name, Component: true})
		}
	}

	seen := map[string]string{providerName: "the provider"}
	for _, c := range allComponents {
		seen[c.name] = "the component " + c.String()
	}
	for _, t := range a.Targets {
		if t.Action != ActionImport {
			continue
		}
		id := t.ID
		if t.Rule != nil && id == "" {
			if rules == nil {
				return nil, fmt.Errorf("no import file: %s (%s) needs its rule id looked up, and no lookup was given", t.Name, t.Address())
			}
			var err error
			if id, err = rules(t.Rule.GroupID, *t.Rule); err != nil {
				return nil, fmt.Errorf("no import file: the id of %s (%s): %w", t.Name, t.Address(), err)
			}
		}
		if id == "" {
			return nil, fmt.Errorf("no import file: %s (%s) has no id to import it by", t.Name, t.Address())
		}
		if other, dup := seen[t.Name]; dup {
			return nil, fmt.Errorf("no import file: two objects become %s: %s and %s", t.Name, other, t.Address())
		}
		seen[t.Name] = t.Address()
		e := importEntry{Type: t.Type, Name: t.Name, ID: id, Provider: providerName}
		if t.Parent != "" {
			e.Parent = byRef[t.Parent].name
		}
		doc.Resources = append(doc.Resources, e)
	}

	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "    ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// AWSCLIRuleIDs looks rule ids up with the AWS CLI, once per group:
//
//	aws ec2 describe-security-group-rules --filters Name=group-id,Values=<id> --region <region> --output json
//
// and finds the one rule that is the same as r (direction, protocol,
// ports, and the CIDR, prefix list or group it admits). It needs the CLI
// on the PATH with credentials that may call ec2:DescribeSecurityGroupRules
// (EC2 has given rules ids, and the CLI this command, since July 2021).
// --output json because the administrator's default output may be text.
func AWSCLIRuleIDs(region string) RuleIDs {
	return cliRuleIDs(region, func(args ...string) ([]byte, error) {
		cmd := exec.Command("aws", args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("aws %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
		}
		return out, nil
	})
}

// cliRuleIDs is AWSCLIRuleIDs with the command runner given.
func cliRuleIDs(region string, run func(args ...string) ([]byte, error)) RuleIDs {
	cache := map[string][]Rule{}
	ids := map[string][]string{}
	return func(groupID string, r Rule) (string, error) {
		rules, ok := cache[groupID]
		if !ok {
			out, err := run("ec2", "describe-security-group-rules", "--filters", "Name=group-id,Values="+groupID, "--region", region, "--output", "json")
			if err != nil {
				return "", err
			}
			var list []string
			if rules, list, err = parseSecurityGroupRules(out); err != nil {
				return "", fmt.Errorf("the rules of %s: %w", groupID, err)
			}
			cache[groupID], ids[groupID] = rules, list
		}
		var found []string
		for i, have := range rules {
			if have.GroupID == groupID && sameRule(have, r) {
				found = append(found, ids[groupID][i])
			}
		}
		switch len(found) {
		case 0:
			return "", fmt.Errorf("%s has no rule %s (changed since Terraform last ran? terraform refresh shows it)", groupID, r)
		case 1:
			return found[0], nil
		}
		return "", fmt.Errorf("%s has %d rules %s: %s", groupID, len(found), r, strings.Join(found, ", "))
	}
}

// The output of describe-security-group-rules (the EC2 API's
// SecurityGroupRule, as the AWS CLI renders it in JSON).
type describedRules struct {
	SecurityGroupRules []struct {
		SecurityGroupRuleID string `json:"SecurityGroupRuleId"`
		GroupID             string `json:"GroupId"`
		IsEgress            bool   `json:"IsEgress"`
		IPProtocol          string `json:"IpProtocol"`
		FromPort            int    `json:"FromPort"`
		ToPort              int    `json:"ToPort"`
		CIDRIPv4            string `json:"CidrIpv4"`
		CIDRIPv6            string `json:"CidrIpv6"`
		PrefixListID        string `json:"PrefixListId"`
		ReferencedGroupInfo *struct {
			GroupID string `json:"GroupId"`
		} `json:"ReferencedGroupInfo"`
		Description string `json:"Description"`
	} `json:"SecurityGroupRules"`
}

// parseSecurityGroupRules reads the CLI's output: the rules and their ids.
func parseSecurityGroupRules(out []byte) ([]Rule, []string, error) {
	var d describedRules
	if err := json.Unmarshal(out, &d); err != nil {
		return nil, nil, fmt.Errorf("not the JSON of aws ec2 describe-security-group-rules: %v", err)
	}
	var rules []Rule
	var ids []string
	for _, r := range d.SecurityGroupRules {
		if r.SecurityGroupRuleID == "" {
			return nil, nil, fmt.Errorf("a rule without a SecurityGroupRuleId in the output of aws ec2 describe-security-group-rules")
		}
		rule := Rule{GroupID: r.GroupID, Direction: Ingress, Protocol: normalProtocol(r.IPProtocol), FromPort: r.FromPort, ToPort: r.ToPort,
			CIDR: r.CIDRIPv4, IPv6CIDR: r.CIDRIPv6, PrefixListID: r.PrefixListID, Description: r.Description}
		if r.IsEgress {
			rule.Direction = Egress
		}
		if r.ReferencedGroupInfo != nil {
			rule.SourceGroupID = r.ReferencedGroupInfo.GroupID
		}
		rules = append(rules, rule)
		ids = append(ids, r.SecurityGroupRuleID)
	}
	return rules, ids, nil
}
