// Package config turns a stack's configuration into a validated Config.
//
// The keys mirror the variables of CircleCI's Terraform installer
// (enterprise-setup) one for one, so a terraform.tfvars file maps onto a
// Pulumi stack key for key. Keys that the Terraform installer did not have
// come after them; each exists to close one of its known defects.
package config

// Kind is the type a key is declared with in Pulumi.yaml.
type Kind string

const (
	String  Kind = "string"
	Integer Kind = "integer"
	Boolean Kind = "boolean"
	List    Kind = "array"  // a list of strings
	Map     Kind = "object" // string keys to string values
)

// Key describes one stack configuration key. The same table drives parsing,
// defaults, and the test that keeps Pulumi.yaml and the README in step.
type Key struct {
	Name     string
	Kind     Kind
	Default  string // as Pulumi stores it: JSON for lists and maps; "" with Required or for "unset"
	Required bool
	Secret   bool
	Doc      string
}

// Keys lists every configuration key in the order the README documents them.
var Keys = []Key{
	// 1. Required cloud configuration (tfvars section 1).
	{Name: "aws_access_key", Kind: String, Secret: true, Doc: "AWS access key ID. Leave unset to use the standard AWS credential chain (environment, profile, SSO, instance role)."},
	{Name: "aws_secret_key", Kind: String, Secret: true, Doc: "AWS secret access key, set together with aws_access_key. Stored encrypted."},
	{Name: "aws_region", Kind: String, Required: true, Doc: "AWS region to install into, e.g. eu-central-1, us-gov-west-1 or cn-north-1."},
	{Name: "aws_vpc_id", Kind: String, Required: true, Doc: "ID of the existing VPC (vpc-...). DNS support must be enabled on it."},
	{Name: "aws_subnet_id", Kind: String, Required: true, Doc: "ID of the existing subnet (subnet-...) in that VPC that hosts every instance."},
	{Name: "aws_ssh_key_name", Kind: String, Required: true, Doc: "Name of an existing EC2 key pair, installed on every instance for the ubuntu user."},

	// 2. Required CircleCI configuration (tfvars section 2).
	{Name: "circle_secret_passphrase", Kind: String, Required: true, Secret: true, Doc: "Passphrase shared by the services box and 1.0 builders. Stored encrypted and handed to instances through SSM Parameter Store, never in user data."},
	{Name: "services_instance_type", Kind: String, Default: "m5.2xlarge", Doc: "Instance type of the services box; CircleCI Server 2.19 needs at least 32 GB of RAM."},
	{Name: "builder_instance_type", Kind: String, Default: "r5.2xlarge", Doc: "Instance type of the 1.0 builders (only used when desired_builders_count > 0)."},
	{Name: "nomad_client_instance_type", Kind: String, Default: "m5.2xlarge", Doc: "Instance type of the Nomad clients that run 2.0 jobs; at least 4 cores and 32 GB of RAM."},

	// 3. Optional configuration (tfvars section 3 and variables.tf).
	{Name: "enable_govcloud", Kind: Boolean, Default: "false", Doc: "Install into AWS GovCloud (aws-us-gov partition). Implied by a us-gov-* region; an error with any other region."},
	{Name: "services_ami", Kind: String, Default: "", Doc: "AMI of the services box. Empty: the newest Canonical Ubuntu 16.04 image of the region, looked up at preview."},
	{Name: "ubuntu_ami", Kind: Map, Default: "{}", Doc: "Region-to-AMI map, as in the Terraform installer. An entry for aws_region is used when services_ami is empty; otherwise the lookup decides."},
	{Name: "max_builders_count", Kind: Integer, Default: "2", Doc: "Maximum size of the 1.0 builders group."},
	{Name: "desired_builders_count", Kind: Integer, Default: "0", Doc: "Desired size of the 1.0 builders group. 0 (the default) creates no 1.0 builder objects at all."},
	{Name: "legacy_builder_spot_price", Kind: String, Default: "", Doc: "Maximum spot price in USD per hour for 1.0 builders, e.g. 0.25. Empty: on-demand instances."},
	{Name: "enable_nomad", Kind: Integer, Default: "1", Doc: "1 provisions the Nomad client fleet that runs 2.0 jobs; 0 leaves it out."},
	{Name: "max_clients_count", Kind: Integer, Default: "2", Doc: "Maximum number of Nomad clients."},
	{Name: "desired_clients_count", Kind: Integer, Default: "1", Doc: "Desired number of Nomad clients; at most max_clients_count."},
	{Name: "prefix", Kind: String, Default: "circleci", Doc: "Prefix of every AWS name, so that several installations can share a region: lowercase letters, digits, '-' and '_'. Fixed for the life of an installation: AWS cannot rename its objects."},
	{Name: "services_disable_api_termination", Kind: Boolean, Default: "true", Doc: "EC2 termination protection of the services box. Set false before `pulumi destroy` (or before an AMI change replaces the box)."},
	{Name: "services_delete_on_termination", Kind: Boolean, Default: "false", Doc: "Delete the services box's root volume when the instance is terminated. false keeps the data volume for recovery."},
	{Name: "force_destroy_s3_bucket", Kind: Boolean, Default: "false", Doc: "Let `pulumi destroy` delete the artifacts bucket even when it still holds objects."},
	{Name: "enable_route", Kind: Integer, Default: "0", Doc: "1 creates a Route53 A record for the services box (needs route_name and route_zone_id)."},
	{Name: "route_name", Kind: String, Default: "", Doc: "DNS name of the Route53 record, e.g. circleci.example.com."},
	{Name: "route_zone_id", Kind: String, Default: "", Doc: "ID of the hosted zone (Z...) that holds route_name."},
	{Name: "http_proxy", Kind: String, Default: "", Doc: "HTTP proxy URL for every instance, e.g. http://proxy.internal:3128. Empty: no proxy."},
	{Name: "https_proxy", Kind: String, Default: "", Doc: "HTTPS proxy URL for every instance. Empty: no proxy."},
	{Name: "no_proxy", Kind: String, Default: "", Doc: "Comma-separated hosts that bypass the proxy. The metadata address 169.254.169.254 is always added when a proxy is set."},
	{Name: "services_user_data_enabled", Kind: Boolean, Default: "true", Doc: "Run the install script on the services box at first boot. false boots plain Ubuntu."},

	// Keys the Terraform installer did not have.
	{Name: "tags", Kind: Map, Default: "{}", Doc: "Tags for every AWS object, including instances that the auto scaling groups launch. The tag circleci:prefix is always added."},
	{Name: "admin_cidr_blocks", Kind: List, Default: `["0.0.0.0/0"]`, Doc: "Who may reach SSH (22) and the admin console (8800). The default stays open for parity and preview warns; narrow it to your network."},
	{Name: "user_cidr_blocks", Kind: List, Default: `["0.0.0.0/0"]`, Doc: "Who may reach the web app (80, 443) and artifacts (7171, 8081): your users and, for webhooks, GitHub."},
	{Name: "ssh_rerun_cidr_blocks", Kind: List, Default: `["0.0.0.0/0"]`, Doc: "Who may use \"Rerun job with SSH\": ports 64535-65535 on Nomad clients and 22 on machine-executor VMs."},
	{Name: "imds_http_tokens", Kind: String, Default: "optional", Doc: "Instance metadata tokens: optional (default; the 2.19 services predate IMDSv2) or required (IMDSv2 only)."},
	{Name: "root_volume_type", Kind: String, Default: "gp3", Doc: "EBS type of every root volume: gp3, gp2, io1 or io2. Volumes are always encrypted."},
	{Name: "services_volume_size", Kind: Integer, Default: "150", Doc: "Root volume of the services box in GiB."},
	{Name: "nomad_client_volume_size", Kind: Integer, Default: "200", Doc: "Root volume of each Nomad client in GiB."},
	{Name: "builder_volume_size", Kind: Integer, Default: "150", Doc: "Root volume of each 1.0 builder in GiB."},
	{Name: "nomad_client_ami", Kind: String, Default: "", Doc: "AMI of the Nomad clients. Empty: Ubuntu 16.04 as looked up (never services_ami, which may be a backup of the services box). Changing it rolls the clients."},
	{Name: "nomad_version", Kind: String, Default: "0.9.3", Doc: "Nomad release installed on the clients (the guide's July 2020 script: 0.9.3). Changing it rolls the clients."},
	{Name: "docker_version", Kind: String, Default: "5:18.09.9~3-0~ubuntu-xenial", Doc: "Docker CE package version installed on the services box and Nomad clients."},
	{Name: "nomad_min_healthy_percentage", Kind: Integer, Default: "50", Doc: "During a rolling replacement of Nomad clients, the share of the fleet (0-100) kept in service."},
	{Name: "services_public_ip", Kind: Boolean, Default: "true", Doc: "Give the services box an Elastic IP. false keeps the install private: outputs and DNS use the private address."},

	// Preflight: the guide's requirements, checked at preview.
	{Name: "daily_active_users", Kind: Integer, Default: "0", Doc: "Expected daily active CircleCI users. Preview then checks the services box and the Nomad client count against the guide's sizing tables; 0 skips those checks."},
	{Name: "nomad_job_memory_mib", Kind: Integer, Default: "4096", Doc: "Memory of a typical job in MiB (4096: the medium resource class, 2 CPUs), the unit of the nomad_jobs_per_client output."},
	{Name: "create_s3_gateway_endpoint", Kind: Boolean, Default: "false", Doc: "Create an S3 gateway endpoint on the subnet's route table, as the guide asks for private subnets."},
	{Name: "preflight", Kind: String, Default: "error", Doc: "error: a failed preflight check stops preview before anything is created. warn: failed checks are reported as warnings, for administrators who know better."},
}

// KeyNamed returns the key with that name.
func KeyNamed(name string) (Key, bool) {
	for _, k := range Keys {
		if k.Name == name {
			return k, true
		}
	}
	return Key{}, false
}
