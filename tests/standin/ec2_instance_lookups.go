package standin

import (
	"crypto/sha1" //nolint:gosec // the provider's user data hash, not security
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// The getInstances and getInstance invokes: DescribeInstances over the
// program's EC2 instances, the aws:ec2/instance:Instance records of the
// current state (in a preview too, which changes no state: an instance the
// preview plans is not there yet).
//
// Instances that auto scaling groups launch (GroupInstances) are not listed:
// they are no records, and the stand-in keeps neither their tags nor their
// images, types and key pairs, which the filters and answers need. A deleted
// instance is gone at once.
// Assumption: EC2 lists a terminated instance for about an hour; the
// stand-in does not, so a lookup never finds a terminated one.

// instanceStates are EC2's instance state names and codes.
// Source: EC2 API Reference, InstanceState (Code: 0 pending, 16 running,
// 32 shutting-down, 48 terminated, 64 stopping, 80 stopped).
var instanceStates = map[string]string{
	"pending": "0", "running": "16", "shutting-down": "32", "terminated": "48", "stopping": "64", "stopped": "80",
}

// instanceStateNames are the values instance_state_names takes, in the
// order of the SDK's InstanceStateName values.
// Source: terraform-provider-aws internal/service/ec2/ec2_instances_data_source.go,
// schema instance_state_names (StringInSlice(InstanceStateName values));
// pulumi-aws v6.83.4 sdk GetInstancesArgs.InstanceStateNames ("pending,
// running, shutting-down, stopped, stopping, terminated").
var instanceStateNames = []string{"pending", "running", "shutting-down", "terminated", "stopping", "stopped"}

// instanceIDRE is the form of an instance id.
// Source: EC2 API Reference, Error codes, InvalidInstanceID.Malformed ("The
// specified instance ID is not valid"); instance ids are i- and 8 or 17 hex
// digits (EC2 User Guide, "Resource IDs").
var instanceIDRE = regexp.MustCompile(`^i-[0-9a-f]{8}([0-9a-f]{9})?$`)

// liveInstance is a live instance as DescribeInstances describes it.
type liveInstance struct {
	r                   *record
	vpcID               string
	publicIP, publicDNS string
	tags                map[string]string
}

// instances describes the live instances: those named by ids (each must
// exist), that pass the filters.
// Source: EC2 API Reference, DescribeInstances: InstanceIds (a missing one
// is InvalidInstanceID.NotFound, a malformed one InvalidInstanceID.Malformed;
// Error codes), and Filters, of which these are modelled: availability-zone,
// dns-name, image-id, instance-id, instance-state-code,
// instance-state-name, instance-type, instance.group-id, ip-address,
// key-name, network-interface.network-interface-id (the primary
// interface), owner-id, private-dns-name, private-ip-address, subnet-id,
// tag:<key>, tag-key, tenancy, vpc-id. Any other is refused as
// matchFilters refuses it.
// Assumption: the NotFound and Malformed texts; the order (oldest first).
func (c *call) instances(doing, op string, ids []string, fs []filter) ([]liveInstance, error) {
	for _, id := range ids {
		if !instanceIDRE.MatchString(id) {
			return nil, awsErr(doing, op, 400, "InvalidInstanceID.Malformed", "Invalid id: %q", id)
		}
		if c.st.get(tInstance, id) == nil {
			return nil, awsErr(doing, op, 400, "InvalidInstanceID.NotFound", "The instance ID '%s' does not exist", id)
		}
	}
	var out []liveInstance
	for _, r := range c.st.all(tInstance) {
		if len(ids) > 0 && !contains(ids, r.id) {
			continue
		}
		i := c.liveInstance(r)
		o := r.outputs
		one := func(v string) func() []string {
			return func() []string {
				if v == "" {
					return nil
				}
				return []string{v}
			}
		}
		state := str(o, "instanceState")
		ok, err := matchFilters(doing, op, fs, map[string]func() []string{
			"availability-zone":                      one(str(o, "availabilityZone")),
			"dns-name":                               one(i.publicDNS),
			"image-id":                               one(str(o, "ami")),
			"instance-id":                            one(r.id),
			"instance-state-code":                    one(instanceStates[state]),
			"instance-state-name":                    one(state),
			"instance-type":                          one(str(o, "instanceType")),
			"instance.group-id":                      func() []string { return strs(o, "vpcSecurityGroupIds") },
			"ip-address":                             one(i.publicIP),
			"key-name":                               one(str(o, "keyName")),
			"network-interface.network-interface-id": one(str(o, "primaryNetworkInterfaceId")),
			"owner-id":                               one(Account),
			"private-dns-name":                       one(str(o, "privateDns")),
			"private-ip-address":                     one(str(o, "privateIp")),
			"subnet-id":                              one(str(o, "subnetId")),
			"tag-key":                                func() []string { return keys(i.tags) },
			"tenancy":                                one(str(o, "tenancy")),
			"vpc-id":                                 one(i.vpcID),
		}, i.tags)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, i)
		}
	}
	return out, nil
}

// liveInstance reads what EC2 reports of an instance record now.
// Source: EC2 API Reference, Instance (Tags, VpcId, PublicIpAddress); VPC
// User Guide, "Elastic IP address concepts and rules" (an EIP on the
// instance's primary network interface is its public address).
// Assumption: EC2's tags are the record's tagsAll (what the provider sent,
// without "aws:" keys); without an EIP, the address the record got at
// launch.
func (c *call) liveInstance(r *record) liveInstance {
	i := liveInstance{r: r, tags: stringMap(r.outputs, "tagsAll"), publicIP: str(r.outputs, "publicIp"),
		publicDNS: str(r.outputs, "publicDns")}
	if s := c.s.fx.subnet(str(r.outputs, "subnetId")); s != nil {
		i.vpcID = s.VPCID
	}
	if e := c.st.eipOn(str(r.outputs, "primaryNetworkInterfaceId")); e != nil {
		i.publicIP, i.publicDNS = str(e.outputs, "publicIp"), publicDNS(c, str(e.outputs, "publicIp"))
	}
	return i
}

// tagFilters are the tag:<key> filters of an instance_tags map.
// Source: terraform-provider-aws internal/service/ec2, BuildTagFilterList /
// newTagFilterList (one tag:<key> filter with the one value per pair).
func tagFilters(tags map[string]string) []filter {
	var out []filter
	for _, k := range keys(tags) {
		out = append(out, filter{name: "tag:" + k, values: []string{tags[k]}})
	}
	return out
}

// getInstances answers ec2.GetInstances.
// Source: terraform-provider-aws internal/service/ec2/ec2_instances_data_source.go,
// dataSourceInstancesRead: an instance-state-name filter of
// instance_state_names, or of "running" when none are given; tag filters of
// instance_tags; the custom filters; errors "reading EC2 Instances: %s";
// ids, private_ips, public_ips and ipv6_addresses of the instances found
// (empty addresses left out); the id is the region. No match is no error
// but empty lists: hashicorp/terraform-provider-aws PR #21219 ("Various
// data sources: Return empty lists rather than errors when no resources
// match", provider v4.0.0; unchanged in v5). The answer's keys are those of
// pulumi-aws v6.83.4 sdk go/aws/ec2, GetInstancesResult.
// Assumption: a state name outside the enumeration is refused in these
// words (the bridge reports the schema's StringInSlice).
func getInstances(c *call, args resource.PropertyMap) (map[string]any, error) {
	const doing, op = "reading EC2 Instances", "EC2: DescribeInstances"
	states := strs(args, "instanceStateNames")
	for _, s := range states {
		if !contains(instanceStateNames, s) {
			return nil, fmt.Errorf("expected instance_state_names to be one of %q, got %s", instanceStateNames, s)
		}
	}
	if len(states) == 0 {
		states = []string{"running"}
	}
	fs := append([]filter{{name: "instance-state-name", values: states}}, tagFilters(stringMap(args, "instanceTags"))...)
	fs = append(fs, filtersOf(args)...)
	found, err := c.instances(doing, op, nil, fs)
	if err != nil {
		return nil, err
	}
	ids, private, public := []string{}, []string{}, []string{}
	for _, i := range found {
		ids = append(ids, i.r.id)
		if ip := str(i.r.outputs, "privateIp"); ip != "" {
			private = append(private, ip)
		}
		if i.publicIP != "" {
			public = append(public, i.publicIP)
		}
	}
	return map[string]any{
		"id": c.cfg.region, "ids": ids, "privateIps": private, "publicIps": public,
		// Assumption: the stand-in's instances have no IPv6 addresses.
		"ipv6Addresses": []string{}, "filters": args["filters"], "instanceStateNames": args["instanceStateNames"],
		"instanceTags": stringMap(args, "instanceTags"),
	}, nil
}

// getInstance answers ec2.LookupInstance.
// Source: terraform-provider-aws internal/service/ec2/ec2_instance_data_source.go,
// dataSourceInstanceRead (v5 line): instance_tags become tag filters, then
// the custom filters, instance_id the InstanceIds; no state filter, so every
// state is found; findInstance turns InvalidInstanceID.NotFound into a
// NotFoundError (findInstances) and wants a single result, and
// tfresource.SingularDataSourceFindError("EC2 Instance", err) words the
// errors: "no matching EC2 Instance found", "multiple EC2 Instances matched;
// use additional constraints to reduce matches to a single EC2 Instance",
// else "reading EC2 Instance: %w". The schema has no AtLeastOneOf: without
// filter, instance_tags or instance_id every instance is a candidate. The
// answer's keys are those of pulumi-aws v6.83.4 sdk go/aws/ec2,
// LookupInstanceResult; instanceDescriptionAttributes sets them.
func getInstance(c *call, args resource.PropertyMap) (map[string]any, error) {
	const op = "EC2: DescribeInstances"
	fs := append(tagFilters(stringMap(args, "instanceTags")), filtersOf(args)...)
	var ids []string
	if id := str(args, "instanceId"); id != "" {
		ids = []string{id}
	}
	found, err := c.instances("reading EC2 Instance", op, ids, fs)
	if e, ok := err.(*apiError); ok && e.code == "InvalidInstanceID.NotFound" {
		return nil, singular("EC2 Instance", 0)
	} else if err != nil {
		return nil, err
	}
	if len(found) != 1 {
		return nil, singular("EC2 Instance", len(found))
	}
	// Source: dataSourceInstanceRead, getInstancePasswordData (waits for
	// the Windows password).
	// Assumption: the stand-in's images are Linux, which never get one; it
	// refuses rather than wait.
	if boolv(args, "getPasswordData") {
		return nil, fmt.Errorf("the AWS stand-in does not model instance password data (getPasswordData)")
	}
	return c.describeInstance(found[0], args), nil
}

// describeInstance is instanceDescriptionAttributes over a live instance.
// Source: ec2_instance_data_source.go, instanceDescriptionAttributes:
// instance_state from State.Name; placement (availability zone, host,
// group, partition, tenancy); ami, instance_type, key_name, launch_time
// (RFC 3339), outpost_arn, private/public DNS and IP; iam_instance_profile
// as the profile's name; subnet_id, network_interface_id and
// associate_public_ip_address (an association) of the device-index-0
// interface, with its secondary private and IPv6 addresses; ebs_optimized,
// source_dest_check, monitoring; tags (setTagsOut); security groups;
// block devices (readBlockDevices); ephemeral_block_device empty;
// disable_api_stop, disable_api_termination and user_data (the SHA-1 hex
// of the decoded value, userDataHashSum; user_data_base64 only with
// get_user_data) from DescribeInstanceAttribute; credit_specification
// only for burstable types; enclave, maintenance, metadata and private DNS
// name options; arn instance/<id>.
func (c *call) describeInstance(i liveInstance, args resource.PropertyMap) map[string]any {
	o := i.r.outputs
	root := obj(o, "rootBlockDevice")
	md := obj(o, "metadataOptions")
	raw := instanceUserData(o)
	userData, userDataB64 := "", ""
	if raw != nil {
		sum := sha1.Sum(raw) //nolint:gosec // userDataHashSum
		userData = hex.EncodeToString(sum[:])
		if boolv(args, "getUserData") {
			userDataB64 = base64.StdEncoding.EncodeToString(raw)
		}
	}
	orEmpty := func(l []string) []string {
		if l == nil {
			return []string{}
		}
		return l
	}
	numOr := func(m resource.PropertyMap, key string, def float64) float64 {
		if n, ok := num(m, key); ok {
			return n
		}
		return def
	}
	boolOr := func(m resource.PropertyMap, key string, def bool) bool {
		if has(m, key) {
			return boolv(m, key)
		}
		return def
	}
	out := map[string]any{
		"id": i.r.id, "arn": str(o, "arn"), "ami": str(o, "ami"), "instanceType": str(o, "instanceType"),
		"instanceState": str(o, "instanceState"), "keyName": str(o, "keyName"), "availabilityZone": str(o, "availabilityZone"),
		"subnetId": str(o, "subnetId"), "networkInterfaceId": str(o, "primaryNetworkInterfaceId"),
		"privateIp": str(o, "privateIp"), "privateDns": str(o, "privateDns"), "publicIp": i.publicIP, "publicDns": i.publicDNS,
		"associatePublicIpAddress": i.publicIP != "",
		"iamInstanceProfile":       str(o, "iamInstanceProfile"),
		"tags":                     i.tags, "tenancy": str(o, "tenancy"),
		"vpcSecurityGroupIds": orEmpty(strs(o, "vpcSecurityGroupIds")), "securityGroups": orEmpty(strs(o, "securityGroups")),
		"secondaryPrivateIps": []string{}, "ipv6Addresses": []string{},
		"disableApiStop": boolv(o, "disableApiStop"), "disableApiTermination": boolv(o, "disableApiTermination"),
		"ebsOptimized": boolv(o, "ebsOptimized"), "monitoring": boolv(o, "monitoring"),
		"sourceDestCheck": boolOr(o, "sourceDestCheck", true),
		"placementGroup":  str(o, "placementGroup"), "placementPartitionNumber": numOr(o, "placementPartitionNumber", 0),
		"hostId": str(o, "hostId"), "hostResourceGroupArn": "", "outpostArn": str(o, "outpostArn"),
		// Assumption: every instance was launched at the stand-in's fixed
		// creation date.
		"launchTime":   createDate,
		"passwordData": "", "userData": userData, "userDataBase64": userDataB64,
		"rootBlockDevices": []any{map[string]any{
			"deleteOnTermination": boolOr(root, "deleteOnTermination", true), "deviceName": str(root, "deviceName"),
			"encrypted": boolv(root, "encrypted"), "iops": numOr(root, "iops", 0), "kmsKeyId": str(root, "kmsKeyId"),
			"tags": stringMap(root, "tagsAll"), "throughput": numOr(root, "throughput", 0), "volumeId": str(root, "volumeId"),
			"volumeSize": numOr(root, "volumeSize", 0), "volumeType": str(root, "volumeType"),
		}},
		// Assumption: no EBS volume besides the root and no instance store
		// volume are modelled.
		"ebsBlockDevices": []any{}, "ephemeralBlockDevices": []any{},
		"metadataOptions": []any{map[string]any{
			"httpEndpoint": str(md, "httpEndpoint"), "httpProtocolIpv6": str(md, "httpProtocolIpv6"),
			"httpPutResponseHopLimit": numOr(md, "httpPutResponseHopLimit", 1), "httpTokens": str(md, "httpTokens"),
			"instanceMetadataTags": str(md, "instanceMetadataTags"),
		}},
		"creditSpecifications": c.creditSpecifications(o),
		// Source: EC2 API Reference, EnclaveOptions (Enabled) and
		// InstanceMaintenanceOptions (AutoRecovery: default or disabled).
		// Assumption: EC2 reports both for every instance, enclaves off and
		// auto recovery "default" unless the instance says otherwise.
		"enclaveOptions":     []any{map[string]any{"enabled": boolv(o, "enclaveOptions", "enabled")}},
		"maintenanceOptions": []any{map[string]any{"autoRecovery": strOr(str(o, "maintenanceOptions", "autoRecovery"), "default")}},
		// Assumption: the subnets' hostname type, ip-name (getSubnet's
		// privateDnsHostnameTypeOnLaunch), without resource name records.
		"privateDnsNameOptions": []any{map[string]any{
			"enableResourceNameDnsARecord": false, "enableResourceNameDnsAaaaRecord": false, "hostnameType": "ip-name",
		}},
		"filters": args["filters"], "instanceId": args["instanceId"], "instanceTags": stringMap(args, "instanceTags"),
		"getPasswordData": boolv(args, "getPasswordData"), "getUserData": boolv(args, "getUserData"),
	}
	return out
}

func strOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// instanceUserData is the user data EC2 holds for an instance, decoded, or
// nil for none.
// Source: terraform-provider-aws internal/verify/base64.go, Base64Encode (the
// provider sends user_data base64-encoded, unless it already is, and
// user_data_base64 as it is); ec2_instance.go, userDataHashSum (the hash of
// the decoded value).
func instanceUserData(o resource.PropertyMap) []byte {
	if v := str(o, "userDataBase64"); v != "" {
		b, _ := base64.StdEncoding.DecodeString(v)
		return b
	}
	v := str(o, "userData")
	if v == "" {
		return nil
	}
	if b, err := base64.StdEncoding.DecodeString(v); err == nil {
		return b
	}
	return []byte(v)
}

// creditSpecifications is an instance's credit specification: only for a
// burstable type, and then its cpu_credits, by default unlimited (standard
// for T2).
// Source: ec2_instance_data_source.go, instanceDescriptionAttributes
// (credit_specification only when the type's BurstablePerformanceSupported;
// nil otherwise); EC2 User Guide, "Burstable performance instances" (T2
// launch as standard by default; T3, T3a and T4g as unlimited).
// Assumption: DescribeInstanceCreditSpecifications answers in every
// partition (the provider ignores its UnsupportedOperation in China and
// GovCloud, PR #4362).
func (c *call) creditSpecifications(o resource.PropertyMap) []any {
	t := c.s.fx.instanceType(str(o, "instanceType"))
	if t == nil || t["burstablePerformanceSupported"] != true {
		return []any{}
	}
	credits := str(o, "creditSpecification", "cpuCredits")
	if credits == "" {
		credits = "unlimited"
		if strings.HasPrefix(str(o, "instanceType"), "t2.") {
			credits = "standard"
		}
	}
	return []any{map[string]any{"cpuCredits": credits}}
}
