package adopt

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/circleci-server-pulumi/installer/config"
)

// Report is the adoption for the administrator to read before importing:
// a table with a row per object of the Terraform state (its address, what
// it becomes, what the first `pulumi up` does to it), then what the first
// `pulumi up` creates, what to delete by hand afterwards and how, the other
// steps by hand, the stack configuration the adoption sets, and the
// warnings.
func (a *Adoption) Report() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Adoption of the CircleCI Server installation with prefix %q in %s, from %s\n\n", a.Prefix, a.Region, a.Source)

	b.WriteString("Terraform objects\n")
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  ADDRESS\tACTION\tBECOMES\tFIRST PULUMI UP")
	for _, t := range a.Targets {
		first := t.FirstUp
		if t.Note != "" {
			first += " [" + t.Note + "]"
		}
		becomes := t.Becomes()
		if t.Action == ActionImport && t.ID != "" {
			becomes += " (id " + t.ID + ")"
		}
		if t.Action == ActionData && t.Type != "" {
			becomes = t.Type + " (read at every preview)"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", oneLine(t.Address()), t.Action, becomes, oneLine(first))
	}
	_ = tw.Flush()

	if len(a.Created) > 0 {
		b.WriteString("\nCreated by the first pulumi up (nothing of the Terraform state is them)\n")
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		for _, c := range a.Created {
			fmt.Fprintf(tw, "  %s %s\t%s\n", c.Type, c.Name, oneLine(c.What))
		}
		_ = tw.Flush()
	}

	if len(a.Cleanup) > 0 {
		b.WriteString("\nDelete by hand once the first pulumi up has succeeded\n")
		writeSteps(&b, a.Cleanup)
	}
	if len(a.Manual) > 0 {
		b.WriteString("\nOther steps by hand\n")
		writeSteps(&b, a.Manual)
	}
	if len(a.Extra) > 0 {
		b.WriteString("\nStack configuration the adoption sets from the existing objects (over the tfvars)\n")
		for _, k := range config.SortedKeys(a.Extra) {
			fmt.Fprintf(&b, "  %s = %s\n", k, a.Extra[k])
		}
	}
	if len(a.Warnings) > 0 {
		b.WriteString("\nWarnings\n")
		for _, w := range a.Warnings {
			fmt.Fprintf(&b, "  ! %s\n", w)
		}
	}
	return b.String()
}

func writeSteps(b *strings.Builder, steps []Step) {
	for i, s := range steps {
		fmt.Fprintf(b, "  %d. %s\n", i+1, s.What)
		if s.Command != "" {
			fmt.Fprintf(b, "     %s\n", s.Command)
		}
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
