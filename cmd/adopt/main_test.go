package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Bad inputs get a clear error, and the command writes nothing: no import
// file, no report, and no stack configuration (the Pulumi CLI it is given
// records every call; none may come).
func TestRun_BadInputsWriteNothing(t *testing.T) {
	td := filepath.Join("..", "..", "adopt", "testdata")
	good := func(name string) string { return filepath.Join(td, "default", name) }
	bad := func(name string) string { return filepath.Join(td, "bad", name) }
	cases := []struct {
		name, tfvars, tfstate, want string
	}{
		{"a Pulumi state", good("terraform.tfvars"), bad("not-terraform.json"), "Pulumi state"},
		{"a Terraform 0.11 state", good("terraform.tfvars"), bad("version3.tfstate"), "0.11"},
		{"no services box", good("terraform.tfvars"), bad("no-services.tfstate"), "no services box"},
		{"two installations", good("terraform.tfvars"), bad("two-installations.tfstate"), "two"},
		{"an expression in the tfvars", bad("expression.tfvars"), good("terraform.tfstate"), "not a literal value"},
		{"no such state", good("terraform.tfvars"), filepath.Join(td, "nope.tfstate"), "nope.tfstate"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			calls := filepath.Join(dir, "calls")
			cli := filepath.Join(dir, "pulumi")
			if err := os.WriteFile(cli, []byte("#!/bin/sh\necho \"$@\" >> "+calls+"\n"), 0o755); err != nil {
				t.Fatal(err)
			}
			o := options{tfvars: c.tfvars, tfstate: c.tfstate, stack: "prod", dir: dir, pulumi: cli,
				importFile: filepath.Join(dir, "adopt-import.json"), report: filepath.Join(dir, "adopt-report.txt")}
			var stdout, stderr bytes.Buffer
			err := run(o, &stdout, &stderr)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error = %v; want one that says %q", err, c.want)
			}
			for _, f := range []string{o.importFile, o.report, calls} {
				if _, statErr := os.Stat(f); statErr == nil {
					t.Errorf("%s was written (or the CLI was called) although the adoption failed", filepath.Base(f))
				}
			}
		})
	}
}
