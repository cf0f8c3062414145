// Command adopt moves an installation made by CircleCI's Terraform
// installer (enterprise-setup) under this program, without recreating it:
//
//	go run ./cmd/adopt --tfvars terraform.tfvars --tfstate terraform.tfstate --stack prod \
//	    [--dir .] [--import-file adopt-import.json] [--report adopt-report.txt] [--pulumi pulumi]
//
// It reads both Terraform files and plans everything first: the stack
// configuration from the tfvars (validated as pulumi preview validates it),
// and from the state the objects to import and the keys that describe
// them. Bad inputs get clear errors and change nothing. Only when every
// step has succeeded does it write: the stack's configuration (with the
// pulumi CLI, secrets encrypted and never on a command line), the import
// file and the report. It then prints the commands that finish the
// adoption: pulumi import with that file, and pulumi preview, which must
// show no change to the imported objects.
//
// The stack must exist (pulumi stack init) in the project directory --dir.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/circleci-server-pulumi/installer/adopt"
	"github.com/circleci-server-pulumi/installer/config"
)

type options struct {
	tfvars, tfstate, stack, dir, importFile, report, pulumi string
}

func main() {
	var o options
	flag.StringVar(&o.tfvars, "tfvars", "", "the Terraform installer's terraform.tfvars (or terraform.tfvars.json)")
	flag.StringVar(&o.tfstate, "tfstate", "", "its Terraform state: terraform.tfstate, or the output of terraform show -json")
	flag.StringVar(&o.stack, "stack", "", "the Pulumi stack to adopt the installation into (create it first with pulumi stack init)")
	flag.StringVar(&o.dir, "dir", ".", "the directory of this program's Pulumi.yaml")
	flag.StringVar(&o.importFile, "import-file", "adopt-import.json", "where to write the file for pulumi import --file")
	flag.StringVar(&o.report, "report", "adopt-report.txt", "where to write the report of the adoption")
	flag.StringVar(&o.pulumi, "pulumi", "pulumi", "the Pulumi CLI")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "Usage: adopt --tfvars terraform.tfvars --tfstate terraform.tfstate --stack <stack> [flags]\n\n"+
			"Adopts an installation of CircleCI's Terraform installer into a Pulumi stack of this program.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		fail(fmt.Errorf("unexpected arguments: %s", strings.Join(flag.Args(), " ")))
	}
	if err := run(o, os.Stdout, os.Stderr); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "adopt:", err)
	os.Exit(1)
}

// run adopts: everything is read and planned before anything is written.
func run(o options, stdout, stderr io.Writer) error {
	var missing []string
	for _, f := range [][2]string{{"--tfvars", o.tfvars}, {"--tfstate", o.tfstate}, {"--stack", o.stack}} {
		if f[1] == "" {
			missing = append(missing, f[0])
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing %s (see adopt -h)", strings.Join(missing, ", "))
	}

	// 1. Read both inputs and plan. Nothing is written in this part.
	vars, err := adopt.LoadTFVars(o.tfvars)
	if err != nil {
		return err
	}
	warn(stderr, vars.Warnings)
	plan, err := planState(o, vars)
	if err != nil {
		return err
	}
	warn(stderr, plan.warnings)
	// The configuration is validated whole before any of it is set: a dry
	// run that sets nothing.
	check := *vars
	check.Warnings = nil
	if err := adopt.WriteConfig(&check, plan.extra, discard{}); err != nil {
		return err
	}
	warn(stderr, check.Warnings)
	if err := checkStack(o); err != nil {
		return err
	}

	// 2. Write: the configuration, the import file, the report.
	setter := adopt.CLISetter{Pulumi: o.pulumi, Dir: o.dir, Stack: o.stack}
	if err := adopt.WriteConfig(vars, plan.extra, setter); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Set the configuration of stack %s from %s.\n", o.stack, o.tfvars)
	if err := os.WriteFile(o.importFile, plan.importFile, 0o644); err != nil {
		return fmt.Errorf("the configuration is set, but the import file could not be written: %w", err)
	}
	fmt.Fprintf(stdout, "Wrote the import file %s.\n", o.importFile)
	if err := os.WriteFile(o.report, []byte(plan.report), 0o644); err != nil {
		return fmt.Errorf("the configuration and the import file are written, but the report could not be: %w", err)
	}
	fmt.Fprintf(stdout, "Wrote the report %s; read it before importing.\n", o.report)

	// 3. What finishes the adoption.
	fmt.Fprintln(stdout, "\nNext:")
	for _, c := range nextCommands(o, vars, plan) {
		fmt.Fprintln(stdout, "  "+c)
	}
	return nil
}

// adoption is what the state half of package adopt plans: the keys that
// describe the existing objects (they win over the tfvars), the import file,
// the report and its warnings.
type adoption struct {
	extra      map[string]string
	importFile []byte
	report     string
	warnings   []string
}

// planState reads the Terraform state and plans the adoption with package
// adopt's state half. It writes nothing; the IDs of the security group rules
// that Terraform kept inline are looked up with the AWS CLI (read-only) in
// the installation's region.
func planState(o options, vars *adopt.TFVars) (*adoption, error) {
	st, err := adopt.LoadState(o.tfstate)
	if err != nil {
		return nil, err
	}
	a, err := adopt.Plan(st, vars)
	if err != nil {
		return nil, err
	}
	region := a.Region
	if region == "" {
		region = vars.Values[config.KeyAWSRegion]
	}
	if region == "" {
		return nil, fmt.Errorf("neither %s nor %s says which region the installation is in; add %s to %s", o.tfstate, o.tfvars, config.KeyAWSRegion, o.tfvars)
	}
	imports, err := a.ImportFile(adopt.AWSCLIRuleIDs(region))
	if err != nil {
		return nil, err
	}
	return &adoption{extra: a.Extra, importFile: imports, report: a.Report(), warnings: a.Warnings}, nil
}

// checkStack makes sure, before anything is written, that the stack exists
// in the project directory and that its configuration can be read.
func checkStack(o options) error {
	cmd := exec.Command(o.pulumi, "config", "--stack", o.stack, "--json", "--non-interactive")
	cmd.Dir = o.dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		var notFound *exec.Error
		if errors.As(err, &notFound) {
			return fmt.Errorf("nothing was written: the Pulumi CLI %q is not there (--pulumi): %w", o.pulumi, err)
		}
		return fmt.Errorf("nothing was written: the stack %s cannot be read in %s (create it with pulumi stack init %s): %v: %s",
			o.stack, o.dir, o.stack, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// nextCommands are the commands that finish the adoption, to run in the
// current directory.
func nextCommands(o options, vars *adopt.TFVars, plan *adoption) []string {
	flags := "--stack " + o.stack
	importFile := o.importFile
	if filepath.Clean(o.dir) != "." {
		flags = "--cwd " + o.dir + " " + flags
		if abs, err := filepath.Abs(importFile); err == nil {
			importFile = abs
		}
	}
	var cmds []string
	for _, k := range config.Keys {
		_, inVars := vars.Values[k.Name]
		_, inExtra := plan.extra[k.Name]
		if k.Required && k.Secret && !inVars && !inExtra {
			cmds = append(cmds, fmt.Sprintf("pulumi config set %s --secret %s    # unless the stack has it already", flags, k.Name))
		}
	}
	return append(cmds,
		fmt.Sprintf("pulumi import %s --file %s --generate-code=false    # the program declares the resources already", flags, importFile),
		fmt.Sprintf("pulumi preview %s    # must show no change to the imported objects", flags),
	)
}

func warn(w io.Writer, warnings []string) {
	for _, s := range warnings {
		fmt.Fprintln(w, "warning: "+s)
	}
}

// discard is the ConfigSetter of the dry run: it sets nothing.
type discard struct{}

func (discard) Set(string, string, bool) error { return nil }
