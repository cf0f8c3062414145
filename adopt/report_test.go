package adopt

import (
	"strings"
	"testing"

	"github.com/circleci-server-pulumi/installer/config"
)

// The report has a row per Terraform object, what the first up creates,
// what to delete afterwards with its command, the keys set, and the
// warnings with the blockers first.
func TestReport_SaysWhatHappensToEveryObject(t *testing.T) {
	in := defaultInstall()
	in.route = true
	a := mustPlan(t, in.state(t), devVars(t))
	r := a.Report()
	t.Log("\n" + r)

	rows := map[string]string{}
	section := ""
	for _, line := range strings.Split(r, "\n") {
		if line != "" && !strings.HasPrefix(line, " ") {
			section = line
			continue
		}
		if section == "Terraform objects" {
			if f := strings.Fields(line); len(f) > 0 {
				rows[line] = f[0]
			}
		}
	}
	for _, tg := range a.Targets {
		found := false
		for line := range rows {
			if strings.Contains(line, oneLine(tg.Address())) && strings.Contains(line, string(tg.Action)) && strings.Contains(line, oneLine(tg.FirstUp)) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("no row of the table has %s, its action %s and its first up %q", tg.Address(), tg.Action, tg.FirstUp)
		}
	}
	if len(rows) != len(a.Targets)+1 { // the header
		t.Errorf("the table has %d rows; want %d targets and the header", len(rows), len(a.Targets))
	}
	for _, want := range []string{
		"Adoption of the CircleCI Server installation with prefix \"circleci\" in eu-central-1, from terraform.tfstate",
		"  ADDRESS  ", "ACTION", "BECOMES", "FIRST PULUMI UP",
		"aws:ec2/instance:Instance services-instance (id " + instanceID + ")",
		"Created by the first pulumi up",
		"aws:ssm/parameter:Parameter passphrase-parameter",
		"Delete by hand once the first pulumi up has succeeded",
		"aws autoscaling delete-launch-configuration --region eu-central-1 --launch-configuration-name " + nomadLC,
		"aws ec2 revoke-security-group-ingress --region eu-central-1 --group-id " + sgUsers,
		"aws autoscaling delete-auto-scaling-group --region eu-central-1 --auto-scaling-group-name circleci_builders_asg --force-delete",
		"Other steps by hand",
		"is not encrypted, and EBS cannot encrypt it in place",
		"Stack configuration the adoption sets from the existing objects",
		"  " + config.KeyServicesAMI + " = " + servicesAMI,
		"  " + config.KeyServicesLaunchedByTerraform + " = true",
		"Warnings",
		"in plaintext",
	} {
		if !strings.Contains(r, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}
