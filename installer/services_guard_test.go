package installer

import (
	"strings"
	"testing"
)

func TestServicesBoxChanges(t *testing.T) {
	live := liveServicesBox{ID: "i-0123", AMI: "ami-old", SubnetID: "subnet-a", KeyName: "old-key", InstanceType: "m5.2xlarge"}
	same := wantedServicesBox{AMI: "ami-old", SubnetID: "subnet-a", KeyName: "old-key", InstanceType: "m5.2xlarge"}
	with := func(f func(*wantedServicesBox)) wantedServicesBox { w := same; f(&w); return w }
	cases := []struct {
		name                 string
		want                 wantedServicesBox
		refusals, warnings   []string // substrings, in order
		noRefusal, noWarning bool
	}{
		{name: "nothing changes", want: same, noRefusal: true, noWarning: true},
		{name: "AMI from the lookup is not compared", want: with(func(w *wantedServicesBox) { w.AMI = "" }), noRefusal: true, noWarning: true},
		{name: "a new AMI replaces", want: with(func(w *wantedServicesBox) { w.AMI = "ami-new" }),
			refusals: []string{"from ami-old to ami-new", "services_ami"}, noWarning: true},
		{name: "a new subnet replaces", want: with(func(w *wantedServicesBox) { w.SubnetID = "subnet-b" }),
			refusals: []string{"aws_subnet_id would move it from subnet-a to subnet-b"}, noWarning: true},
		{name: "a new key is not applied", want: with(func(w *wantedServicesBox) { w.KeyName = "new-key" }),
			noRefusal: true, warnings: []string{`aws_ssh_key_name is "new-key"`, `launched with the key pair "old-key"`, "not applied", "authorized_keys"}},
		{name: "a new type stops and starts", want: with(func(w *wantedServicesBox) { w.InstanceType = "m5.4xlarge" }),
			noRefusal: true, warnings: []string{"from m5.2xlarge to m5.4xlarge", "stops the services box"}},
		{name: "allowed replacement warns instead", want: with(func(w *wantedServicesBox) { w.AMI = "ami-new"; w.AllowReplacement = true }),
			noRefusal: true, warnings: []string{"services_allow_replacement is true", "replaces the services box i-0123", "ami-new"}},
		{name: "allowing without a replacing change is silent here", want: with(func(w *wantedServicesBox) { w.AllowReplacement = true }),
			noRefusal: true, noWarning: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			refusals, warnings := servicesBoxChanges(live, c.want)
			check := func(what string, got []string, want []string, none bool) {
				joined := strings.Join(got, "\n")
				if none && len(got) > 0 {
					t.Errorf("%s: want none, found %q", what, got)
				}
				if !none && len(got) == 0 {
					t.Errorf("%s: want some containing %q, found none", what, want)
				}
				for _, w := range want {
					if !strings.Contains(joined, w) {
						t.Errorf("%s: want one containing %q, found %q", what, w, got)
					}
				}
			}
			check("refusals", refusals, c.refusals, c.noRefusal)
			check("warnings", warnings, c.warnings, c.noWarning)
		})
	}
}
