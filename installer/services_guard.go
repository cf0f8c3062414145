package installer

import (
	"fmt"
	"strings"

	"github.com/circleci-server-pulumi/installer/components"
	"github.com/circleci-server-pulumi/installer/config"
)

// The services box guard: before anything is planned, the program reads
// the services instance AWS runs now (lookupServicesBox, lookups.go) and compares it with what this run
// would ask for. A change that would replace it is refused here, with the
// whole story (components.ReplacementRefused), before a single resource is
// registered, so even `pulumi up --skip-preview` changes nothing. The
// instance's `protect` (services_box.go) stays the engine's own guard for
// whatever this comparison does not foresee.

// liveServicesBox is the services instance AWS runs now.
type liveServicesBox struct {
	ID, AMI, SubnetID, KeyName, InstanceType string
}

// wantedServicesBox is what this run asks of the services instance.
type wantedServicesBox struct {
	AMI              string // "" when AMI changes are not applied (the image came from a lookup)
	SubnetID         string
	KeyName          string
	InstanceType     string
	AllowReplacement bool
}

// servicesBoxChanges says which differences between the running box and
// this run would replace it (refusals, unless allowed) and which are only
// worth a word (warnings). The key pair is installed at first boot, so a
// new one is not applied (the instance ignores keyName changes).
func servicesBoxChanges(live liveServicesBox, want wantedServicesBox) (refusals, warnings []string) {
	if want.AMI != "" && want.AMI != live.AMI {
		refusals = append(refusals, fmt.Sprintf("its AMI would change from %s to %s (%s or the region's entry of %s)",
			live.AMI, want.AMI, config.KeyServicesAMI, config.KeyUbuntuAMI))
	}
	if want.SubnetID != live.SubnetID {
		refusals = append(refusals, fmt.Sprintf("%s would move it from %s to %s, with a new network interface and private address",
			config.KeyAWSSubnetID, live.SubnetID, want.SubnetID))
	}
	if want.KeyName != live.KeyName {
		warnings = append(warnings, fmt.Sprintf(
			"%s is %q, but the services box %s was launched with the key pair %q. A key pair is installed only at first boot, "+
				"so the change is not applied to the running box (replacing it would lose its data); Nomad clients and 1.0 builders "+
				"launched from now on get the new key. To let the new key in, add its public key to /home/ubuntu/.ssh/authorized_keys "+
				"on the box (ssh in with the old key, or use EC2 Instance Connect or Session Manager)",
			config.KeyAWSSSHKeyName, want.KeyName, live.ID, live.KeyName))
	}
	if want.InstanceType != live.InstanceType {
		warnings = append(warnings, fmt.Sprintf(
			"%s changes from %s to %s: the provider stops the services box, changes its type and starts it again. "+
				"CircleCI is down for those minutes; no data is lost. Stop the application in the admin console (port 8800) first",
			config.KeyServicesInstanceType, live.InstanceType, want.InstanceType))
	}
	if len(refusals) > 0 && want.AllowReplacement {
		warnings = append(warnings, fmt.Sprintf("%s is true, so this `pulumi up` replaces the services box %s: %s",
			config.KeyServicesAllowReplacement, live.ID, strings.Join(refusals, "; ")))
		refusals = nil
	}
	return refusals, warnings
}

// guardServicesBox compares the running services box with this run; it
// fails on a change that would replace it, and warns about the rest.
func (d *deployment) guardServicesBox() error {
	live, err := lookupServicesBox(d.ctx, d.cfg, d.names.Services, d.onAWS)
	if err != nil || live == nil {
		return err
	}
	cfg := d.cfg
	want := wantedServicesBox{
		SubnetID: cfg.AWSSubnetID, KeyName: cfg.AWSSSHKeyName, InstanceType: cfg.ServicesInstanceType,
		AllowReplacement: cfg.ServicesAllowReplacement,
	}
	if !servicesAMIFromLookup(cfg) {
		want.AMI = d.imgs.services.ID
	}
	refusals, warnings := servicesBoxChanges(*live, want)
	for _, w := range warnings {
		_ = d.ctx.Log.Warn(w, nil)
	}
	if len(refusals) > 0 {
		return fmt.Errorf("%s", components.ReplacementRefused(strings.Join(refusals, "; ")))
	}
	return nil
}

// servicesAMIFromLookup: the services box's image came from the lookup of
// Canonical's latest, whose every new release must not replace the box.
func servicesAMIFromLookup(cfg *config.Config) bool {
	return cfg.ServicesAMI == "" && cfg.UbuntuAMI[cfg.AWSRegion] == ""
}
