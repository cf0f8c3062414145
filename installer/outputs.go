package installer

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/circleci-server-pulumi/installer/config"
)

// outputs exports the stack outputs: what the administrator needs next,
// and what the admin console's settings ask for.
func (d *deployment) outputs() error {
	cfg, in := d.cfg, d.in
	box, sg := in.ServicesBox, in.SecurityGroups.Machines
	addr := box.Address
	out := pulumi.Map{
		"success_message": addr.ApplyT(func(a string) string {
			return SuccessMessage(a, cfg.AWSSSHKeyName, cfg.ServicesUserDataEnabled)
		}),
		"install_url":          pulumi.Sprintf("http://%s/", addr),
		"admin_console_url":    pulumi.Sprintf("http://%s:8800", addr),
		"ssh_services":         pulumi.Sprintf("ssh ubuntu@%s", addr),
		"services_private_ip":  box.PrivateIP,
		outputServicesPublicIP: addr,
		"services_instance_id": box.InstanceID,
		"bucket_name":          in.ArtifactStore.BucketName,
		"shutdown_queue_url":   in.ShutdownQueue.QueueURL,
		"passphrase_parameter": in.Passphrase.ParameterName,
		// What the Replicated console's VM provider section asks for.
		"subnet_id":                   pulumi.String(cfg.AWSSubnetID),
		"vm_security_group_id":        sg.VM,
		"services_security_group_ids": sg.ServicesBox.IDs,
	}
	if in.NomadClients != nil {
		c := in.Preflight.Capacity
		out["nomad_jobs_per_client"] = pulumi.Float64(c.JobsPerClient)
		out["nomad_fleet_job_capacity"] = pulumi.Float64(c.FleetJobs)
		out["nomad_capacity"] = pulumi.String(in.Preflight.CapacityLine())
		out["nomad_clients_asg_name"] = in.NomadClients.GroupName
		out["nomad_security_group_ids"] = sg.NomadClients.IDs
	}
	if in.LegacyBuilders != nil {
		out["builders_asg_name"] = in.LegacyBuilders.GroupName
	}
	if in.DNS != nil {
		out["services_fqdn"] = in.DNS.FQDN
	}
	in.Outputs = out
	for k, v := range out {
		d.ctx.Export(k, v)
	}
	return nil
}

// outputServicesPublicIP is the Terraform installer's output of that name:
// the box's address. It is not the services_public_ip key, which says
// whether the box has an Elastic IP.
const outputServicesPublicIP = "services_public_ip"

// SuccessMessage tells the administrator what to do once `pulumi up` is done.
func SuccessMessage(address, keyName string, installing bool) string {
	next := "Its install script is running: in about 15 minutes, open the admin console at http://" + address +
		":8800 to upload the license and finish the setup (the guide's \"Access Your Installation\")."
	if !installing {
		next = config.KeyServicesUserDataEnabled + " is false: it boots plain Ubuntu, and CircleCI Server is installed by hand."
	}
	return "Success! The CircleCI Server services box is booting at " + address + ".\n" + next +
		"\nSSH in with the key pair " + keyName + ": ssh ubuntu@" + address
}
