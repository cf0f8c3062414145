package adopt

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/circleci-server-pulumi/installer/components"
	"github.com/circleci-server-pulumi/installer/config"
)

// Action is what the adoption does with an object of the Terraform state.
type Action string

// The actions.
const (
	// ActionImport: the object becomes one of this program's resources as it is.
	ActionImport Action = "import"
	// ActionReplaceNextTo: the program creates an object of another kind beside
	// it (a launch template for a launch configuration) and moves over to
	// it; the old one is deleted by hand afterwards (Adoption.Cleanup).
	ActionReplaceNextTo Action = "replace-next-to"
	// ActionLeave: not managed by this program; listed for the administrator.
	ActionLeave Action = "leave"
	// ActionData: a data source; nothing exists to adopt.
	ActionData Action = "data"
)

// Target is what one object of the Terraform state becomes.
type Target struct {
	From   Object
	Type   string // Pulumi type token, e.g. aws:ec2/instance:Instance; "" when nothing of this program's
	Name   string // this program's logical name, e.g. services-instance
	Parent string // the component's type::name, e.g. circleci-server:aws:ServicesBox::services; "" for the stack
	// ID is the import id; "" when it needs a lookup: Rule says which.
	ID     string
	Action Action
	// FirstUp is what the first `pulumi up` after the import does to it.
	FirstUp string
	Note    string
	// Rule is set for a security group rule that Terraform kept inline in
	// its group: the rule's sgr- id is not in the Terraform state, so
	// ImportFile looks it up with a RuleIDs.
	Rule *Rule
}

// Address is where the target comes from: the object's address, and for an
// inline security group rule the rule.
func (t Target) Address() string {
	if t.Rule != nil {
		return t.From.Address + ": " + t.Rule.String()
	}
	return t.From.Address
}

// Becomes is the target's type and logical name, for people.
func (t Target) Becomes() string {
	if t.Name == "" {
		return "-"
	}
	return t.Type + " " + t.Name
}

// Rule is one rule of a security group as EC2 keeps it (one source or
// destination each): what DescribeSecurityGroupRules returns, and what
// revoking it takes.
type Rule struct {
	GroupID   string // the group the rule is in
	Direction string // Ingress or Egress
	Protocol  string // "tcp", "udp", "icmp", "-1" (all), or an IANA number
	// FromPort and ToPort are the port range; -1 for all (protocol -1).
	FromPort, ToPort int
	// Exactly one of these is set.
	CIDR          string // IPv4
	IPv6CIDR      string
	PrefixListID  string
	SourceGroupID string // the other group (for egress: the destination)
	Description   string
}

// Rule directions.
const (
	Ingress = "ingress"
	Egress  = "egress"
)

// String renders the rule for people: "ingress tcp 22 from 0.0.0.0/0".
func (r Rule) String() string {
	ports := "all"
	if r.Protocol != "-1" {
		ports = r.Protocol + " " + strconv.Itoa(r.FromPort)
		if r.ToPort != r.FromPort {
			ports += "-" + strconv.Itoa(r.ToPort)
		}
	}
	dir := "from"
	if r.Direction == Egress {
		dir = "to"
	}
	return fmt.Sprintf("%s %s %s %s", r.Direction, ports, dir, r.peer())
}

func (r Rule) peer() string {
	switch {
	case r.CIDR != "":
		return r.CIDR
	case r.IPv6CIDR != "":
		return r.IPv6CIDR
	case r.PrefixListID != "":
		return r.PrefixListID
	}
	return r.SourceGroupID
}

// RevokeCommand is the aws CLI command that removes the rule.
func (r Rule) RevokeCommand(region string) string {
	perm := "IpProtocol=" + r.Protocol
	if r.Protocol != "-1" {
		perm += fmt.Sprintf(",FromPort=%d,ToPort=%d", r.FromPort, r.ToPort)
	}
	switch {
	case r.CIDR != "":
		perm += ",IpRanges=[{CidrIp=" + r.CIDR + "}]"
	case r.IPv6CIDR != "":
		perm += ",Ipv6Ranges=[{CidrIpv6=" + r.IPv6CIDR + "}]"
	case r.PrefixListID != "":
		perm += ",PrefixListIds=[{PrefixListId=" + r.PrefixListID + "}]"
	default:
		perm += ",UserIdGroupPairs=[{GroupId=" + r.SourceGroupID + "}]"
	}
	return fmt.Sprintf("aws ec2 revoke-security-group-%s --region %s --group-id %s --ip-permissions '%s'", r.Direction, region, r.GroupID, perm)
}

// NewObject is one of this program's resources that has no counterpart in
// the Terraform state: the first `pulumi up` creates it.
type NewObject struct {
	Type, Name, Parent string
	What               string // what it is, and what creating it changes
}

// Step is something the administrator does by hand, with the command when
// there is one.
type Step struct {
	What    string
	Command string
}

// Adoption is the plan for moving an installation of the Terraform
// installer under this program.
type Adoption struct {
	Prefix string
	Region string
	// Targets are what each object of the Terraform state becomes, in the
	// state's order; an object with inline rules has one per rule after its own.
	Targets []Target
	// Created are the program's resources that the first `pulumi up` creates.
	Created []NewObject
	// Cleanup is what the administrator deletes once the first `pulumi up`
	// has succeeded: what the program replaced or does not manage.
	Cleanup []Step
	// Manual are the other steps by hand the adoption needs.
	Manual []Step
	// Extra are stack config keys that describe the existing objects, so
	// that the first preview describes what exists instead of replacing it
	// (they win over the tfvars: the state says what exists).
	Extra map[string]string
	// DefaultTags are the provider's default tags as the program sets them
	// (config.Config.DefaultTags: circleci:prefix and the tags key).
	DefaultTags map[string]string
	Warnings    []string
	// Source is the Terraform state's file.
	Source string
}

// The components of this program, as installer.go names them.
type component struct{ typ, name string }

func (c component) String() string { return c.typ + "::" + c.name }

var (
	compPassphrase     = component{"circleci-server:aws:Passphrase", "passphrase"}
	compShutdownQueue  = component{"circleci-server:aws:ShutdownQueue", "shutdown-queue"}
	compArtifacts      = component{"circleci-server:aws:ArtifactStore", "artifacts"}
	compIAM            = component{"circleci-server:aws:IAM", "iam"}
	compSecurityGroups = component{"circleci-server:aws:SecurityGroups", "security-groups"}
	compServices       = component{"circleci-server:aws:ServicesBox", "services"}
	compSnapshots      = component{"circleci-server:aws:ServicesSnapshots", "services-snapshots"}
	compDNS            = component{"circleci-server:aws:DNS", "dns"}
	compNomad          = component{"circleci-server:aws:NomadClientFleet", "nomad-clients"}
	compBuilders       = component{"circleci-server:aws:LegacyBuilders", "builders"}
)

// components lists every component in the order installer.go creates them.
var allComponents = []component{compPassphrase, compShutdownQueue, compArtifacts, compIAM, compSecurityGroups, compSnapshots, compServices, compDNS, compNomad, compBuilders}

// Pulumi type tokens of the resources the program registers.
const (
	typeQueue           = "aws:sqs/queue:Queue"
	typeRole            = "aws:iam/role:Role"
	typeRolePolicy      = "aws:iam/rolePolicy:RolePolicy"
	typeInstanceProfile = "aws:iam/instanceProfile:InstanceProfile"
	typeBucket          = "aws:s3/bucketV2:BucketV2"
	typeBucketCORS      = "aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2"
	typeBucketSSE       = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	typeBucketPAB       = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	typeBucketOwnership = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
	typeParameter       = "aws:ssm/parameter:Parameter"
	typeSecurityGroup   = "aws:ec2/securityGroup:SecurityGroup"
	typeIngressRule     = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	typeEgressRule      = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
	typeInstance        = "aws:ec2/instance:Instance"
	typeENI             = "aws:ec2/networkInterface:NetworkInterface"
	typeEIP             = "aws:ec2/eip:Eip"
	typeRecord          = "aws:route53/record:Record"
	typeLaunchTemplate  = "aws:ec2/launchTemplate:LaunchTemplate"
	typeASG             = "aws:autoscaling/group:Group"
	typeHook            = "aws:autoscaling/lifecycleHook:LifecycleHook"
	typeDLMPolicy       = "aws:dlm/lifecyclePolicy:LifecyclePolicy"
	// The program reads the subnet with this invoke (lookups.go).
	typeGetSubnet = "aws:ec2/getSubnet:getSubnet"
)

// programResource is one resource the program registers.
type programResource struct {
	typ, name string
	parent    component
	what      string // for NewObject.What
}

func child(c component, typ, suffix, what string) programResource {
	return programResource{typ: typ, name: c.name + suffix, parent: c, what: what}
}

var (
	resPassphrase      = child(compPassphrase, typeParameter, "-parameter", "the passphrase as an SSM SecureString parameter, which the services box and 1.0 builders read at boot (the Terraform installer kept it in user data and in its state)")
	resQueue           = child(compShutdownQueue, typeQueue, "-queue", "")
	resQueueRole       = child(compShutdownQueue, typeRole, "-role", "")
	resQueueRolePolicy = child(compShutdownQueue, typeRolePolicy, "-role-policy", "")
	resBucket          = child(compArtifacts, typeBucket, "-bucket", "")
	resBucketSSE       = child(compArtifacts, typeBucketSSE, "-encryption", "default encryption (SSE-S3, AES256) of the artifacts bucket; objects already there stay as they are")
	resBucketPAB       = child(compArtifacts, typeBucketPAB, "-public-access-block", "blocks public ACLs and policies on the artifacts bucket (CircleCI hands out pre-signed URLs, which keep working)")
	resBucketOwnership = child(compArtifacts, typeBucketOwnership, "-ownership", "BucketOwnerEnforced on the artifacts bucket: object ACLs stop applying, the account owns every object")
	resBucketCORS      = child(compArtifacts, typeBucketCORS, "-cors", "the CORS rule of the artifacts bucket (GET from any origin, max age 3600 s)")
	resRole            = child(compIAM, typeRole, "-role", "")
	resPolicy          = child(compIAM, typeRolePolicy, "-policy", "")
	resProfile         = child(compIAM, typeInstanceProfile, "-profile", "")
	resENI             = child(compServices, typeENI, "-eni", "")
	resEIP             = child(compServices, typeEIP, "-eip", "an Elastic IP on the services box's network interface")
	resInstance        = child(compServices, typeInstance, "-instance", "")
	resSnapRole        = child(compSnapshots, typeRole, "-role", "Data Lifecycle Manager's role for the services box's snapshots")
	resSnapRolePolicy  = child(compSnapshots, typeRolePolicy, "-role-policy", "its policy: create, tag and expire snapshots")
	resSnapPolicy      = child(compSnapshots, typeDLMPolicy, "-policy", "scheduled snapshots of the services box's volumes")
	resRecord          = child(compDNS, typeRecord, "-record", "the Route53 A record of the services box")
	resNomadRole       = child(compNomad, typeRole, "-role", "the Nomad clients' own role: they answer their group's lifecycle hooks")
	resNomadPolicy     = child(compNomad, typeRolePolicy, "-policy", "its policy: complete and heartbeat the group's lifecycle actions")
	resNomadProfile    = child(compNomad, typeInstanceProfile, "-profile", "the instance profile the Nomad launch template names")
	resNomadLT         = child(compNomad, typeLaunchTemplate, "-launch-template", "")
	resNomadASG        = child(compNomad, typeASG, "-asg", "")
	resNomadJoin       = child(compNomad, typeHook, "-join-hook", "launch hook: a new Nomad client is in service once its node is ready")
	resNomadDrain      = child(compNomad, typeHook, "-drain-hook", "terminate hook: a leaving Nomad client drains its jobs first")
	resBuildersLT      = child(compBuilders, typeLaunchTemplate, "-launch-template", "")
	resBuildersASG     = child(compBuilders, typeASG, "-asg", "")
	resBuildersHook    = child(compBuilders, typeHook, "-shutdown-hook", "the 1.0 builders' shutdown hook")
)

// groupResource is the resource of a security group.
func groupResource(k components.GroupKey) programResource {
	return child(compSecurityGroups, typeSecurityGroup, "-"+strings.ReplaceAll(string(k), "_", "-"), "")
}

// ruleResource is the resource of a rule of SecurityGroupPlan.
func ruleResource(r components.Rule) programResource {
	typ := typeIngressRule
	if r.Egress {
		typ = typeEgressRule
	}
	return child(compSecurityGroups, typ, "-"+components.RuleName(r), "")
}

// The program's CORS rule of the artifacts bucket (artifact_store.go; the
// golden test checks these against the program's inputs).
var programCORS = corsRule{Methods: []string{"GET"}, Origins: []string{"*"}, MaxAge: 3600}

// The typed views of the Terraform attributes this package reads.

// tfBool reads a Terraform bool, which some states hold as a string.
type tfBool bool

func (b *tfBool) UnmarshalJSON(data []byte) error {
	s := strings.Trim(string(data), `"`)
	switch s {
	case "true", "1":
		*b = true
	case "false", "0", "", "null":
		*b = false
	default:
		return fmt.Errorf("not a bool: %s", data)
	}
	return nil
}

// tfInt reads a Terraform number, which some states hold as a string
// (volume_size = "150" in the installer's configuration).
type tfInt int

func (n *tfInt) UnmarshalJSON(data []byte) error {
	s := strings.Trim(string(data), `"`)
	if s == "" || s == "null" {
		*n = 0
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("not a number: %s", data)
	}
	*n = tfInt(f)
	return nil
}

type tfInstance struct {
	ID                    string            `json:"id"`
	AMI                   string            `json:"ami"`
	InstanceType          string            `json:"instance_type"`
	KeyName               string            `json:"key_name"`
	SubnetID              string            `json:"subnet_id"`
	AvailabilityZone      string            `json:"availability_zone"`
	PublicIP              string            `json:"public_ip"`
	PrivateIP             string            `json:"private_ip"`
	PrimaryENI            string            `json:"primary_network_interface_id"`
	DisableAPITermination *tfBool           `json:"disable_api_termination"`
	IAMInstanceProfile    string            `json:"iam_instance_profile"`
	SecurityGroupIDs      []string          `json:"vpc_security_group_ids"`
	Tags                  map[string]string `json:"tags"`
	RootBlockDevice       []tfBlockDevice   `json:"root_block_device"`
	MetadataOptions       []struct {
		HTTPTokens string `json:"http_tokens"`
		HopLimit   tfInt  `json:"http_put_response_hop_limit"`
	} `json:"metadata_options"`
}

type tfBlockDevice struct {
	VolumeID            string            `json:"volume_id"`
	VolumeType          string            `json:"volume_type"`
	VolumeSize          tfInt             `json:"volume_size"`
	DeleteOnTermination *tfBool           `json:"delete_on_termination"`
	Encrypted           tfBool            `json:"encrypted"`
	Tags                map[string]string `json:"tags"`
}

type tfLaunchConfiguration struct {
	ID                 string          `json:"id"`
	Name               string          `json:"name"`
	ImageID            string          `json:"image_id"`
	InstanceType       string          `json:"instance_type"`
	IAMInstanceProfile string          `json:"iam_instance_profile"`
	SpotPrice          string          `json:"spot_price"`
	SecurityGroups     []string        `json:"security_groups"`
	RootBlockDevice    []tfBlockDevice `json:"root_block_device"`
}

type tfASG struct {
	ID                  string   `json:"id"`
	Name                string   `json:"name"`
	ARN                 string   `json:"arn"`
	LaunchConfiguration string   `json:"launch_configuration"`
	MaxSize             tfInt    `json:"max_size"`
	MinSize             tfInt    `json:"min_size"`
	DesiredCapacity     tfInt    `json:"desired_capacity"`
	VPCZoneIdentifier   []string `json:"vpc_zone_identifier"`
	Tag                 []struct {
		Key               string `json:"key"`
		Value             string `json:"value"`
		PropagateAtLaunch tfBool `json:"propagate_at_launch"`
	} `json:"tag"`
}

type tfHook struct {
	ID                    string `json:"id"`
	Name                  string `json:"name"`
	AutoscalingGroupName  string `json:"autoscaling_group_name"`
	DefaultResult         string `json:"default_result"`
	HeartbeatTimeout      tfInt  `json:"heartbeat_timeout"`
	LifecycleTransition   string `json:"lifecycle_transition"`
	NotificationTargetARN string `json:"notification_target_arn"`
	RoleARN               string `json:"role_arn"`
}

type tfQueue struct {
	ID            string            `json:"id"` // the queue URL
	Name          string            `json:"name"`
	ARN           string            `json:"arn"`
	SQSManagedSSE tfBool            `json:"sqs_managed_sse_enabled"`
	KMSKey        string            `json:"kms_master_key_id"`
	Tags          map[string]string `json:"tags"`
}

type tfRole struct {
	ID               string            `json:"id"`
	Name             string            `json:"name"`
	ARN              string            `json:"arn"`
	Path             string            `json:"path"`
	Description      string            `json:"description"`
	AssumeRolePolicy string            `json:"assume_role_policy"`
	Tags             map[string]string `json:"tags"`
}

type tfRolePolicy struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Role   string `json:"role"`
	Policy string `json:"policy"`
}

type tfInstanceProfile struct {
	ID   string            `json:"id"`
	Name string            `json:"name"`
	Role string            `json:"role"`
	Tags map[string]string `json:"tags"`
}

type tfBucket struct {
	ID           string            `json:"id"`
	Bucket       string            `json:"bucket"`
	Region       string            `json:"region"`
	ForceDestroy tfBool            `json:"force_destroy"`
	Tags         map[string]string `json:"tags"`
	CORSRule     []struct {
		AllowedMethods []string `json:"allowed_methods"`
		AllowedOrigins []string `json:"allowed_origins"`
		AllowedHeaders []string `json:"allowed_headers"`
		ExposeHeaders  []string `json:"expose_headers"`
		MaxAgeSeconds  tfInt    `json:"max_age_seconds"`
	} `json:"cors_rule"`
}

type tfSecurityGroup struct {
	ID          string            `json:"id"`
	Name        string            `json:"name"`
	Description string            `json:"description"`
	VPCID       string            `json:"vpc_id"`
	Tags        map[string]string `json:"tags"`
	Ingress     []tfSGRule        `json:"ingress"`
	Egress      []tfSGRule        `json:"egress"`
}

type tfSGRule struct {
	CIDRBlocks     []string `json:"cidr_blocks"`
	IPv6CIDRBlocks []string `json:"ipv6_cidr_blocks"`
	PrefixListIDs  []string `json:"prefix_list_ids"`
	SecurityGroups []string `json:"security_groups"`
	Self           tfBool   `json:"self"`
	Protocol       string   `json:"protocol"`
	FromPort       tfInt    `json:"from_port"`
	ToPort         tfInt    `json:"to_port"`
	Description    string   `json:"description"`
}

type tfRecord struct {
	ID      string   `json:"id"`
	ZoneID  string   `json:"zone_id"`
	Name    string   `json:"name"`
	Type    string   `json:"type"`
	TTL     tfInt    `json:"ttl"`
	Records []string `json:"records"`
}

type tfEIP struct {
	ID               string `json:"id"`
	AllocationID     string `json:"allocation_id"`
	Instance         string `json:"instance"`
	NetworkInterface string `json:"network_interface"`
	PublicIP         string `json:"public_ip"`
}

type tfSubnet struct {
	ID               string `json:"id"`
	CIDRBlock        string `json:"cidr_block"`
	VPCID            string `json:"vpc_id"`
	AvailabilityZone string `json:"availability_zone"`
}

// Terraform resource types of the installer.
const (
	tfTypeInstance        = "aws_instance"
	tfTypeSecurityGroup   = "aws_security_group"
	tfTypeQueue           = "aws_sqs_queue"
	tfTypeRole            = "aws_iam_role"
	tfTypeRolePolicy      = "aws_iam_role_policy"
	tfTypeInstanceProfile = "aws_iam_instance_profile"
	tfTypeBucket          = "aws_s3_bucket"
	tfTypeLC              = "aws_launch_configuration"
	tfTypeASG             = "aws_autoscaling_group"
	tfTypeHook            = "aws_autoscaling_lifecycle_hook"
	tfTypeRecord          = "aws_route53_record"
	tfTypeEIP             = "aws_eip"
	tfTypeSubnet          = "aws_subnet"
	tfTypeTemplateFile    = "template_file"
)

// program is this program's configuration for the adopted installation:
// the tfvars' values over the defaults, and what the state says exists.
type program struct {
	prefix, region, account string
	vpcID, subnetID         string
	subnetCIDR              string
	names                   config.Names
	partition               config.Partition
	defaultTags             map[string]string // provider default tags: circleci:prefix and tags
	adminCIDRs, userCIDRs   []string
	sshRerunCIDRs, vmCIDRs  []string
	enableNomad             bool
	enableBuilders          bool
	forceDestroy            bool
	rootVolumeType          string
	servicesPublicIP        bool
	servicesSnapshots       bool
	enableRoute             bool
	imdsTokens              string
}

// setting is a key's value: the tfvars', else the declared default.
func setting(vars *TFVars, key string) string {
	if vars != nil {
		if v, ok := vars.Values[key]; ok {
			return v
		}
	}
	k, _ := config.KeyNamed(key)
	return k.Default
}

func listSetting(vars *TFVars, key string, warn func(string, ...any)) []string {
	var out []string
	if err := json.Unmarshal([]byte(setting(vars, key)), &out); err != nil {
		warn("%s is not a list of strings (%v): the rules are planned with its default", key, err)
		k, _ := config.KeyNamed(key)
		_ = json.Unmarshal([]byte(k.Default), &out)
	}
	return out
}

// planner builds an Adoption.
type planner struct {
	st   *State
	vars *TFVars
	p    program
	a    *Adoption

	services     Object
	instance     tfInstance
	groups       map[components.GroupKey]tfSecurityGroup // by the program's key
	groupObjects map[components.GroupKey]Object
	nomadASG     *tfASG
	buildersASG  *tfASG
	lcUsers      map[string]string // launch configuration name -> the group that uses it
	imported     map[string]bool   // logical names imported or created next to
	ruleTargets  map[string]bool   // program rule names matched by an inline rule
}

func (pl *planner) warn(format string, args ...any) {
	pl.a.Warnings = append(pl.a.Warnings, fmt.Sprintf(format, args...))
}

// Plan maps every object of a Terraform state of CircleCI's Terraform
// installer to what it becomes under this program. vars, the installation's
// terraform.tfvars (nil when not given), is cross-checked against the
// state and gives the settings the program plans with.
//
// The installation is found by its services box (the aws_instance tagged
// Name=<prefix>_services); every other object must carry a name of the same
// prefix. Plan refuses a state without a services box and one with objects
// of two installations.
func Plan(st *State, vars *TFVars) (*Adoption, error) {
	if st == nil {
		return nil, fmt.Errorf("no Terraform state")
	}
	src := st.Source
	if src == "" {
		src = "the Terraform state"
	}
	pl := &planner{st: st, vars: vars, a: &Adoption{Extra: map[string]string{}, Source: src},
		groups: map[components.GroupKey]tfSecurityGroup{}, groupObjects: map[components.GroupKey]Object{},
		lcUsers: map[string]string{}, imported: map[string]bool{}, ruleTargets: map[string]bool{}}
	if err := pl.findInstallation(src); err != nil {
		return nil, err
	}
	if err := pl.configure(src); err != nil {
		return nil, err
	}
	pl.extra()
	pl.settings()
	for _, o := range st.Objects {
		if err := pl.mapObject(o); err != nil {
			return nil, err
		}
	}
	pl.created()
	pl.finalWarnings()
	return pl.a, nil
}

// installerSuffixes are the name suffixes the Terraform installer gives each
// type of object after the prefix (enterprise-setup circleci.tf and its
// modules), longest first.
var installerSuffixes = map[string][]string{
	tfTypeQueue:           {"_shutdown_queue"},
	tfTypeRole:            {"_shutdown_queue_role", "_role"},
	tfTypeRolePolicy:      {"_shutdown_queue_role", "_policy"},
	tfTypeInstanceProfile: {"_profile"},
	tfTypeSecurityGroup:   {"_builders_admin_sg", "_builders_sg", "_services_sg", "_users_sg", "_vm_sg", "_nomad_sg", "_ssh_sg"},
	tfTypeASG:             {"_nomad_clients_asg", "_builders_asg"},
	tfTypeHook:            {"_builders_shutdown_hook"},
	tfTypeInstance:        {"_services"},
}

// genericSuffixes are suffixes other objects than the installer's may
// well end in: a name of another prefix with one of them is not taken as a
// second installation.
var genericSuffixes = map[string]bool{"_role": true, "_policy": true, "_profile": true}

// awsName is the name an object carries in AWS, which the prefix is in.
func awsName(o Object) string {
	var v struct {
		Name   string            `json:"name"`
		Bucket string            `json:"bucket"`
		Tags   map[string]string `json:"tags"`
	}
	_ = o.decodeInto(&v)
	switch o.Type {
	case tfTypeInstance:
		return v.Tags["Name"]
	case tfTypeBucket:
		return v.Bucket
	}
	return v.Name
}

// prefixOf says which prefix an object's name carries, and after it which
// of the installer's suffixes: ok is false when the name is not of the
// installer's form for its type.
func prefixOf(o Object) (prefix, suffix string, ok bool) {
	name := awsName(o)
	for _, suffix := range installerSuffixes[o.Type] {
		if p, found := strings.CutSuffix(name, suffix); found && p != "" {
			return p, suffix, true
		}
	}
	return "", "", false
}

// findInstallation finds the services box and so the prefix, and refuses
// a state of two installations.
func (pl *planner) findInstallation(src string) error {
	var boxes []Object
	for _, o := range pl.st.Managed(tfTypeInstance) {
		if strings.Contains(o.Address, "(deposed") {
			continue
		}
		if _, _, ok := prefixOf(o); ok {
			boxes = append(boxes, o)
		}
	}
	if len(boxes) == 0 {
		return fmt.Errorf("no services box (aws_instance tagged Name=<prefix>_services) in %s: adoption needs one; is this the state of CircleCI's Terraform installer (enterprise-setup)?", src)
	}
	first, _, _ := prefixOf(boxes[0])
	if len(boxes) > 1 {
		b := boxes[1]
		if p, _, _ := prefixOf(b); p != first {
			return fmt.Errorf("%s holds two installations: prefix %q (%s, Name=%s) and prefix %q (%s, Name=%s); adopt one installation per stack, from a state that holds only it", src, first, boxes[0].Address, awsName(boxes[0]), p, b.Address, awsName(b))
		}
		return fmt.Errorf("%s holds two services boxes of prefix %q (%s and %s): adopt one installation per stack", src, first, boxes[0].Address, b.Address)
	}
	pl.services = boxes[0]
	pl.p.prefix = first
	if err := pl.services.decodeInto(&pl.instance); err != nil {
		return err
	}
	// Every other object of the installer's kinds must be of this prefix.
	for _, o := range pl.st.Objects {
		if o.Mode != ModeManaged {
			continue
		}
		if p, suffix, ok := prefixOf(o); ok && p != first && !genericSuffixes[suffix] {
			return fmt.Errorf("%s holds objects of two installations: prefix %q (the services box %s, Name=%s) and prefix %q (%s, named %s); adopt one installation per stack, from a state that holds only it", src, first, pl.services.Address, awsName(pl.services), p, o.Address, awsName(o))
		}
	}
	if pl.vars != nil {
		if v, ok := pl.vars.Values[config.KeyPrefix]; ok && v != first {
			return fmt.Errorf("the tfvars set %s = %q, but the services box in %s is named %s (prefix %q): the tfvars and the state are of different installations", config.KeyPrefix, v, src, awsName(pl.services), first)
		}
	}
	return nil
}

// configure works out the program's settings for this installation.
func (pl *planner) configure(src string) error {
	p, vars := &pl.p, pl.vars
	given := func(key string) (string, bool) {
		if vars == nil {
			return "", false
		}
		v, ok := vars.Values[key]
		return v, ok
	}
	if _, ok := given(config.KeyPrefix); !ok && vars != nil {
		if k, _ := config.KeyNamed(config.KeyPrefix); k.Default != p.prefix {
			pl.warn("the tfvars do not set %s; the state's installation has prefix %q (not the default %q), so the adoption sets it", config.KeyPrefix, p.prefix, k.Default)
		}
	}

	// The region: from the ARNs and zones of the state, checked against the tfvars.
	region, account := regionAndAccount(pl.st, pl.instance)
	if v, ok := given(config.KeyAWSRegion); ok {
		if region != "" && v != region {
			return fmt.Errorf("the tfvars set %s = %q, but the installation in %s is in %s: the tfvars and the state are of different installations", config.KeyAWSRegion, v, src, region)
		}
		region = v
	}
	if region == "" {
		return fmt.Errorf("%s does not say which region the installation is in (no ARN or availability zone): give the tfvars, which set %s", src, config.KeyAWSRegion)
	}
	p.region, p.account = region, account

	// The VPC: the installer's groups are all in it.
	for _, o := range pl.st.Managed(tfTypeSecurityGroup) {
		var sg tfSecurityGroup
		if err := o.decodeInto(&sg); err != nil {
			return err
		}
		if sg.VPCID == "" {
			continue
		}
		if p, _, ok := prefixOf(o); !ok || p != pl.p.prefix {
			continue
		}
		if p.vpcID == "" {
			p.vpcID = sg.VPCID
		} else if p.vpcID != sg.VPCID {
			return fmt.Errorf("%s: the installation's security groups are in two VPCs (%s and %s, %s)", src, p.vpcID, sg.VPCID, o.Address)
		}
	}
	if v, ok := given(config.KeyAWSVPCID); ok {
		if p.vpcID != "" && v != p.vpcID {
			return fmt.Errorf("the tfvars set %s = %q, but the installation's security groups in %s are in %s: the tfvars and the state are of different installations", config.KeyAWSVPCID, v, src, p.vpcID)
		}
		p.vpcID = v
	}
	if p.vpcID == "" {
		pl.warn("%s names no VPC (no security group of the installation), and the tfvars do not set %s: the artifacts bucket's name cannot be checked", src, config.KeyAWSVPCID)
	}
	p.subnetID = pl.instance.SubnetID
	if v, ok := given(config.KeyAWSSubnetID); ok && p.subnetID != "" && v != p.subnetID {
		return fmt.Errorf("the tfvars set %s = %q, but the services box %s is in %s: the tfvars and the state are of different installations", config.KeyAWSSubnetID, v, pl.instance.ID, p.subnetID)
	}
	for _, o := range pl.st.Objects {
		if o.Mode == ModeData && o.Type == tfTypeSubnet {
			var s tfSubnet
			if err := o.decodeInto(&s); err == nil && s.CIDRBlock != "" && (s.ID == p.subnetID || p.subnetID == "") {
				p.subnetCIDR = s.CIDRBlock
			}
		}
	}
	if p.subnetCIDR == "" {
		pl.warn("%s has no data.aws_subnet of the services box's subnet: its CIDR is unknown, so the rules from the subnet cannot be matched and are listed as left and created", src)
	}

	cfg := &config.Config{Prefix: p.prefix, AWSVPCID: p.vpcID, AWSRegion: p.region, EnableGovCloud: setting(vars, config.KeyEnableGovCloud) == "true"}
	p.names = cfg.Names()
	p.partition = cfg.Partition()

	// The fleets that exist: their groups (and which launch configuration
	// each uses) decide which parts of the program the stack has.
	for _, o := range pl.st.Managed(tfTypeASG) {
		var g tfASG
		if err := o.decodeInto(&g); err != nil {
			return err
		}
		switch g.Name {
		case p.names.NomadASG:
			pl.nomadASG = &g
		case p.names.BuildersASG:
			pl.buildersASG = &g
		}
		if g.LaunchConfiguration != "" {
			pl.lcUsers[g.LaunchConfiguration] = g.Name
		}
	}
	return nil
}

// effective is a key's value for the adopted stack: what the adoption sets
// (Extra), else the tfvars', else the declared default.
func (pl *planner) effective(key string) string {
	if v, ok := pl.a.Extra[key]; ok {
		return v
	}
	return setting(pl.vars, key)
}

// settings reads the program's settings for the adopted stack. What exists
// decides which parts it has, through Extra: the Nomad fleet when its group
// exists, the 1.0 builders when theirs wants instances (the installer
// always made that group; desired 0 is "disabled"), the DNS record when
// there is one.
func (pl *planner) settings() {
	p, vars := &pl.p, pl.vars
	var tags map[string]string
	if err := json.Unmarshal([]byte(setting(vars, config.KeyTags)), &tags); err != nil {
		pl.warn("%s is not a map of strings (%v): the default tags are planned without it", config.KeyTags, err)
	}
	p.defaultTags = (&config.Config{Prefix: p.prefix, Tags: tags}).DefaultTags()
	pl.a.DefaultTags = p.defaultTags
	p.adminCIDRs = listSetting(vars, config.KeyAdminCIDRBlocks, pl.warn)
	p.userCIDRs = listSetting(vars, config.KeyUserCIDRBlocks, pl.warn)
	p.sshRerunCIDRs = listSetting(vars, config.KeySSHRerunCIDRBlocks, pl.warn)
	p.vmCIDRs = listSetting(vars, config.KeyVMCIDRBlocks, pl.warn)
	p.forceDestroy = pl.effective(config.KeyForceDestroyS3Bucket) == "true"
	p.rootVolumeType = pl.effective(config.KeyRootVolumeType)
	p.servicesPublicIP = pl.effective(config.KeyServicesPublicIP) == "true"
	p.servicesSnapshots = pl.effective(config.KeyServicesSnapshots) == "true"
	p.imdsTokens = pl.effective(config.KeyIMDSHTTPTokens)
	p.enableNomad = pl.effective(config.KeyEnableNomad) == "1"
	p.enableRoute = pl.effective(config.KeyEnableRoute) == "1"
	n, _ := strconv.Atoi(pl.effective(config.KeyDesiredBuildersCount))
	p.enableBuilders = n > 0
}

// regionAndAccount reads the region and the account from the state's ARNs
// (arn:<partition>:<service>:<region>:<account>:...), else the region from
// the services box's availability zone.
func regionAndAccount(st *State, inst tfInstance) (region, account string) {
	for _, o := range st.Objects {
		if o.Mode != ModeManaged {
			continue
		}
		var v struct {
			ARN string `json:"arn"`
		}
		if o.decodeInto(&v) != nil {
			continue
		}
		parts := strings.Split(v.ARN, ":")
		if len(parts) < 6 {
			continue
		}
		if account == "" && parts[4] != "" {
			account = parts[4]
		}
		if region == "" && parts[3] != "" {
			region = parts[3]
		}
	}
	if region == "" && inst.AvailabilityZone != "" {
		region = strings.TrimRight(inst.AvailabilityZone, "abcdefghijklmnopqrstuvwxyz")
	}
	return region, account
}

// mapObject adds the targets of one object of the state.
func (pl *planner) mapObject(o Object) error {
	if o.Mode == ModeData {
		pl.dataSource(o)
		return nil
	}
	if strings.Contains(o.Address, "(deposed") {
		pl.deposed(o)
		return nil
	}
	n := pl.p.names
	name := awsName(o)
	switch o.Type {
	case tfTypeInstance:
		if o.Address == pl.services.Address {
			return pl.servicesBox(o)
		}
	case tfTypeQueue:
		if name == n.ShutdownQueue {
			return pl.queue(o)
		}
	case tfTypeRole:
		switch name {
		case n.ShutdownQueueRole:
			return pl.role(o, resQueueRole, pl.p.names.ShutdownQueueRole, "autoscaling.amazonaws.com")
		case n.Role:
			return pl.role(o, resRole, pl.p.names.Role, pl.p.partition.EC2Principal)
		}
	case tfTypeRolePolicy:
		return pl.rolePolicy(o)
	case tfTypeInstanceProfile:
		if name == n.InstanceProfile {
			return pl.instanceProfile(o)
		}
	case tfTypeBucket:
		if pl.isBucket(name) {
			return pl.bucket(o)
		}
		if strings.Contains(name, "-bucket-") {
			return fmt.Errorf("%s: the bucket %s (%s) is not the installation's, which is %s: objects of two installations (or of another VPC); adopt one installation per stack", pl.a.Source, name, o.Address, n.Bucket)
		}
	case tfTypeSecurityGroup:
		if k, ok := pl.groupKey(name); ok {
			return pl.securityGroup(o, k)
		}
	case tfTypeLC:
		return pl.launchConfiguration(o)
	case tfTypeASG:
		return pl.autoScalingGroup(o)
	case tfTypeHook:
		return pl.lifecycleHook(o)
	case tfTypeRecord:
		return pl.record(o)
	case tfTypeEIP:
		return pl.eip(o)
	default:
		pl.warn("%s: %s is not a type CircleCI's Terraform installer creates; this program does not manage it, and it stays as it is", o.Address, o.Type)
		pl.add(Target{From: o, Action: ActionLeave, FirstUp: "nothing: not managed by this program", Note: "not an object of the Terraform installer"})
		return nil
	}
	pl.warn("%s (%s) is not named as the Terraform installer names its objects of prefix %q; this program does not manage it, and it stays as it is", o.Address, name, pl.p.prefix)
	pl.add(Target{From: o, Action: ActionLeave, FirstUp: "nothing: not managed by this program", Note: "not named as the installer's objects"})
	return nil
}

func (pl *planner) add(t Target) {
	pl.a.Targets = append(pl.a.Targets, t)
	if t.Action == ActionImport || t.Action == ActionReplaceNextTo {
		pl.imported[t.Name] = true
	}
}

func (pl *planner) target(o Object, r programResource, id string) Target {
	return Target{From: o, Type: r.typ, Name: r.name, Parent: r.parent.String(), ID: id, Action: ActionImport}
}

func (pl *planner) dataSource(o Object) {
	t := Target{From: o, Action: ActionData}
	switch o.Type {
	case tfTypeSubnet:
		t.Type = typeGetSubnet
		t.FirstUp = "nothing: a data source; the program looks the subnet up itself at every preview"
	case tfTypeTemplateFile:
		t.FirstUp = "nothing: a data source; the program renders its own boot scripts and policies"
		var v struct {
			Vars map[string]string `json:"vars"`
		}
		_ = o.decodeInto(&v)
		if _, ok := v.Vars[config.KeyCircleSecretPassphrase]; ok {
			t.Note = "holds " + config.KeyCircleSecretPassphrase + " in plaintext in the Terraform state"
		}
	default:
		t.FirstUp = "nothing: a data source"
	}
	pl.add(t)
}

func (pl *planner) deposed(o Object) {
	note := "deposed by Terraform: an older copy that create_before_destroy replaced and Terraform has not deleted; this program does not manage it"
	t := Target{From: o, Action: ActionLeave, FirstUp: "nothing: not managed by this program", Note: note}
	pl.add(t)
	if o.Type == tfTypeLC {
		var lc tfLaunchConfiguration
		_ = o.decodeInto(&lc)
		pl.a.Cleanup = append(pl.a.Cleanup, Step{
			What:    fmt.Sprintf("delete the deposed launch configuration %s (%s)", lc.Name, o.Address),
			Command: fmt.Sprintf("aws autoscaling delete-launch-configuration --region %s --launch-configuration-name %s", pl.p.region, lc.Name),
		})
		return
	}
	pl.warn("%s is deposed (an older copy Terraform meant to delete): it is left as it is; delete it by hand once nothing uses it", o.Address)
}

// tagChange says what tags the first up adds or changes on an object that
// has have, when the program gives it own besides the provider's default tags.
func (pl *planner) tagChange(have, own map[string]string) string {
	want := map[string]string{}
	for k, v := range pl.p.defaultTags {
		want[k] = v
	}
	for k, v := range own {
		want[k] = v
	}
	var changes []string
	for _, k := range config.SortedKeys(want) {
		switch old, ok := have[k]; {
		case !ok:
			changes = append(changes, k+"="+want[k])
		case old != want[k]:
			changes = append(changes, fmt.Sprintf("%s %s → %s", k, old, want[k]))
		}
	}
	if len(changes) == 0 {
		return ""
	}
	return "tags (" + strings.Join(changes, ", ") + ")"
}

// inPlace renders a list of in-place changes as FirstUp.
func inPlace(changes ...string) string {
	var out []string
	for _, c := range changes {
		if c != "" {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return "nothing"
	}
	return "update in place: " + strings.Join(out, "; ")
}

func (pl *planner) queue(o Object) error {
	var q tfQueue
	if err := o.decodeInto(&q); err != nil {
		return err
	}
	sse := ""
	if !q.SQSManagedSSE && q.KMSKey == "" {
		sse = "SQS-managed encryption on (sqsManagedSseEnabled false → true)"
	}
	t := pl.target(o, resQueue, q.ID)
	t.FirstUp = inPlace(sse, pl.tagChange(q.Tags, nil))
	t.Note = "imported by its URL"
	pl.add(t)
	return nil
}

func (pl *planner) role(o Object, r programResource, name, principal string) error {
	var role tfRole
	if err := o.decodeInto(&role); err != nil {
		return err
	}
	var changes []string
	if role.Description == "" {
		changes = append(changes, "description added")
	}
	if d := policyDiff(role.AssumeRolePolicy, components.AssumeRolePolicy(principal)); d != "" {
		changes = append(changes, "trust policy: "+d)
	}
	changes = append(changes, pl.tagChange(role.Tags, nil))
	t := pl.target(o, r, role.Name)
	t.FirstUp = inPlace(changes...)
	if role.Path != "" && role.Path != "/" {
		t.FirstUp = fmt.Sprintf("replace: the role's path %s → / is fixed at creation; %s", role.Path, t.FirstUp)
		pl.warn("%s: the role %s has path %s; the program's is /, which AWS cannot change: the first pulumi up replaces the role", o.Address, name, role.Path)
	}
	pl.add(t)
	return nil
}

func (pl *planner) rolePolicy(o Object) error {
	var rp tfRolePolicy
	if err := o.decodeInto(&rp); err != nil {
		return err
	}
	n := pl.p.names
	role := rp.Role
	if role == "" {
		role, _, _ = strings.Cut(rp.ID, ":")
	}
	var r programResource
	var want components.PolicyDocument
	queueARN := fmt.Sprintf("arn:%s:sqs:%s:%s:%s", pl.p.partition.Name, pl.p.region, pl.accountOr("*"), n.ShutdownQueue)
	switch {
	case rp.Name == n.ShutdownQueueRole && role == n.ShutdownQueueRole:
		r, want = resQueueRolePolicy, components.ShutdownQueuePolicy(queueARN)
	case rp.Name == n.Policy && role == n.Role:
		paramARN := fmt.Sprintf("arn:%s:ssm:%s:%s:parameter%s", pl.p.partition.Name, pl.p.region, pl.accountOr("*"), n.PassphraseParameter)
		r, want = resPolicy, components.ServicesPolicy(components.IAMArgs{
			Partition: pl.p.partition, Region: pl.p.region, RoleName: n.Role, BucketName: n.Bucket,
		}, queueARN, paramARN)
	default:
		pl.warn("%s: the role policy %s of role %s is not one of the installer's for prefix %q; this program does not manage it, and it stays", o.Address, rp.Name, role, pl.p.prefix)
		pl.add(Target{From: o, Action: ActionLeave, FirstUp: "nothing: not managed by this program"})
		return nil
	}
	t := pl.target(o, r, role+":"+rp.Name)
	t.Note = "imported as role:policy"
	if d := policyDiff(rp.Policy, want); d != "" {
		t.FirstUp = inPlace("policy document: " + d)
	} else {
		t.FirstUp = "nothing"
	}
	pl.add(t)
	return nil
}

func (pl *planner) accountOr(def string) string {
	if pl.p.account != "" {
		return pl.p.account
	}
	return def
}

func (pl *planner) instanceProfile(o Object) error {
	var ip tfInstanceProfile
	if err := o.decodeInto(&ip); err != nil {
		return err
	}
	var role string
	if ip.Role != pl.p.names.Role {
		role = fmt.Sprintf("role %s → %s", ip.Role, pl.p.names.Role)
	}
	t := pl.target(o, resProfile, ip.Name)
	t.FirstUp = inPlace(role, pl.tagChange(ip.Tags, nil))
	pl.add(t)
	return nil
}

type corsRule struct {
	Methods, Origins, Headers, Expose []string
	MaxAge                            int
}

func (c corsRule) String() string {
	s := strings.Join(c.Methods, ",") + " from " + strings.Join(c.Origins, ",")
	if c.MaxAge > 0 {
		s += fmt.Sprintf(", max age %d s", c.MaxAge)
	}
	return s
}

func (pl *planner) bucket(o Object) error {
	var b tfBucket
	if err := o.decodeInto(&b); err != nil {
		return err
	}
	var fd string
	if bool(b.ForceDestroy) != pl.p.forceDestroy {
		fd = fmt.Sprintf("forceDestroy %t → %t (in the Pulumi state only: %s)", bool(b.ForceDestroy), pl.p.forceDestroy, config.KeyForceDestroyS3Bucket)
	}
	t := pl.target(o, resBucket, b.Bucket)
	t.FirstUp = inPlace(pl.tagChange(b.Tags, nil), fd)
	t.Note = "imported by its name"
	pl.add(t)

	// Terraform kept the CORS rule inline; the program has it as a resource
	// of its own, which imports by the bucket's name.
	if len(b.CORSRule) == 0 {
		return nil // created: see created()
	}
	var have []corsRule
	for _, c := range b.CORSRule {
		have = append(have, corsRule{Methods: c.AllowedMethods, Origins: c.AllowedOrigins, Headers: c.AllowedHeaders, Expose: c.ExposeHeaders, MaxAge: int(c.MaxAgeSeconds)})
	}
	cors := pl.target(o, resBucketCORS, b.Bucket)
	cors.Note = "the bucket's inline cors_rule, imported as the program's CORS configuration by the bucket's name"
	if len(have) == 1 && sameStrings(have[0].Methods, programCORS.Methods) && sameStrings(have[0].Origins, programCORS.Origins) &&
		len(have[0].Headers) == 0 && len(have[0].Expose) == 0 && have[0].MaxAge == programCORS.MaxAge {
		cors.FirstUp = "nothing: the same rule (" + programCORS.String() + ")"
	} else {
		var hs []string
		for _, h := range have {
			hs = append(hs, h.String())
		}
		cors.FirstUp = fmt.Sprintf("update in place: CORS rules %s → %s", strings.Join(hs, "; "), programCORS)
	}
	pl.add(cors)
	return nil
}

// isBucket says whether a bucket is the installation's: named for the
// prefix and the VPC, or for the prefix when the VPC is not known.
func (pl *planner) isBucket(name string) bool {
	if pl.p.vpcID == "" {
		return strings.HasPrefix(name, strings.ReplaceAll(pl.p.prefix, "_", "-")+"-bucket-")
	}
	return name == pl.p.names.Bucket
}

func sameStrings(a, b []string) bool {
	x, y := append([]string(nil), a...), append([]string(nil), b...)
	sort.Strings(x)
	sort.Strings(y)
	return strings.Join(x, "\x00") == strings.Join(y, "\x00")
}

// groupKey is the program's key of the group the installer named name.
func (pl *planner) groupKey(name string) (components.GroupKey, bool) {
	n := pl.p.names
	for k, v := range map[components.GroupKey]string{
		components.BuildersSG: n.BuildersSG, components.ServicesSG: n.ServicesSG, components.BuildersAdminSG: n.BuildersAdminSG,
		components.UsersSG: n.UsersSG, components.VMSG: n.VMSG, components.NomadSG: n.NomadSG, components.SSHSG: n.SSHSG,
	} {
		if v == name {
			return k, true
		}
	}
	return "", false
}

// securityGroupPlan is the program's groups and rules for the installation.
func (pl *planner) securityGroupPlan() ([]components.Group, []components.Rule) {
	p := pl.p
	return components.SecurityGroupPlan(components.SecurityGroupsArgs{
		VPCID: p.vpcID, SubnetCIDR: p.subnetCIDR, Names: p.names,
		AdminCIDRs: p.adminCIDRs, UserCIDRs: p.userCIDRs, SSHRerunCIDRs: p.sshRerunCIDRs, VMCIDRs: p.vmCIDRs,
		EnableNomad: p.enableNomad, EnableBuilders: p.enableBuilders,
	})
}

// groupIDs are the ids of the installation's groups, by the program's key.
func (pl *planner) groupIDs() map[components.GroupKey]string {
	ids := map[components.GroupKey]string{}
	for _, o := range pl.st.Managed(tfTypeSecurityGroup) {
		var sg tfSecurityGroup
		if o.decodeInto(&sg) != nil {
			continue
		}
		if k, ok := pl.groupKey(sg.Name); ok {
			ids[k] = sg.ID
		}
	}
	return ids
}

// awsRule is a rule of the program's plan as EC2 would hold it, given the
// ids of the existing groups; ok is false when a group it names does not exist.
func awsRule(r components.Rule, ids map[components.GroupKey]string) (Rule, bool) {
	out := Rule{GroupID: ids[r.Group], Direction: Ingress, Protocol: r.Protocol, FromPort: r.FromPort, ToPort: r.ToPort, CIDR: r.CIDR}
	if r.Egress {
		out.Direction = Egress
	}
	if r.Protocol == "-1" {
		out.FromPort, out.ToPort = -1, -1
	}
	if r.CIDR == "" {
		out.SourceGroupID = ids[r.Peer]
		if out.SourceGroupID == "" {
			return out, false
		}
	}
	return out, out.GroupID != ""
}

// normalProtocol is a protocol as EC2 reports it.
func normalProtocol(p string) string {
	switch strings.ToLower(p) {
	case "6":
		return "tcp"
	case "17":
		return "udp"
	case "1":
		return "icmp"
	case "all", "-1", "":
		return "-1"
	}
	return strings.ToLower(p)
}

// sameRule says whether two rules are the same rule in EC2's eyes.
func sameRule(a, b Rule) bool {
	if a.GroupID != b.GroupID || a.Direction != b.Direction || normalProtocol(a.Protocol) != normalProtocol(b.Protocol) {
		return false
	}
	if normalProtocol(a.Protocol) != "-1" && (a.FromPort != b.FromPort || a.ToPort != b.ToPort) {
		return false
	}
	return a.CIDR == b.CIDR && a.IPv6CIDR == b.IPv6CIDR && a.PrefixListID == b.PrefixListID && a.SourceGroupID == b.SourceGroupID
}

// inlineRules expands a group's inline rules as Terraform holds them (a
// block may list several sources) into EC2's rules, one source each.
func inlineRules(sg tfSecurityGroup) []Rule {
	var out []Rule
	expand := func(dir string, blocks []tfSGRule) {
		for _, b := range blocks {
			base := Rule{GroupID: sg.ID, Direction: dir, Protocol: normalProtocol(b.Protocol), FromPort: int(b.FromPort), ToPort: int(b.ToPort), Description: b.Description}
			if base.Protocol == "-1" {
				base.FromPort, base.ToPort = -1, -1
			}
			for _, c := range b.CIDRBlocks {
				r := base
				r.CIDR = c
				out = append(out, r)
			}
			for _, c := range b.IPv6CIDRBlocks {
				r := base
				r.IPv6CIDR = c
				out = append(out, r)
			}
			for _, c := range b.PrefixListIDs {
				r := base
				r.PrefixListID = c
				out = append(out, r)
			}
			groups := append([]string(nil), b.SecurityGroups...)
			if b.Self {
				groups = append(groups, sg.ID)
			}
			for _, g := range groups {
				r := base
				r.SourceGroupID = g
				out = append(out, r)
			}
		}
	}
	expand(Ingress, sg.Ingress)
	expand(Egress, sg.Egress)
	return out
}

func (pl *planner) securityGroup(o Object, key components.GroupKey) error {
	var sg tfSecurityGroup
	if err := o.decodeInto(&sg); err != nil {
		return err
	}
	pl.groups[key] = sg
	pl.groupObjects[key] = o
	groups, rules := pl.securityGroupPlan()
	var group *components.Group
	for i := range groups {
		if groups[i].Key == key {
			group = &groups[i]
		}
	}
	t := pl.target(o, groupResource(key), sg.ID)
	if group == nil {
		// enable_nomad = 0 with Nomad groups left over.
		t = Target{From: o, Action: ActionLeave, FirstUp: "nothing: not managed by this program (no Nomad client fleet)"}
		pl.a.Cleanup = append(pl.a.Cleanup, Step{What: fmt.Sprintf("delete the unused security group %s (%s)", sg.Name, sg.ID), Command: fmt.Sprintf("aws ec2 delete-security-group --region %s --group-id %s", pl.p.region, sg.ID)})
		pl.add(t)
		return nil
	}
	tags := pl.tagChange(sg.Tags, map[string]string{"Name": group.Name})
	t.FirstUp = inPlace(tags)
	if sg.Description != group.Description {
		// The program ignores description changes on its groups
		// (components/security_groups.go): EC2 cannot change one.
		t.Note = fmt.Sprintf("keeps the Terraform installer's description %q", sg.Description)
	}
	t.Note = strings.TrimPrefix(t.Note+"; its inline rules: one target each below", "; ")
	pl.add(t)

	ids := pl.groupIDs()
	for _, have := range inlineRules(sg) {
		have := have
		var match *components.Rule
		for i, r := range rules {
			if want, ok := awsRule(r, ids); ok && sameRule(want, have) {
				match = &rules[i]
				break
			}
		}
		if match == nil {
			why := "the program does not create this rule"
			if have.CIDR == "0.0.0.0/0" || have.IPv6CIDR == "::/0" {
				why += "; it is open to the internet"
			}
			pl.add(Target{From: o, Action: ActionLeave, Rule: &have,
				FirstUp: "nothing: not managed by this program",
				Note:    "leave: remove it by hand or it stays open (" + why + ")"})
			pl.a.Cleanup = append(pl.a.Cleanup, Step{
				What:    fmt.Sprintf("revoke %s on %s (%s): the program does not manage it", have, sg.Name, sg.ID),
				Command: have.RevokeCommand(pl.p.region),
			})
			continue
		}
		res := ruleResource(*match)
		rt := Target{From: o, Type: res.typ, Name: res.name, Parent: res.parent.String(), Action: ActionImport, Rule: &have,
			Note: "kept inline by Terraform: imported by its sgr- id, looked up at import"}
		var changes []string
		if have.Description != match.Description() {
			changes = append(changes, fmt.Sprintf("description %q → %q", have.Description, match.Description()))
		}
		changes = append(changes, pl.tagChange(nil, nil))
		rt.FirstUp = inPlace(changes...)
		pl.ruleTargets[res.name] = true
		pl.add(rt)
	}
	return nil
}

func (pl *planner) servicesBox(o Object) error {
	in, p := pl.instance, pl.p
	n := p.names
	var root tfBlockDevice
	if len(in.RootBlockDevice) > 0 {
		root = in.RootBlockDevice[0]
	}
	own := map[string]string{"Name": n.Services, n.SnapshotTag: p.prefix}
	// services_launched_by_terraform (Extra) describes the box as the
	// Terraform installer made it: in its subnet with its groups, no
	// interface of the program's attached at device 0 (the provider reads
	// back only configured interfaces, and an attachment is fixed at
	// launch), and its root volume's encryption as it is
	// (components/services_box.go). Nothing of it is replaced.
	var changes []string
	if !root.Encrypted {
		pl.a.Manual = append(pl.a.Manual, Step{
			What: fmt.Sprintf("the services box's root volume %s is not encrypted, and EBS cannot encrypt it in place; the program keeps it as it is. To encrypt it, in a maintenance window: "+
				"stop the box; snapshot the volume; copy the snapshot with encryption; create a volume from the copy in %s; detach the old root volume and attach the new one as the root device; start the box", root.VolumeID, in.AvailabilityZone),
			Command: fmt.Sprintf("aws ec2 create-snapshot --region %s --volume-id %s --description %s-root-before-encryption", p.region, root.VolumeID, p.prefix),
		})
	}
	if tc := pl.tagChange(in.Tags, own); tc != "" {
		changes = append(changes, tc)
	}
	if root.VolumeType != "" && root.VolumeType != p.rootVolumeType {
		changes = append(changes, fmt.Sprintf("root volume %s → %s (EBS ModifyVolume, online)", root.VolumeType, p.rootVolumeType))
	}
	if tc := pl.tagChange(root.Tags, own); tc != "" {
		changes = append(changes, "root volume "+tc)
	}
	hops := 1
	if len(in.MetadataOptions) > 0 && in.MetadataOptions[0].HopLimit > 0 {
		hops = int(in.MetadataOptions[0].HopLimit)
	}
	if hops != 2 {
		changes = append(changes, fmt.Sprintf("metadata hop limit %d → 2 (Replicated's containers reach the metadata service)", hops))
	}
	if len(in.MetadataOptions) > 0 && in.MetadataOptions[0].HTTPTokens != "" && in.MetadataOptions[0].HTTPTokens != p.imdsTokens {
		changes = append(changes, fmt.Sprintf("metadata tokens %s → %s", in.MetadataOptions[0].HTTPTokens, p.imdsTokens))
	}
	if in.IAMInstanceProfile != "" && in.IAMInstanceProfile != n.InstanceProfile {
		changes = append(changes, fmt.Sprintf("instance profile %s → %s", in.IAMInstanceProfile, n.InstanceProfile))
	}
	t := pl.target(o, resInstance, in.ID)
	t.FirstUp = inPlace(changes...)
	t.FirstUp += "; its user data and key pair are not compared (the program ignores changes to them)"
	pl.add(t)

	eni := pl.target(o, resENI, in.PrimaryENI)
	eni.Note = "the instance's primary network interface (primary_network_interface_id)"
	eni.FirstUp = inPlace("description added", pl.tagChange(nil, map[string]string{"Name": n.Services}))
	if in.PrimaryENI == "" {
		eni.Note = "primary_network_interface_id is not in the state: find it with aws ec2 describe-instances --instance-ids " + in.ID
		pl.warn("%s: the state does not hold the services box's primary_network_interface_id; the import file cannot be written until it does (terraform refresh)", o.Address)
	}
	pl.add(eni)
	return nil
}

func (pl *planner) eip(o Object) error {
	var e tfEIP
	if err := o.decodeInto(&e); err != nil {
		return err
	}
	if e.Instance != pl.instance.ID && (e.NetworkInterface == "" || e.NetworkInterface != pl.instance.PrimaryENI) {
		pl.warn("%s: the Elastic IP %s is not the services box's; this program does not manage it, and it stays", o.Address, e.PublicIP)
		pl.add(Target{From: o, Action: ActionLeave, FirstUp: "nothing: not managed by this program"})
		return nil
	}
	// A box the Terraform installer launched is described as it made it
	// (services_launched_by_terraform): the program attaches no Elastic IP
	// of its own, and leaves this one where it is.
	pl.warn("%s: the Elastic IP %s on the services box is not managed by this program; it stays, and the box keeps that address", o.Address, e.PublicIP)
	pl.add(Target{From: o, Action: ActionLeave, FirstUp: "nothing: not managed by this program; the address stays"})
	return nil
}

// lcRole is which fleet a launch configuration belongs to: the group that uses it.
func (pl *planner) launchConfiguration(o Object) error {
	var lc tfLaunchConfiguration
	if err := o.decodeInto(&lc); err != nil {
		return err
	}
	p := pl.p
	deleteLC := Step{
		What:    fmt.Sprintf("delete the launch configuration %s (%s) once the first pulumi up has moved its group to a launch template", lc.Name, o.Address),
		Command: fmt.Sprintf("aws autoscaling delete-launch-configuration --region %s --launch-configuration-name %s", p.region, lc.Name),
	}
	group := pl.lcUsers[lc.Name]
	var lt, asg programResource
	var name string
	switch {
	case group == p.names.NomadASG:
		lt, asg, name = resNomadLT, resNomadASG, p.names.NomadLaunchTemplate
	case group == p.names.BuildersASG && p.enableBuilders:
		lt, asg, name = resBuildersLT, resBuildersASG, p.names.BuildersLaunchTemplate
	case group == p.names.BuildersASG:
		pl.add(Target{From: o, Action: ActionLeave, FirstUp: "nothing: not managed by this program (1.0 builders are off: their group wants 0 instances)"})
		deleteLC.What = fmt.Sprintf("delete the 1.0 builders' launch configuration %s (%s) after their group", lc.Name, o.Address)
		pl.a.Cleanup = append(pl.a.Cleanup, deleteLC)
		return nil
	default:
		pl.add(Target{From: o, Action: ActionLeave, FirstUp: "nothing: not managed by this program", Note: "no group of the installation uses it"})
		deleteLC.What = fmt.Sprintf("delete the unused launch configuration %s (%s)", lc.Name, o.Address)
		pl.a.Cleanup = append(pl.a.Cleanup, deleteLC)
		return nil
	}
	pl.add(Target{From: o, Type: lt.typ, Name: lt.name, Parent: lt.parent.String(), Action: ActionReplaceNextTo,
		FirstUp: fmt.Sprintf("creates the launch template %s next to it (this program uses launch templates: AWS no longer offers launch configurations to new accounts); %s then moves over to it in place and rolls its instances", name, asg.name),
		Note:    "launch configurations cannot be imported as launch templates; delete it afterwards (see Cleanup)",
	})
	pl.a.Cleanup = append(pl.a.Cleanup, deleteLC)
	return nil
}

func (pl *planner) autoScalingGroup(o Object) error {
	var g tfASG
	if err := o.decodeInto(&g); err != nil {
		return err
	}
	p := pl.p
	have := map[string]string{}
	for _, t := range g.Tag {
		have[t.Key] = t.Value
	}
	switch {
	case g.Name == p.names.NomadASG:
		t := pl.target(o, resNomadASG, g.Name)
		t.FirstUp = inPlace(
			fmt.Sprintf("launch configuration %s → launch template %s (an instance refresh then replaces every Nomad client, %d%% kept in service)", g.LaunchConfiguration, p.names.NomadLaunchTemplate, intSetting(pl.effective(config.KeyNomadMinHealthyPercentage))),
			pl.tagChange(have, map[string]string{"Name": p.names.NomadClient}), "instance refresh settings (Pulumi state)")
		t.Note = fmt.Sprintf("imported by its name; size kept (%s, %s)", config.KeyMaxClientsCount, config.KeyDesiredClientsCount)
		pl.add(t)
	case g.Name == p.names.BuildersASG && p.enableBuilders:
		t := pl.target(o, resBuildersASG, g.Name)
		t.FirstUp = inPlace(
			fmt.Sprintf("launch configuration %s → launch template %s (new 1.0 builders launch from it; running ones stay until replaced)", g.LaunchConfiguration, p.names.BuildersLaunchTemplate),
			pl.tagChange(have, map[string]string{"Name": p.names.Builders}))
		t.Note = fmt.Sprintf("imported by its name; size kept (%s, %s)", config.KeyMaxBuildersCount, config.KeyDesiredBuildersCount)
		pl.add(t)
	case g.Name == p.names.BuildersASG:
		pl.add(Target{From: o, Action: ActionLeave, FirstUp: "nothing: not managed by this program (1.0 builders are off: the group wants 0 instances)",
			Note: fmt.Sprintf("this program creates 1.0 builders only when %s > 0", config.KeyDesiredBuildersCount)})
		pl.a.Cleanup = append(pl.a.Cleanup, Step{
			What:    fmt.Sprintf("delete the 1.0 builders' empty group %s (its shutdown hook goes with it); or set %s > 0 before adopting to keep 1.0 builders", g.Name, config.KeyDesiredBuildersCount),
			Command: fmt.Sprintf("aws autoscaling delete-auto-scaling-group --region %s --auto-scaling-group-name %s --force-delete", p.region, g.Name),
		})
	default:
		pl.warn("%s: the group %s is not one of the installer's for prefix %q; this program does not manage it, and it stays", o.Address, g.Name, p.prefix)
		pl.add(Target{From: o, Action: ActionLeave, FirstUp: "nothing: not managed by this program"})
	}
	return nil
}

func intSetting(v string) int {
	n, _ := strconv.Atoi(v)
	return n
}

func (pl *planner) lifecycleHook(o Object) error {
	var h tfHook
	if err := o.decodeInto(&h); err != nil {
		return err
	}
	p := pl.p
	if h.Name != p.names.BuildersShutdownHook {
		pl.warn("%s: the lifecycle hook %s is not one of the installer's for prefix %q; this program does not manage it, and it stays", o.Address, h.Name, p.prefix)
		pl.add(Target{From: o, Action: ActionLeave, FirstUp: "nothing: not managed by this program"})
		return nil
	}
	if !p.enableBuilders {
		pl.add(Target{From: o, Action: ActionLeave, FirstUp: "nothing: not managed by this program (1.0 builders are off)", Note: "deleted with its group (see Cleanup)"})
		return nil
	}
	group := h.AutoscalingGroupName
	if group == "" {
		group = p.names.BuildersASG
	}
	t := pl.target(o, resBuildersHook, group+"/"+h.Name)
	t.Note = "imported as group/hook"
	var changes []string
	result := h.DefaultResult
	if result == "" {
		result = "ABANDON" // AWS's default, and the installer set none
	}
	if result != "CONTINUE" {
		changes = append(changes, fmt.Sprintf("default result %s → CONTINUE", result))
	}
	if h.HeartbeatTimeout != 0 && h.HeartbeatTimeout != 3600 {
		changes = append(changes, fmt.Sprintf("heartbeat timeout %d → 3600 s", h.HeartbeatTimeout))
	}
	t.FirstUp = inPlace(changes...)
	pl.add(t)
	return nil
}

func (pl *planner) record(o Object) error {
	var r tfRecord
	if err := o.decodeInto(&r); err != nil {
		return err
	}
	typ := r.Type
	if typ == "" {
		typ = "A"
	}
	// terraform-provider-aws imports a record as ZONEID_NAME_TYPE.
	t := pl.target(o, resRecord, r.ZoneID+"_"+r.Name+"_"+typ)
	t.Note = "imported as ZONEID_NAME_TYPE"
	var changes []string
	// The program points it at the box's address: its own public IP
	// (services_launched_by_terraform), or its private one.
	want := pl.instance.PublicIP
	if !pl.p.servicesPublicIP {
		want = pl.instance.PrivateIP
	}
	if strings.Join(r.Records, ",") != want {
		changes = append(changes, fmt.Sprintf("records %s → %s", strings.Join(r.Records, ","), want))
	}
	if r.TTL != 0 && r.TTL != 300 {
		changes = append(changes, fmt.Sprintf("TTL %d → 300", r.TTL))
	}
	t.FirstUp = inPlace(changes...)
	pl.add(t)
	return nil
}

// expected lists every resource the program registers for the adopted
// installation's configuration, in the order the program creates them.
func (pl *planner) expected() []programResource {
	p := pl.p
	out := []programResource{resPassphrase, resQueue, resQueueRole, resQueueRolePolicy,
		resBucket, resBucketSSE, resBucketPAB, resBucketOwnership, resBucketCORS,
		resRole, resPolicy, resProfile}
	groups, rules := pl.securityGroupPlan()
	byName := map[components.GroupKey]string{}
	for _, g := range groups {
		out = append(out, groupResource(g.Key))
		byName[g.Key] = g.Name
	}
	for _, r := range rules {
		res := ruleResource(r)
		res.what = fmt.Sprintf("%s on %s: %s", ruleText(r), byName[r.Group], r.Description())
		out = append(out, res)
	}
	if p.servicesSnapshots {
		out = append(out, resSnapRole, resSnapRolePolicy, resSnapPolicy)
	}
	// An adopted box keeps its own public address: no Elastic IP
	// (services_launched_by_terraform).
	out = append(out, resENI)
	out = append(out, resInstance)
	if p.enableRoute {
		out = append(out, resRecord)
	}
	if p.enableNomad {
		out = append(out, resNomadRole, resNomadPolicy, resNomadProfile, resNomadLT, resNomadASG, resNomadJoin, resNomadDrain)
	}
	if p.enableBuilders {
		out = append(out, resBuildersLT, resBuildersASG, resBuildersHook)
	}
	return out
}

// ruleText renders a rule of the plan for people.
func ruleText(r components.Rule) string {
	dir, from := Ingress, "from"
	if r.Egress {
		dir, from = Egress, "to"
	}
	src := r.CIDR
	if src == "" {
		src = "the " + string(r.Peer) + " group"
	}
	return fmt.Sprintf("%s %s %s %s", dir, r.Ports(), from, src)
}

// created lists what the first up creates: the program's resources that no
// object of the state became.
func (pl *planner) created() {
	for _, r := range pl.expected() {
		if pl.imported[r.name] {
			continue
		}
		what := r.what
		switch r.name {
		case resEIP.name:
			what = fmt.Sprintf("an Elastic IP on %s: THE SERVICES BOX'S PUBLIC ADDRESS CHANGES from %s to the new Elastic IP", resENI.name, pl.instance.PublicIP)
		case resBucketCORS.name:
			what = "the artifacts bucket's CORS rule (" + programCORS.String() + "); the bucket had none"
		}
		if what == "" {
			what = "not in the Terraform state"
		}
		pl.a.Created = append(pl.a.Created, NewObject{Type: r.typ, Name: r.name, Parent: r.parent.String(), What: what})
	}
}

// extra sets the keys that describe what exists.
func (pl *planner) extra() {
	p, in, x := pl.p, pl.instance, pl.a.Extra
	pl.a.Prefix, pl.a.Region = p.prefix, p.region
	x[config.KeyPrefix] = p.prefix
	x[config.KeyAWSRegion] = p.region
	if p.vpcID != "" {
		x[config.KeyAWSVPCID] = p.vpcID
	}
	if p.subnetID != "" {
		x[config.KeyAWSSubnetID] = p.subnetID
	}
	if in.KeyName != "" {
		x[config.KeyAWSSSHKeyName] = in.KeyName
	}
	// Without it the program would look up a newer Ubuntu image (and, with
	// an AMI from a lookup, ignore the difference): the box keeps its own.
	if in.AMI != "" {
		x[config.KeyServicesAMI] = in.AMI
		x[config.KeyServicesLaunchedByTerraform] = "true"
	}
	if in.InstanceType != "" {
		x[config.KeyServicesInstanceType] = in.InstanceType
	}
	if in.DisableAPITermination != nil {
		x[config.KeyServicesDisableAPITermination] = strconv.FormatBool(bool(*in.DisableAPITermination))
	}
	if len(in.RootBlockDevice) > 0 {
		root := in.RootBlockDevice[0]
		if root.VolumeSize > 0 {
			x[config.KeyServicesVolumeSize] = strconv.Itoa(int(root.VolumeSize))
		}
		if root.DeleteOnTermination != nil {
			x[config.KeyServicesDeleteOnTermination] = strconv.FormatBool(bool(*root.DeleteOnTermination))
		}
	}
	// root_volume_type is left to the program's default, gp3: the services
	// box's gp2 volume becomes gp3 in place (EBS ModifyVolume, online, no
	// restart), which is cheaper and has a 3000 IOPS baseline where a
	// 150 GiB gp2 volume has 450; the fleets boot new gp3 volumes anyway.
	// Setting it to gp2 keeps every volume as it is.
	if pl.nomadASG != nil {
		x[config.KeyEnableNomad] = "1"
		x[config.KeyMaxClientsCount] = strconv.Itoa(int(pl.nomadASG.MaxSize))
		x[config.KeyDesiredClientsCount] = strconv.Itoa(int(pl.nomadASG.DesiredCapacity))
	} else {
		x[config.KeyEnableNomad] = "0"
	}
	if g := pl.buildersASG; g != nil {
		x[config.KeyMaxBuildersCount] = strconv.Itoa(int(g.MaxSize))
		x[config.KeyDesiredBuildersCount] = strconv.Itoa(int(g.DesiredCapacity))
	}
	for _, o := range pl.st.Managed(tfTypeLC) {
		if strings.Contains(o.Address, "(deposed") {
			continue
		}
		var lc tfLaunchConfiguration
		if o.decodeInto(&lc) != nil {
			continue
		}
		var size int
		if len(lc.RootBlockDevice) > 0 {
			size = int(lc.RootBlockDevice[0].VolumeSize)
		}
		switch pl.lcUsers[lc.Name] {
		case p.names.NomadASG:
			// The Nomad clients keep their image: the program would
			// otherwise look up the newest Ubuntu 16.04 one.
			set(x, config.KeyNomadClientAMI, lc.ImageID)
			set(x, config.KeyNomadClientInstanceType, lc.InstanceType)
			if size > 0 {
				set(x, config.KeyNomadClientVolumeSize, strconv.Itoa(size))
			}
		case p.names.BuildersASG:
			if pl.buildersASG == nil || pl.buildersASG.DesiredCapacity == 0 {
				continue // 1.0 builders are off: nothing of them is kept
			}
			set(x, config.KeyBuilderInstanceType, lc.InstanceType)
			set(x, config.KeyLegacyBuilderSpotPrice, lc.SpotPrice)
			if size > 0 {
				set(x, config.KeyBuilderVolumeSize, strconv.Itoa(size))
			}
		}
	}
	for _, o := range pl.st.Managed(tfTypeRecord) {
		var r tfRecord
		if strings.Contains(o.Address, "(deposed") || o.decodeInto(&r) != nil {
			continue
		}
		x[config.KeyEnableRoute] = "1"
		x[config.KeyRouteName] = r.Name
		x[config.KeyRouteZoneID] = r.ZoneID
	}
	for _, o := range pl.st.Managed(tfTypeBucket) {
		var b tfBucket
		if o.decodeInto(&b) == nil && pl.isBucket(b.Bucket) {
			x[config.KeyForceDestroyS3Bucket] = strconv.FormatBool(bool(b.ForceDestroy))
		}
	}
}

func set(m map[string]string, k, v string) {
	if v != "" {
		m[k] = v
	}
}

// finalWarnings adds the warnings about the whole adoption.
func (pl *planner) finalWarnings() {
	for _, o := range pl.st.Objects {
		if o.Mode == ModeData && o.Type == tfTypeTemplateFile {
			var v struct {
				Vars map[string]string `json:"vars"`
			}
			_ = o.decodeInto(&v)
			if _, ok := v.Vars[config.KeyCircleSecretPassphrase]; ok {
				pl.warn("%s holds %s in plaintext (%s and its rendered script): once the stack is adopted, delete every copy of the Terraform state (and its backups), and never run terraform apply or destroy on it again: it would fight the stack", pl.a.Source, config.KeyCircleSecretPassphrase, o.Address)
				break
			}
		}
	}
	pl.a.Cleanup = append(pl.a.Cleanup, Step{What: "retire the Terraform state: delete terraform.tfstate and its backups (they hold the passphrase), and do not run terraform against this installation again"})
}

// policyDiff says how the program's policy document differs from the one
// in the state, statement by statement and regardless of formatting, as
// the provider compares them (terraform-provider-aws suppresses the diff
// of equivalent policies; a statement's Sid counts, an empty one is none):
// "" when they are the same.
func policyDiff(have string, want components.PolicyDocument) string {
	wantStatements, err := statements(want.JSON())
	if err != nil {
		return "rewritten"
	}
	haveStatements, err := statements(have)
	if err != nil {
		return "rewritten (the state's document does not parse)"
	}
	if sameKeys(wantStatements, haveStatements, func(s statement) string { return s.key }) {
		return ""
	}
	grant := func(s statement) string { return s.grant }
	if sameKeys(wantStatements, haveStatements, grant) {
		var sids []string
		for _, s := range wantStatements {
			if s.sid != "" {
				sids = append(sids, s.sid)
			}
		}
		sort.Strings(sids)
		return "the same grants, with statement ids (" + strings.Join(sids, ", ") + ")"
	}
	var added, dropped []string
	for _, s := range wantStatements {
		if !hasGrant(haveStatements, s.grant) {
			added = append(added, s.what)
		}
	}
	for _, s := range haveStatements {
		if !hasGrant(wantStatements, s.grant) {
			dropped = append(dropped, s.what)
		}
	}
	sort.Strings(added)
	sort.Strings(dropped)
	var out []string
	if len(added) > 0 {
		out = append(out, "adds "+strings.Join(added, ", "))
	}
	if len(dropped) > 0 {
		out = append(out, "drops "+strings.Join(dropped, ", "))
	}
	for _, w := range wantStatements {
		if hasGrant(haveStatements, w.grant) && !hasKey(haveStatements, w.key) {
			out = append(out, "statement ids added")
			break
		}
	}
	return strings.Join(out, "; ")
}

// statement is a policy statement in normal form: key with its Sid, grant
// without, what for people.
type statement struct{ key, grant, sid, what string }

func sameKeys(a, b []statement, key func(statement) string) bool {
	if len(a) != len(b) {
		return false
	}
	count := map[string]int{}
	for _, s := range a {
		count[key(s)]++
	}
	for _, s := range b {
		count[key(s)]--
	}
	for _, n := range count {
		if n != 0 {
			return false
		}
	}
	return true
}

func hasKey(list []statement, key string) bool {
	for _, s := range list {
		if s.key == key {
			return true
		}
	}
	return false
}

func hasGrant(list []statement, grant string) bool {
	for _, s := range list {
		if s.grant == grant {
			return true
		}
	}
	return false
}

// statements reads a policy document into its statements in normal form.
func statements(doc string) ([]statement, error) {
	var d struct {
		Statement json.RawMessage `json:"Statement"`
	}
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		return nil, err
	}
	var list []map[string]any
	if err := json.Unmarshal(d.Statement, &list); err != nil {
		var one map[string]any
		if err := json.Unmarshal(d.Statement, &one); err != nil {
			return nil, err
		}
		list = []map[string]any{one}
	}
	var out []statement
	for _, s := range list {
		norm := map[string]any{}
		for k, v := range s {
			switch k {
			case "Sid":
			case "Action", "NotAction", "Resource", "NotResource":
				norm[k] = stringSet(v)
			case "Principal", "NotPrincipal":
				if m, ok := v.(map[string]any); ok {
					p := map[string]any{}
					for pk, pv := range m {
						p[pk] = stringSet(pv)
					}
					norm[k] = p
				} else {
					norm[k] = v
				}
			default:
				norm[k] = v
			}
		}
		grant, err := json.Marshal(norm)
		if err != nil {
			return nil, err
		}
		sid, _ := s["Sid"].(string)
		what := strings.Join(stringSet(s["Action"]), ",")
		if sid != "" {
			what = sid + " (" + what + ")"
		}
		out = append(out, statement{key: sid + "\x00" + string(grant), grant: string(grant), sid: sid, what: what})
	}
	return out, nil
}

// stringSet reads a policy element that is a string or a list of strings
// as a sorted list.
func stringSet(v any) []string {
	var out []string
	switch x := v.(type) {
	case string:
		out = []string{x}
	case []any:
		for _, e := range x {
			out = append(out, fmt.Sprint(e))
		}
	}
	sort.Strings(out)
	return out
}
