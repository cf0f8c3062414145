// Package config turns a stack's configuration into a validated Config.
//
// The keys mirror the variables of CircleCI's Terraform installer
// (enterprise-setup) one for one, so a terraform.tfvars file maps onto a
// Pulumi stack key for key. Keys that the Terraform installer did not have
// come after them; each exists to close one of its known defects.
//
// # One declaration per key
//
// A key is declared once: by its field of Config (this file). The field's
// tag names the key and says how it is stored, its doc comment is the key's
// description, and its Go type is the key's kind:
//
//	string -> string, int -> integer, bool -> boolean,
//	[]string -> array of strings, map[string]string -> object of strings
//
// Tags: key (the name), default (as Pulumi stores it: JSON for lists and
// maps) or required:"true", secret:"true", and kind:"integer" on a bool for
// the Terraform installer's 1/0 switches (enable_nomad, enable_route).
//
// Everything else is derived from the declaration: Keys (the table Parse
// walks by reflection), and, written by `go generate ./config`, the name
// constants in keys_gen.go (KeyAWSRegion = "aws_region", the only way code
// names a key in a message; rendered from this file's source, so it works
// before the package compiles), Pulumi.yaml, and the README's
// configuration reference. Tests fail when any of those is stale, when a
// key's kind and its parsing disagree with what the Pulumi CLI accepts for
// the declared type, when a key is declared but never read, and when a key
// name is typed out as a string anywhere else.
//
// Adding a key is: a field here, `go generate ./config`, its rule in
// validate.go, and its use.
package config

//go:generate go run ./internal/declgen/cmd
//go:generate go test -run ^(TestReadme_ConfigReferenceMatchesTheTable|TestProjectFile_DeclaresEveryKeyAsTheTableDoes)$ . -update

// Config is a stack's configuration, parsed, defaulted and validated. Each
// field is one stack configuration key, in the order the README documents
// them (see the package comment for the tags).
type Config struct {
	// 1. Required cloud configuration (tfvars section 1).

	// AWS access key ID. Leave unset to use the standard AWS credential chain
	// (environment, profile, SSO, instance role).
	AWSAccessKey string `key:"aws_access_key" default:"" secret:"true"`
	// AWS secret access key, set together with aws_access_key. Stored encrypted.
	AWSSecretKey string `key:"aws_secret_key" default:"" secret:"true"`
	// AWS region to install into, e.g. eu-central-1, us-gov-west-1 or cn-north-1.
	AWSRegion string `key:"aws_region" required:"true"`
	// ID of the existing VPC (vpc-...). DNS support must be enabled on it.
	AWSVPCID string `key:"aws_vpc_id" required:"true"`
	// ID of the existing subnet (subnet-...) in that VPC that hosts every
	// instance.
	AWSSubnetID string `key:"aws_subnet_id" required:"true"`
	// Name of an existing EC2 key pair, installed on every instance for the ubuntu
	// user.
	AWSSSHKeyName string `key:"aws_ssh_key_name" required:"true"`

	// 2. Required CircleCI configuration (tfvars section 2).

	// Passphrase shared by the services box and 1.0 builders. Stored encrypted and
	// handed to instances through SSM Parameter Store, never in user data.
	CircleSecretPassphrase string `key:"circle_secret_passphrase" required:"true" secret:"true"`
	// Instance type of the services box; CircleCI Server 2.19 needs at least 32 GB
	// of RAM.
	ServicesInstanceType string `key:"services_instance_type" default:"m5.2xlarge"`
	// Instance type of the 1.0 builders (only used when desired_builders_count >
	// 0).
	BuilderInstanceType string `key:"builder_instance_type" default:"r5.2xlarge"`
	// Instance type of the Nomad clients that run 2.0 jobs; at least 4 cores and
	// 32 GB of RAM.
	NomadClientInstanceType string `key:"nomad_client_instance_type" default:"m5.2xlarge"`

	// 3. Optional configuration (tfvars section 3 and variables.tf).

	// Install into AWS GovCloud (aws-us-gov partition). Implied by a us-gov-*
	// region; an error with any other region.
	EnableGovCloud bool `key:"enable_govcloud" default:"false"`
	// AMI of the services box. Empty: the newest Canonical Ubuntu 16.04 image of
	// the region, looked up at preview.
	ServicesAMI string `key:"services_ami" default:""`
	// Region-to-AMI map, as in the Terraform installer. An entry for aws_region is
	// used when services_ami is empty; otherwise the lookup decides.
	UbuntuAMI map[string]string `key:"ubuntu_ami" default:"{}"`
	// Maximum size of the 1.0 builders group.
	MaxBuildersCount int `key:"max_builders_count" default:"2"`
	// Desired size of the 1.0 builders group. 0 (the default) creates no 1.0
	// builder objects at all.
	DesiredBuildersCount int `key:"desired_builders_count" default:"0"`
	// Maximum spot price in USD per hour for 1.0 builders, e.g. 0.25. Empty:
	// on-demand instances.
	LegacyBuilderSpotPrice string `key:"legacy_builder_spot_price" default:""`
	// 1 provisions the Nomad client fleet that runs 2.0 jobs; 0 leaves it out.
	EnableNomad bool `key:"enable_nomad" kind:"integer" default:"1"`
	// Maximum number of Nomad clients.
	MaxClientsCount int `key:"max_clients_count" default:"2"`
	// Desired number of Nomad clients; at most max_clients_count.
	DesiredClientsCount int `key:"desired_clients_count" default:"1"`
	// Prefix of every AWS name, so that several installations can share a region:
	// lowercase letters, digits, '-' and '_'. Fixed for the life of an
	// installation: AWS cannot rename its objects.
	Prefix string `key:"prefix" default:"circleci"`
	// EC2 termination protection of the services box. It does not stop Pulumi:
	// the provider lifts it before terminating. services_allow_replacement does.
	ServicesDisableAPITermination bool `key:"services_disable_api_termination" default:"true"`
	// Delete the services box's root volume when the instance is terminated. false
	// keeps the data volume for recovery.
	ServicesDeleteOnTermination bool `key:"services_delete_on_termination" default:"false"`
	// Let `pulumi destroy` delete the artifacts bucket even when it still holds
	// objects.
	ForceDestroyS3Bucket bool `key:"force_destroy_s3_bucket" default:"false"`
	// 1 creates a Route53 A record for the services box (needs route_name and
	// route_zone_id).
	EnableRoute bool `key:"enable_route" kind:"integer" default:"0"`
	// DNS name of the Route53 record, e.g. circleci.example.com.
	RouteName string `key:"route_name" default:""`
	// ID of the hosted zone (Z...) that holds route_name.
	RouteZoneID string `key:"route_zone_id" default:""`
	// HTTP proxy URL for every instance, e.g. http://proxy.internal:3128. Empty:
	// no proxy.
	HTTPProxy string `key:"http_proxy" default:""`
	// HTTPS proxy URL for every instance. Empty: no proxy.
	HTTPSProxy string `key:"https_proxy" default:""`
	// Comma-separated hosts that bypass the proxy. The metadata address
	// 169.254.169.254 is always added when a proxy is set.
	NoProxy string `key:"no_proxy" default:""`
	// Run the install script on the services box at first boot. false boots plain
	// Ubuntu.
	ServicesUserDataEnabled bool `key:"services_user_data_enabled" default:"true"`

	// Keys the Terraform installer did not have.

	// Tags for every AWS object, including instances that the auto scaling groups
	// launch. The tag circleci:prefix is always added.
	Tags map[string]string `key:"tags" default:"{}"`
	// Who may reach SSH (22) and the admin console (8800). The default stays open
	// for parity and preview warns; narrow it to your network.
	AdminCIDRBlocks []string `key:"admin_cidr_blocks" default:"[\"0.0.0.0/0\"]"`
	// Who may reach the web app (80, 443) and artifacts (7171, 8081): your users
	// and, for webhooks, GitHub.
	UserCIDRBlocks []string `key:"user_cidr_blocks" default:"[\"0.0.0.0/0\"]"`
	// Who may use "Rerun job with SSH": ports 64535-65535 on Nomad clients, and
	// 54782 and 22 on the VMs of machine and remote Docker jobs.
	SSHRerunCIDRBlocks []string `key:"ssh_rerun_cidr_blocks" default:"[\"0.0.0.0/0\"]"`
	// Who may reach Docker (2376) and SSH (22) on the VMs of remote Docker and
	// machine jobs, besides the installation subnet. When the VMs have public
	// addresses, jobs and vm-service reach them there, from the Nomad clients'
	// public addresses or their NAT gateway's, so the default stays open (as
	// in the Terraform installer) and preview warns; narrow it to those
	// addresses.
	VMCIDRBlocks []string `key:"vm_cidr_blocks" default:"[\"0.0.0.0/0\"]"`
	// Instance metadata tokens: optional (default; the 2.19 services predate
	// IMDSv2) or required (IMDSv2 only).
	IMDSHTTPTokens string `key:"imds_http_tokens" default:"optional"`
	// EBS type of every root volume: gp3, gp2, io1 or io2. Volumes are always
	// encrypted.
	RootVolumeType string `key:"root_volume_type" default:"gp3"`
	// Root volume of the services box in GiB.
	ServicesVolumeSize int `key:"services_volume_size" default:"150"`
	// Root volume of each Nomad client in GiB.
	NomadClientVolumeSize int `key:"nomad_client_volume_size" default:"200"`
	// Root volume of each 1.0 builder in GiB.
	BuilderVolumeSize int `key:"builder_volume_size" default:"150"`
	// AMI of the Nomad clients. Empty: Ubuntu 16.04 as looked up (never
	// services_ami, which may be a backup of the services box). Changing it rolls
	// the clients.
	NomadClientAMI string `key:"nomad_client_ami" default:""`
	// Nomad release installed on the clients (the guide's July 2020 script:
	// 0.9.3). Changing it rolls the clients.
	NomadVersion string `key:"nomad_version" default:"0.9.3"`
	// Docker CE package version installed on the services box and Nomad clients.
	DockerVersion string `key:"docker_version" default:"5:18.09.9~3-0~ubuntu-xenial"`
	// During a rolling replacement of Nomad clients, the share of the fleet
	// (0-100) kept in service. 100: no client leaves before its replacement runs
	// jobs.
	NomadMinHealthyPercentage int `key:"nomad_min_healthy_percentage" default:"100"`
	// During a rolling replacement, how large the fleet may grow (100-200, at
	// most 100 above nomad_min_healthy_percentage). 200 launches every
	// replacement before a client leaves.
	NomadMaxHealthyPercentage int `key:"nomad_max_healthy_percentage" default:"200"`
	// Give the services box an Elastic IP. false keeps the install private:
	// outputs and DNS use the private address.
	ServicesPublicIP bool `key:"services_public_ip" default:"true"`
	// Public IPv4 addresses for the Nomad clients and 1.0 builders: auto (they
	// get one exactly when the subnet's 0.0.0.0/0 route goes to an internet
	// gateway, their only way out there: AWS assigns none by itself on a
	// subnet that is not a default subnet), true, or false.
	ClientsPublicIP string `key:"clients_public_ip" default:"auto"`

	// Day-2 safety: what keeps data and running jobs.

	// Allow this change to replace or delete the services box, which holds
	// every datastore. false (default): a plan that would replace or delete it
	// fails before anything changes. Snapshot first; set it back afterwards.
	ServicesAllowReplacement bool `key:"services_allow_replacement" default:"false"`
	// The services box was launched by the Terraform installer and adopted (the
	// adopt command sets it): it is described as Terraform made it, in its
	// subnet with its own primary interface and auto-assigned public address,
	// its root volume's encryption as it is, so that adoption replaces nothing.
	ServicesLaunchedByTerraform bool `key:"services_launched_by_terraform" default:"false"`
	// Scheduled snapshots of the services box's volumes by Data Lifecycle
	// Manager.
	ServicesSnapshots bool `key:"services_snapshots" default:"true"`
	// Hours between snapshots: 1, 2, 3, 4, 6, 8, 12 or 24.
	ServicesSnapshotIntervalHours int `key:"services_snapshot_interval_hours" default:"24"`
	// Time of day (UTC, HH:MM) the snapshots start.
	ServicesSnapshotTime string `key:"services_snapshot_time" default:"03:00"`
	// How many snapshots to keep (1-1000); the oldest is deleted beyond that.
	ServicesSnapshotRetainCount int `key:"services_snapshot_retain_count" default:"7"`
	// How long a leaving Nomad client's jobs may run before Nomad stops them
	// (nomad node drain -deadline), e.g. 1h or 90m; at most 16h.
	NomadDrainDeadline string `key:"nomad_drain_deadline" default:"1h"`

	// Preflight: the guide's requirements, checked at preview.

	// Expected daily active CircleCI users. Preview then checks the services box
	// and the Nomad client count against the guide's sizing tables; 0 skips those
	// checks.
	DailyActiveUsers int `key:"daily_active_users" default:"0"`
	// Memory of a typical job in MiB (4096: the medium resource class, 2 CPUs),
	// the unit of the nomad_jobs_per_client output.
	NomadJobMemoryMiB int `key:"nomad_job_memory_mib" default:"4096"`
	// Create an S3 gateway endpoint on the subnet's route table, as the guide asks
	// for private subnets.
	CreateS3GatewayEndpoint bool `key:"create_s3_gateway_endpoint" default:"false"`
	// error: a failed preflight check stops preview before anything is created.
	// warn: failed checks are reported as warnings, for administrators who know
	// better.
	Preflight string `key:"preflight" default:"error"`
}
