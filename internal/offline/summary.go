package offline

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
)

// Resource is one resource of the stack's state.
type Resource struct {
	URN     string
	Type    string
	Name    string
	ID      string
	Custom  bool
	Parent  string
	Inputs  map[string]any
	Outputs map[string]any
}

// State reads the stack's checkpoint through `pulumi stack export`.
func (e *Env) State(ctx context.Context) ([]Resource, error) {
	dep, err := e.Stack.Export(ctx)
	if err != nil {
		return nil, err
	}
	var d apitype.DeploymentV3
	if err := json.Unmarshal(dep.Deployment, &d); err != nil {
		return nil, err
	}
	var out []Resource
	for _, r := range d.Resources {
		urn := string(r.URN)
		out = append(out, Resource{
			URN: urn, Type: string(r.Type), Name: urn[strings.LastIndex(urn, "::")+2:], ID: string(r.ID),
			Custom: r.Custom, Parent: string(r.Parent), Inputs: r.Inputs, Outputs: r.Outputs,
		})
	}
	return out, nil
}

// AWSObjects are the resources that are AWS objects (not components, not
// the provider, not the stack).
func AWSObjects(state []Resource) []Resource {
	var out []Resource
	for _, r := range state {
		if r.Custom && strings.HasPrefix(r.Type, "aws:") {
			out = append(out, r)
		}
	}
	return out
}

// Summary is one screen on what the stack holds in AWS: objects by type,
// who may reach which port, and what the instance role may do.
func Summary(state []Resource) string {
	var b strings.Builder
	objects := AWSObjects(state)
	summarizeObjects(&b, objects)
	summarizePorts(&b, objects)
	summarizeIAM(&b, objects)
	return b.String()
}

// summarizeObjects counts the objects by type.
func summarizeObjects(b *strings.Builder, objects []Resource) {
	counts := map[string]int{}
	for _, r := range objects {
		counts[r.Type]++
	}
	types := make([]string, 0, len(counts))
	for t := range counts {
		types = append(types, t)
	}
	sort.Strings(types)
	fmt.Fprintf(b, "AWS objects: %d\n", len(objects))
	for _, t := range types {
		fmt.Fprintf(b, "  %3d  %s\n", counts[t], t)
	}
}

// summarizePorts lists who may reach which port of which group.
func summarizePorts(b *strings.Builder, objects []Resource) {
	groupNames := map[string]string{}
	for _, r := range objects {
		if r.Type == "aws:ec2/securityGroup:SecurityGroup" {
			groupNames[r.ID] = fmt.Sprint(r.Inputs["name"])
		}
	}
	var rules []string
	for _, r := range objects {
		if r.Type != "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" {
			continue
		}
		from := fmt.Sprint(r.Inputs["cidrIpv4"])
		if ref, ok := r.Inputs["referencedSecurityGroupId"].(string); ok && ref != "" {
			from = groupNames[ref]
		}
		ports := "all"
		if p := fmt.Sprint(r.Inputs["ipProtocol"]); p != "-1" {
			ports = fmt.Sprintf("%v-%v/%s", r.Inputs["fromPort"], r.Inputs["toPort"], p)
			if r.Inputs["fromPort"] == r.Inputs["toPort"] {
				ports = fmt.Sprintf("%v/%s", r.Inputs["fromPort"], p)
			}
		}
		open := ""
		if from == "0.0.0.0/0" {
			open = "  <- the internet"
		}
		rules = append(rules, fmt.Sprintf("  %-28s %-15s from %-28s%s", groupNames[fmt.Sprint(r.Inputs["securityGroupId"])], ports, from, open))
	}
	sort.Strings(rules)
	fmt.Fprintf(b, "\nOpen ports (security group, port, who may reach it): %d rules\n%s\n", len(rules), strings.Join(rules, "\n"))
}

// summarizeIAM lists what each role's inline policy allows.
func summarizeIAM(b *strings.Builder, objects []Resource) {
	b.WriteString("\nIAM permissions:\n")
	for _, r := range objects {
		if r.Type != "aws:iam/rolePolicy:RolePolicy" {
			continue
		}
		var doc struct {
			Statement []struct {
				Action   []string
				Resource []string
			}
		}
		if err := json.Unmarshal([]byte(fmt.Sprint(r.Inputs["policy"])), &doc); err != nil {
			fmt.Fprintf(b, "  %v: unreadable policy: %v\n", r.Inputs["name"], err)
			continue
		}
		fmt.Fprintf(b, "  role %v:\n", r.Inputs["role"])
		for _, s := range doc.Statement {
			fmt.Fprintf(b, "    %s on %s\n", strings.Join(s.Action, ", "), strings.Join(s.Resource, ", "))
		}
	}
}
