package installer_test

import (
	"testing"
)

// An adopted box is described as the Terraform installer made it: what
// would otherwise replace it (its interface, its volume's encryption) or
// change its public address (an Elastic IP) is left as it is.
func TestServicesBox_LaunchedByTerraform(t *testing.T) {
	for _, adopted := range []bool{false, true} {
		cfg := devConfig(t)
		if adopted {
			cfg["services_launched_by_terraform"] = "true"
		}
		r := mustDeploy(t, cfg)
		inst := r.only(t, "aws:ec2/instance:Instance")
		_, hasInterfaces := inst.input("networkInterfaces")
		_, hasEncrypted := inst.input("rootBlockDevice.encrypted")
		eips := len(r.ofType("aws:ec2/eip:Eip"))
		checks := []struct {
			what      string
			got, want any
		}{
			{"network interfaces on the instance", hasInterfaces, !adopted},
			{"subnet on the instance", inst.str("subnetId") != "", adopted},
			{"security groups on the instance", len(strs(inst, "vpcSecurityGroupIds")) == 2, adopted},
			{"root volume encryption set", hasEncrypted, !adopted},
			{"Elastic IPs", eips, map[bool]int{false: 1, true: 0}[adopted]},
			{"the interface resource still describes the box's interface", len(r.ofType("aws:ec2/networkInterface:NetworkInterface")), 1},
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Errorf("launched by Terraform %v: %s = %v, want %v", adopted, c.what, c.got, c.want)
			}
		}
		if adopted && r.outputs["services_public_ip"] != instancePublicIP {
			t.Errorf("adopted box's public address = %v, want the instance's own %s", r.outputs["services_public_ip"], instancePublicIP)
		}
	}
}
