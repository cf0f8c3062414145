package installer_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

var updatePlan = flag.Bool("update", false, "rewrite testdata/dev-plan.golden from the example stack")

const planGolden = "testdata/dev-plan.golden"

// plain turns a property value into JSON-able data; secrets stay marked.
func plain(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return map[string]any{"(secret)": plain(v.SecretValue().Element)}
	case v.IsComputed() || v.IsOutput():
		return "(unknown)"
	case v.IsArray():
		out := []any{}
		for _, e := range v.ArrayValue() {
			out = append(out, plain(e))
		}
		return out
	case v.IsObject():
		out := map[string]any{}
		for k, e := range v.ObjectValue() {
			out[string(k)] = plain(e)
		}
		return out
	}
	return v.Mappable()
}

// planSnapshot renders every resource the example stack registers: type,
// name, parent, options and inputs, sorted, so that a refactoring that must
// not change the installation can be checked against a committed copy.
func planSnapshot(r *run) string {
	var entries []string
	for _, res := range r.resources {
		var b strings.Builder
		fmt.Fprintf(&b, "%s %s\n", res.Type, res.Name)
		fmt.Fprintf(&b, "  parent: %s\n", res.Parent)
		o := res.Options
		fmt.Fprintf(&b, "  options: deleteBeforeReplace=%v protect=%v ignoreChanges=%v beforeDelete=%v\n", o.DeleteBeforeReplace, o.Protect, o.IgnoreChanges, o.BeforeDelete)
		inputs, _ := json.MarshalIndent(plain(resource.NewObjectProperty(res.Inputs)), "  ", "  ")
		fmt.Fprintf(&b, "  inputs: %s\n", inputs)
		entries = append(entries, b.String())
	}
	sort.Strings(entries)
	return fmt.Sprintf("%d resources\n\n", len(entries)) + strings.Join(entries, "\n")
}

// The example stack's plan is committed: a change to any resource, name,
// option or input shows up as a diff of testdata/dev-plan.golden, and a
// change that is meant must be written with -update.
func TestDevStackPlan_MatchesTheCommittedSnapshot(t *testing.T) {
	got := planSnapshot(mustDeploy(t, devConfig(t)))
	if *updatePlan {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(planGolden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(planGolden)
	if err != nil {
		t.Fatalf("%v (write it with: go test ./installer -run TestDevStackPlan -update)", err)
	}
	if got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		short := func(s string) string {
			if len(s) > 160 {
				return s[:160] + "..."
			}
			return s
		}
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("the example stack's plan differs from %s at line %d:\n want: %s\n  got: %s\n(if the change is meant: go test ./installer -run TestDevStackPlan -update)", planGolden, i+1, short(wl[i]), short(gl[i]))
			}
		}
		t.Fatalf("the example stack's plan has %d lines, %s %d", len(gl), planGolden, len(wl))
	}
}
