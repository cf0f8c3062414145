package adopt

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// showJSONOf renders resources as `terraform show -json` prints a state:
// root_module's resources, and child_modules nested by module path.
func showJSONOf(t *testing.T, rs []tfResource) []byte {
	t.Helper()
	type mod struct {
		Address      string           `json:"address,omitempty"`
		Resources    []map[string]any `json:"resources,omitempty"`
		ChildModules []*mod           `json:"child_modules,omitempty"`
	}
	root := &mod{}
	modules := map[string]*mod{"": root}
	var get func(path string) *mod
	get = func(path string) *mod {
		if m, ok := modules[path]; ok {
			return m
		}
		parent := ""
		if i := strings.LastIndex(path, ".module."); i >= 0 {
			parent = path[:i]
		}
		m := &mod{Address: path}
		p := get(parent)
		p.ChildModules = append(p.ChildModules, m)
		modules[path] = m
		return m
	}
	for _, r := range rs {
		for _, inst := range r.Instances {
			addr := resourceAddress(r.Module, r.Mode, r.Type, r.Name, jsonKey(inst.IndexKey))
			res := map[string]any{"address": addr, "mode": r.Mode, "type": r.Type, "name": r.Name, "provider_name": "registry.terraform.io/hashicorp/aws",
				"schema_version": 1, "values": inst.Attributes, "sensitive_values": map[string]any{}}
			if inst.IndexKey != nil {
				res["index"] = inst.IndexKey
			}
			m := get(r.Module)
			m.Resources = append(m.Resources, res)
		}
	}
	b, err := json.Marshal(map[string]any{"format_version": "1.0", "terraform_version": "1.5.7", "values": map[string]any{"root_module": root}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// jsonKey is an index key as it reads back from JSON.
func jsonKey(k any) any {
	if n, ok := k.(int); ok {
		return float64(n)
	}
	return k
}

func byAddress(st *State) map[string]Object {
	out := map[string]Object{}
	for _, o := range st.Objects {
		out[o.Address] = o
	}
	return out
}

// The state file and terraform show -json of the same state read the same:
// every instance an Object, with Terraform's addresses.
func TestParseState_ReadsTheStateFileAndShowJSONAlike(t *testing.T) {
	in := defaultInstall()
	in.route = true
	rs := in.resources()
	file, err := ParseState(in.stateFile(t), "terraform.tfstate")
	if err != nil {
		t.Fatalf("the state file: %v", err)
	}
	show, err := ParseState(showJSONOf(t, rs), "show.json")
	if err != nil {
		t.Fatalf("terraform show -json: %v", err)
	}
	if file.TerraformVersion != "0.12.31" || show.TerraformVersion != "1.5.7" {
		t.Errorf("terraform versions %q, %q; want 0.12.31, 1.5.7", file.TerraformVersion, show.TerraformVersion)
	}
	a, b := byAddress(file), byAddress(show)
	if len(a) != len(rs) || len(b) != len(rs) {
		t.Errorf("%d and %d objects; want %d", len(a), len(b), len(rs))
	}
	for _, addr := range []string{
		"data.aws_subnet.subnet", "aws_instance.services", "module.shutdown_sqs.aws_sqs_queue.mod_queue",
		"module.nomad.aws_security_group.nomad_sg[0]", "module.nomad.module.cloudinit.data.template_file.nomad_user_data",
		"module.legacy_builder_user_data.data.template_file.mod", "aws_route53_record.services_route[0]",
	} {
		x, ok1 := a[addr]
		y, ok2 := b[addr]
		if !ok1 || !ok2 {
			t.Errorf("%s: in the state file %v, in show -json %v; want both", addr, ok1, ok2)
			continue
		}
		if x.Mode != y.Mode || x.Type != y.Type || x.Name != y.Name || !reflect.DeepEqual(x.Attributes, y.Attributes) {
			t.Errorf("%s reads differently:\n file %+v\n show %+v", addr, x, y)
		}
	}
	if o := a["module.nomad.aws_security_group.nomad_sg[0]"]; o.Mode != ModeManaged || o.Type != "aws_security_group" || o.Name != "nomad_sg" || o.Attributes["name"] != "circleci_nomad_sg" {
		t.Errorf("nomad_sg[0] = %+v", o)
	}
	if o := a["data.aws_subnet.subnet"]; o.Mode != ModeData || o.Attributes["cidr_block"] != "10.0.1.0/24" {
		t.Errorf("data.aws_subnet.subnet = %+v", o)
	}
	// Both plan alike.
	pa, pb := mustPlan(t, file, nil), mustPlan(t, show, nil)
	if len(pa.Targets) != len(pb.Targets) || !reflect.DeepEqual(pa.Extra, pb.Extra) {
		t.Errorf("the two forms plan differently: %d and %d targets, extra %v and %v", len(pa.Targets), len(pb.Targets), pa.Extra, pb.Extra)
	}
}

// Index keys render as Terraform renders them; deposed objects are kept,
// marked.
func TestParseState_AddressesAndDeposedObjects(t *testing.T) {
	b := []byte(`{"version": 4, "terraform_version": "0.13.7", "resources": [
	  {"module": "module.m", "mode": "managed", "type": "aws_launch_configuration", "name": "lc", "each": "map", "provider": "provider.aws",
	   "instances": [
	     {"index_key": "a", "attributes": {"id": "lc-a", "name": "lc-a"}},
	     {"index_key": "a", "deposed": "00f1e2", "attributes": {"id": "lc-old", "name": "lc-old"}}
	   ]}]}`)
	st, err := ParseState(b, "s.tfstate")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range st.Objects {
		got = append(got, o.Address)
	}
	sort.Strings(got)
	want := []string{`module.m.aws_launch_configuration.lc["a"]`, `module.m.aws_launch_configuration.lc["a"] (deposed 00f1e2)`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("addresses %q; want %q", got, want)
	}
}

// A deposed launch configuration is listed for deletion, never imported.
func TestPlan_DeposedObjectsAreLeftAndDeleted(t *testing.T) {
	in := defaultInstall()
	rs := in.resources()
	for i := range rs {
		if rs[i].Type == "aws_launch_configuration" && rs[i].Module == "module.nomad" {
			old := map[string]any{"id": "terraform-old", "name": "terraform-old", "image_id": "ami-0123456789abcdef0"}
			rs[i].Instances = append(rs[i].Instances, stateInstance{IndexKey: 0, Attributes: old})
		}
	}
	b, err := json.Marshal(map[string]any{"version": 4, "terraform_version": "0.12.31", "resources": rs})
	if err != nil {
		t.Fatal(err)
	}
	// Mark the second instance deposed.
	var f map[string]any
	_ = json.Unmarshal(b, &f)
	for _, r := range f["resources"].([]any) {
		r := r.(map[string]any)
		if r["type"] == "aws_launch_configuration" && r["module"] == "module.nomad" {
			r["instances"].([]any)[1].(map[string]any)["deposed"] = "0badf00d"
		}
	}
	b, _ = json.Marshal(f)
	st, err := ParseState(b, "terraform.tfstate")
	if err != nil {
		t.Fatal(err)
	}
	a := mustPlan(t, st, nil)
	ts := targetsOf(a, "module.nomad.aws_launch_configuration.clients_lc[0] (deposed 0badf00d)")
	if len(ts) != 1 || ts[0].Action != ActionLeave {
		t.Fatalf("the deposed launch configuration: %+v; want one target, leave", ts)
	}
	if !hasStep(a.Cleanup, "aws autoscaling delete-launch-configuration --region eu-central-1 --launch-configuration-name terraform-old") {
		t.Errorf("no cleanup step deletes the deposed launch configuration: %+v", a.Cleanup)
	}
}

// Anything but a state of Terraform 0.12 or later is refused, with what it
// is and what is expected.
func TestParseState_Refuses(t *testing.T) {
	expected := "expected the terraform.tfstate of the installation (Terraform 0.12 or later, state format version 4) or the output of `terraform show -json`"
	for _, tc := range []struct {
		name, file, src string
		want            []string
	}{
		{"not JSON", "terraform.tfstate", "this is not json", []string{"terraform.tfstate is not JSON", expected}},
		{"HCL", "terraform.tfvars", "aws_region = \"eu-central-1\"\nprefix = \"circleci\"\n", []string{"terraform.tfvars is not JSON (it looks like HCL: a .tf or .tfvars file?)", expected}},
		{"truncated JSON", "terraform.tfstate", `{"version": 4, "resources": [`, []string{"is not JSON"}},
		{"a JSON list", "x.json", `[1, 2]`, []string{"x.json is JSON but not an object", expected}},
		{"pulumi stack export", "stack.json", `{"version": 3, "deployment": {"manifest": {"time": "2024-01-01T00:00:00Z"}, "resources": []}}`,
			[]string{"stack.json: this is a Pulumi state, not Terraform's", `"deployment"`, expected}},
		{"pulumi checkpoint", "dev.json", `{"version": 3, "checkpoint": {"stack": "dev", "latest": {"resources": []}}}`,
			[]string{"dev.json: this is a Pulumi state, not Terraform's", `"checkpoint"`}},
		{"terraform 0.11 state", "terraform.tfstate", `{"version": 3, "terraform_version": "0.11.14", "serial": 7, "lineage": "x", "modules": [{"path": ["root"], "resources": {}}]}`,
			[]string{"format version 3", "Terraform 0.11.14", "Terraform 0.11 or older; run terraform 0.12upgrade / upgrade the state first"}},
		{"terraform 0.8 state", "terraform.tfstate", `{"version": 1, "serial": 1, "modules": []}`,
			[]string{"format version 1", "Terraform 0.11 or older"}},
		{"version 4 of an old terraform", "terraform.tfstate", `{"version": 4, "terraform_version": "0.11.14", "resources": []}`,
			[]string{"written by Terraform 0.11.14, older than 0.12", "Terraform 0.11 or older; run terraform 0.12upgrade / upgrade the state first"}},
		{"show -json of an old terraform", "show.json", `{"format_version": "0.1", "terraform_version": "0.11.8", "values": {}}`,
			[]string{"older than 0.12"}},
		{"no terraform_version", "terraform.tfstate", `{"version": 4, "resources": []}`, []string{"has no terraform_version"}},
		{"a future format", "terraform.tfstate", `{"version": 5, "terraform_version": "2.0.0", "resources": []}`, []string{"format version 5", "reads version 4"}},
		{"a plan", "plan.json", `{"format_version": "1.2", "terraform_version": "1.5.7", "planned_values": {}, "resource_changes": []}`,
			[]string{"plan.json is a Terraform plan", "terraform show -json` without a plan file"}},
		{"another tool's JSON", "template.json", `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}`,
			[]string{"template.json is JSON but not a Terraform state", expected}},
		{"a version that is no number", "x.json", `{"version": "4", "terraform_version": "1.0.0", "resources": []}`, []string{`"version" is not a number`}},
		{"flat attributes", "terraform.tfstate", `{"version": 4, "terraform_version": "0.12.0", "resources": [{"mode": "managed", "type": "aws_instance", "name": "services", "instances": [{"attributes_flat": {"id": "i-1"}}]}]}`,
			[]string{"aws_instance.services has only flat attributes", "terraform refresh"}},
		{"a resource of no mode", "terraform.tfstate", `{"version": 4, "terraform_version": "0.12.0", "resources": [{"mode": "odd", "type": "aws_instance", "name": "x", "instances": []}]}`,
			[]string{`has mode "odd"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, err := ParseState([]byte(tc.src), tc.file)
			if err == nil {
				t.Fatalf("ParseState accepted it (%d objects); want an error saying %q", len(st.Objects), tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\n  lacks %q", err, w)
				}
			}
		})
	}
}

// An empty state (terraform show -json of nothing) reads as no objects, and
// Plan then says there is no services box.
func TestParseState_EmptyShowJSON(t *testing.T) {
	st, err := ParseState([]byte(`{"format_version": "1.0", "terraform_version": "1.5.7"}`), "empty.json")
	if err != nil || len(st.Objects) != 0 {
		t.Fatalf("ParseState = %+v, %v; want an empty state", st, err)
	}
	if _, err := Plan(st, nil); err == nil || !strings.Contains(err.Error(), "no services box (aws_instance tagged Name=<prefix>_services) in empty.json: adoption needs one") {
		t.Errorf("Plan error %v; want no services box in empty.json", err)
	}
}

func TestLoadState_NamesTheFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "terraform.tfstate")
	if err := os.WriteFile(path, defaultInstall().stateFile(t), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := LoadState(path)
	if err != nil || st.Source != path || len(st.Objects) == 0 {
		t.Fatalf("LoadState = %+v, %v", st, err)
	}
	if _, err := LoadState(filepath.Join(dir, "missing.tfstate")); err == nil || !strings.Contains(err.Error(), "reading the Terraform state") {
		t.Errorf("LoadState of a missing file: %v", err)
	}
}

// fixture returns the path of a fixture, or skips while it is missing.
func fixture(t *testing.T, dir string, names ...string) string {
	t.Helper()
	for _, n := range names {
		matches, _ := filepath.Glob(filepath.Join("testdata", dir, n))
		if len(matches) > 0 {
			return matches[0]
		}
	}
	t.Skipf("no fixture testdata/%s/%s yet: it is written separately; this test runs once it exists", dir, strings.Join(names, " or "))
	return ""
}

// The fixtures: a default installation, one with 1.0 builders and Route53
// of prefix ci_prod, and what must be refused.
func TestFixtures_DefaultInstallation(t *testing.T) {
	st, err := LoadState(fixture(t, "default", "terraform.tfstate", "*.tfstate", "*.json"))
	if err != nil {
		t.Fatalf("the default installation's state: %v", err)
	}
	a := mustPlan(t, st, nil)
	for _, name := range []string{"services-instance", "services-eni", "artifacts-bucket", "shutdown-queue-queue", "security-groups-users", "nomad-clients-asg", "nomad-clients-launch-template", "iam-policy"} {
		if _, ok := findTarget(a, name); !ok {
			t.Errorf("no target %s in the default installation", name)
		}
	}
	if _, err := a.ImportFile(func(string, Rule) (string, error) { return "sgr-0123456789abcdef0", nil }); err != nil {
		t.Errorf("ImportFile: %v", err)
	}
	for _, o := range st.Objects {
		if len(targetsOf(a, o.Address)) == 0 {
			t.Errorf("%s has no target", o.Address)
		}
	}
}

func TestFixtures_BuildersAndRoute53(t *testing.T) {
	st, err := LoadState(fixture(t, "builders-route53", "terraform.tfstate", "*.tfstate", "*.json"))
	if err != nil {
		t.Fatalf("the builders-route53 installation's state: %v", err)
	}
	a := mustPlan(t, st, nil)
	if a.Prefix != "ci_prod" {
		t.Errorf("prefix %q; want ci_prod", a.Prefix)
	}
	for _, name := range []string{"builders-asg", "builders-launch-template", "builders-shutdown-hook", "dns-record"} {
		if _, ok := findTarget(a, name); !ok {
			t.Errorf("no target %s", name)
		}
	}
	if rec, ok := findTarget(a, "dns-record"); ok && !strings.Contains(rec.ID, "_A") {
		t.Errorf("dns-record id %q; want ZONEID_NAME_A", rec.ID)
	}
}

func TestFixtures_Bad(t *testing.T) {
	for _, tc := range []struct {
		file  string
		parse bool // ParseState accepts it; Plan refuses
		want  string
	}{
		{"not-terraform.json", false, "not Terraform"},
		{"version3.tfstate", false, "Terraform 0.11 or older; run terraform 0.12upgrade / upgrade the state first"},
		{"no-services.tfstate", true, "no services box (aws_instance tagged Name=<prefix>_services) in "},
		{"two-installations.tfstate", true, "two installations"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := fixture(t, "bad", tc.file)
			st, err := LoadState(path)
			if !tc.parse {
				if err == nil || !strings.Contains(strings.ReplaceAll(err.Error(), "not Terraform's", "not Terraform"), tc.want) && !strings.Contains(err.Error(), "not a Terraform state") {
					t.Errorf("LoadState error %v; want one saying %q", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatalf("LoadState: %v", err)
			}
			if _, err := Plan(st, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Plan error %v; want one saying %q", err, tc.want)
			}
		})
	}
}
