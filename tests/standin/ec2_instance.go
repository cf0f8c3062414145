package standin

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const tInstance = "aws:ec2/instance:Instance"

func init() {
	register(instanceKind())
}

// imageSizeGiB is the root snapshot size of every stand-in image.
const imageSizeGiB = 8

// Operations the instance kind records besides create, update and delete:
// the ModifyInstanceAttribute calls of the provider's delete.
const (
	opLiftTermination = "disable-api-termination=false"
	opKeepStop        = "disable-api-stop=true"
)

func instanceKind() *kind {
	const op = "EC2: RunInstances"
	return &kind{
		token: tInstance, what: "EC2 Instance",
		// Source: terraform-provider-aws internal/service/ec2/ec2_instance.go,
		// ResourceInstance schema: the ForceNew attributes, and the blocks
		// whose every attribute is ForceNew (network_interface,
		// ebs_block_device, ephemeral_block_device, cpu_options,
		// enclave_options, launch_template); of root_block_device only
		// encrypted and kms_key_id (device_name is Computed only).
		replaces: []string{
			"ami", "subnetId", "networkInterfaces", "availabilityZone", "keyName", "privateIp",
			"associatePublicIpAddress", "placementGroup", "placementPartitionNumber", "tenancy", "hostId", "securityGroups",
			"ebsBlockDevices", "ephemeralBlockDevices", "ebsOptimized", "launchTemplate", "hibernation",
			"cpuOptions", "cpuCoreCount", "cpuThreadsPerCore", "enclaveOptions", "ipv6Addresses", "ipv6AddressCount",
			"privateDnsNameOptions", "rootBlockDevice.encrypted", "rootBlockDevice.kmsKeyId",
		},
		// Source: ResourceInstance CustomizeDiff: ForceNewIf user_data and
		// user_data_base64 when user_data_replace_on_change.
		// Assumption: its ForceNewIf instance_type (when the old and new
		// types share no architecture) is not modelled.
		replaceIf: func(news resource.PropertyMap) []string {
			if boolv(news, "userDataReplaceOnChange") {
				return []string{"userData", "userDataBase64"}
			}
			return nil
		},
		// Source: ResourceInstance schema defaults.
		defaults: map[string]any{"sourceDestCheck": true, "getPasswordData": false, "userDataReplaceOnChange": false},
		// Source: ResourceInstance schema (Computed, or Optional+Computed).
		computed: []string{"arn", "associatePublicIpAddress", "privateIp", "publicIp", "privateDns", "publicDns", "primaryNetworkInterfaceId",
			"instanceState", "subnetId", "availabilityZone", "vpcSecurityGroupIds", "rootBlockDevice", "metadataOptions",
			"tenancy", "cpuCoreCount", "cpuThreadsPerCore", "securityGroups", "outpostArn", "passwordData",
			"disableApiStop", "disableApiTermination"},
		tags: true,
		// Source: ResourceInstance schema validators, and the SDK's messages
		// for AtLeastOneOf and ConflictsWith (terraform-plugin-sdk
		// helper/schema, validateAtLeastOneAttribute,
		// validateConflictingAttributes).
		check: func(c *call, news resource.PropertyMap, f *failures) {
			if !has(news, "launchTemplate") && !isUnknown(news, "launchTemplate") {
				if !has(news, "ami") && !isUnknown(news, "ami") {
					f.add("ami", "\"ami\": one of `ami,launch_template` must be specified")
				}
				if !has(news, "instanceType") && !isUnknown(news, "instanceType") {
					f.add("instanceType", "\"instance_type\": one of `instance_type,launch_template` must be specified")
				}
			}
			// "network_interface" ConflictsWith these. Check fills in
			// source_dest_check's default (true), which the SDK does not
			// count as given.
			// Assumption: an explicit source_dest_check = true is not told
			// apart from that default, so only false conflicts.
			if len(objs(news, "networkInterfaces")) > 0 {
				for _, p := range []string{"associatePublicIpAddress", "subnetId", "privateIp", "secondaryPrivateIps",
					"vpcSecurityGroupIds", "securityGroups", "ipv6Addresses", "ipv6AddressCount", "sourceDestCheck"} {
					if has(news, p) && !(p == "sourceDestCheck" && (wasDefaulted(news, p) || boolv(news, p))) {
						f.add("networkInterfaces", "\"network_interface\": conflicts with %s", snake(p))
					}
				}
			}
			checkMetadataOptions(f, news)
			oneOf(f, news, "root_block_device.0.volume_type", []string{"rootBlockDevice", "volumeType"}, volumeTypes...)
			if has(news, "userData") && has(news, "userDataBase64") {
				f.add("userDataBase64", "\"user_data_base64\": conflicts with user_data")
			}
			// "user_data": StringLenBetween(0, 16384).
			if v := str(news, "userData"); len(v) > userDataLimit && !isUnknown(news, "userData") {
				f.add("userData", "expected length of user_data to be in the range (0 - %d), got %s", userDataLimit, v)
			}
			// "user_data_base64": verify.ValidBase64String (internal/verify/validate.go).
			if !isUnknown(news, "userDataBase64") && has(news, "userDataBase64") {
				if v := str(news, "userDataBase64"); !isBase64(v) {
					f.add("userDataBase64", "%q (%q) must be base64-encoded", "user_data_base64", v)
				}
			}
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			// Source: resourceInstanceCreate ("creating EC2 Instance: %s").
			doing := "creating EC2 Instance"
			if err := amiOK(doing, op, str(ins, "ami")); err != nil {
				return "", nil, err
			}
			if err := c.instanceTypeOK(doing, op, str(ins, "instanceType")); err != nil {
				return "", nil, err
			}
			if err := c.keyPairOK(doing, op, str(ins, "keyName")); err != nil {
				return "", nil, err
			}
			if err := c.instanceProfileOK(doing, op, str(ins, "iamInstanceProfile")); err != nil {
				return "", nil, err
			}
			if err := userDataOK(doing, op, ins); err != nil {
				return "", nil, err
			}
			// Assumption: RunInstances refuses a root volume smaller than
			// the image's snapshot (InvalidBlockDeviceMapping), or larger
			// than 16384 GiB (EBS User Guide, "Amazon EBS volume types":
			// gp2/gp3 up to 16 TiB), with these texts; the provider does not
			// validate volume_size (ResourceInstance schema).
			if size, ok := num(ins, "rootBlockDevice", "volumeSize"); ok && size < imageSizeGiB {
				return "", nil, awsErr(doing, op, 400, "InvalidBlockDeviceMapping",
					"Volume of size %vGB is smaller than snapshot, expect size >= %dGB", size, imageSizeGiB)
			} else if ok && size > 16384 {
				return "", nil, awsErr(doing, op, 400, "InvalidParameterValue",
					"Volume of %vGiB is too large; maximum is 16384GiB", size)
			}
			out, err := c.instanceNetwork(doing, op, ins)
			if err != nil {
				return "", nil, err
			}
			id := c.st.hexID("i", 17)
			// Source: resourceInstanceRead (arn "instance/<id>"); RunInstances
			// returns the instance running once the provider's
			// waitInstanceCreated is done.
			// Assumption: the other values, as DescribeInstances reports an
			// instance that sets none of them.
			out["arn"] = pv(c.cfg.regional("ec2", "instance/"+id))
			out["instanceState"] = pv("running")
			out["tenancy"] = pv("default")
			out["securityGroups"] = pv([]string{})
			out["outpostArn"] = pv("")
			out["passwordData"] = pv("")
			// Source: EC2 API Reference, RunInstances, "DisableApiTermination"
			// and "DisableApiStop" (Default: false).
			for _, k := range []resource.PropertyKey{"disableApiTermination", "disableApiStop"} {
				if !has(ins, string(k)) {
					out[k] = pv(false)
				}
			}
			out["rootBlockDevice"] = c.rootDevice(obj(ins, "rootBlockDevice"), nil)
			out["metadataOptions"] = metadataOptions(obj(ins, "metadataOptions"))
			if t := c.s.fx.instanceType(str(ins, "instanceType")); t != nil {
				out["cpuCoreCount"] = pv(t["defaultCores"])
				out["cpuThreadsPerCore"] = pv(t["defaultThreadsPerCore"])
			}
			return id, out, nil
		},
		update: func(c *call, old *record, ins resource.PropertyMap) (resource.PropertyMap, error) {
			// Source: resourceInstanceUpdate ("updating EC2 Instance (%s)").
			doing, op := "updating EC2 Instance ("+old.id+")", "EC2: ModifyInstanceAttribute"
			if err := c.instanceTypeOK(doing, op, str(ins, "instanceType")); err != nil {
				return nil, err
			}
			// Source: resourceInstanceUpdate, associateInstanceProfile
			// (AssociateIamInstanceProfile; "Invalid IAM Instance Profile").
			if err := c.instanceProfileOK(doing, "EC2: AssociateIamInstanceProfile", str(ins, "iamInstanceProfile")); err != nil {
				return nil, err
			}
			if err := userDataOK(doing, op, ins); err != nil {
				return nil, err
			}
			// Source: resourceInstanceUpdate (a root volume_size change is a
			// ModifyVolume); EBS User Guide, "Modify a volume" (a volume can
			// only grow).
			// Assumption: the text.
			oldSize, _ := num(old.outputs, "rootBlockDevice", "volumeSize")
			if size, ok := num(ins, "rootBlockDevice", "volumeSize"); ok && size < oldSize {
				return nil, awsErr(doing, "EC2: ModifyVolume", 400, "InvalidParameterValue", "New size cannot be smaller than existing size")
			}
			out := resource.PropertyMap{
				"rootBlockDevice": c.rootDevice(obj(ins, "rootBlockDevice"), obj(old.outputs, "rootBlockDevice")),
				"metadataOptions": metadataOptions(obj(ins, "metadataOptions")),
			}
			// Source: resourceInstanceUpdate (disable_api_termination and
			// disable_api_stop changes are ModifyInstanceAttribute calls).
			for _, k := range []resource.PropertyKey{"disableApiTermination", "disableApiStop"} {
				if !has(ins, string(k)) {
					out[k] = old.outputs[k]
				}
			}
			if len(objs(ins, "networkInterfaces")) == 0 {
				// Source: resourceInstanceUpdate (vpc_security_group_ids on
				// the primary network interface, ModifyNetworkInterfaceAttribute).
				sub, err := c.subnet(doing, op, str(old.outputs, "subnetId"))
				if err != nil {
					return nil, err
				}
				if err := c.groups(doing, op, strs(ins, "vpcSecurityGroupIds"), sub.VPCID, sub.ID); err != nil {
					return nil, err
				}
			} else if e := c.st.eipOn(str(old.outputs, "primaryNetworkInterfaceId")); e != nil {
				// Source: resourceInstanceUpdate ends with resourceInstanceRead,
				// which reads public_ip and public_dns afresh.
				out["publicIp"] = pv(str(e.outputs, "publicIp"))
				out["publicDns"] = pv(str(e.outputs, "publicDns"))
			}
			return out, nil
		},
		// Source: resourceInstanceDelete (the terraform-provider-aws v5 line
		// that pulumi-aws v6 bridges): first
		// disableInstanceAPITermination(id, false), a ModifyInstanceAttribute
		// of DisableApiTermination to false whose failure is only logged;
		// then, if disable_api_stop is set (GetOk: only when true),
		// disableInstanceAPIStop(id, true), which sets stop protection to the
		// value it already has and so does not lift it; then terminateInstance
		// (TerminateInstances, "terminating EC2 Instance (%s): %w"). A
		// protected instance is therefore terminated; only stop protection
		// still refuses. (terraform-provider-aws PR #43722, in v6, later made
		// termination protection refuse the destroy; pulumi-aws v6 does not
		// bridge it.)
		delete: func(c *call, r *record) error {
			c.st.op(Operation{Op: opLiftTermination, Type: tInstance, Name: r.name(), URN: r.urn, ID: r.id})
			r.outputs["disableApiTermination"] = pv(false)
			if boolv(r.outputs, "disableApiStop") {
				c.st.op(Operation{Op: opKeepStop, Type: tInstance, Name: r.name(), URN: r.urn, ID: r.id})
				// Source: EC2 User Guide, "Enable stop protection for your EC2
				// instances", "Considerations" ("Stop protection not only
				// prevents your instance from being accidentally stopped, but
				// also from accidental termination when using the console, AWS
				// CLI, or API").
				// Assumption: the text, shaped like EC2's refusals to stop a
				// stop-protected instance and to terminate a
				// termination-protected one.
				return awsErr("terminating EC2 Instance ("+r.id+")", "EC2: TerminateInstances", 400, "OperationNotPermitted",
					"The instance '%s' may not be terminated. Modify its 'disableApiStop' instance attribute and try again.", r.id)
			}
			// Source: VPC User Guide, "Elastic IP address concepts and rules"
			// ("An Elastic IP address is a property of a network interface"):
			// an EIP on an interface the instance was given stays on that
			// interface, which outlives the instance (the network_interface
			// block's delete_on_termination defaults to false); an EIP on the
			// interface RunInstances made goes when that interface is deleted
			// with the instance.
			// Assumption: the EIP stays allocated, disassociated.
			for _, e := range c.st.all(tEIP) {
				if str(e.outputs, "instance") == r.id {
					if c.st.get(tENI, str(e.outputs, "networkInterface")) != nil {
						e.outputs["instance"] = pv("")
					} else {
						disassociate(e)
					}
				}
			}
			c.st.deleteOnTermination(r.id) // the primary interface of a seeded instance (seed.go)
			return nil
		},
	}
}

// instanceNetwork places a new instance: on its network interfaces, or in
// a subnet with a new address.
func (c *call) instanceNetwork(doing, op string, ins resource.PropertyMap) (resource.PropertyMap, error) {
	out := resource.PropertyMap{}
	nis := objs(ins, "networkInterfaces")
	if len(nis) > 0 {
		// Network interfaces with an instance-level subnet or security
		// groups never get here: the schema's ConflictsWith refuses them at
		// Check (see check above).
		var primary *record
		for _, ni := range nis {
			id := str(ni, "networkInterfaceId")
			eni := c.st.get(tENI, id)
			// Source: EC2 API Reference, "Error codes",
			// InvalidNetworkInterfaceID.NotFound.
			// Assumption: the text.
			if eni == nil {
				return nil, awsErr(doing, op, 400, "InvalidNetworkInterfaceID.NotFound", "The networkInterface ID '%s' does not exist", id)
			}
			// Source: "creating EC2 Instance: InvalidNetworkInterface.InUse:
			// Interface: [eni-...] in use." (terraform-provider-aws issue
			// #27513, pulumi/pulumi-aws issue #2394).
			if holder := c.st.holderOf(id); holder != nil {
				return nil, awsErr(doing, op, 400, "InvalidNetworkInterface.InUse", "Interface: [%s] in use.", id)
			}
			if idx, _ := num(ni, "deviceIndex"); idx == 0 && primary == nil {
				primary = eni
			}
		}
		// Source: EC2 User Guide, "Elastic network interfaces" (every
		// instance has a primary network interface, device index 0).
		// Assumption: the text of the refusal.
		if primary == nil {
			return nil, awsErr(doing, op, 400, "InvalidParameterValue", "A network interface with device index 0 is required.")
		}
		sub := c.s.fx.subnet(str(primary.outputs, "subnetId"))
		// Assumption: RunInstances refuses an availability zone other than
		// the interface's subnet's, with this text.
		if az := str(ins, "availabilityZone"); az != "" && az != c.az(sub) {
			return nil, awsErr(doing, op, 400, "InvalidParameterValue",
				"Value (%s) for parameter availabilityZone is invalid. Subnet '%s' is in the availability zone %s", az, sub.ID, c.az(sub))
		}
		// Source: resourceInstanceRead: subnet, addresses and groups of the
		// primary network interface; the public IPv4 address is that of the
		// interface's EIP (VPC User Guide, "Elastic IP address concepts and
		// rules": an EIP is a property of a network interface).
		ip := str(primary.outputs, "privateIp")
		pub := ""
		if e := c.st.eipOn(primary.id); e != nil {
			pub = str(e.outputs, "publicIp")
		}
		for k, v := range map[string]any{
			"subnetId": sub.ID, "availabilityZone": c.az(sub), "privateIp": ip, "privateDns": privateDNS(c, ip),
			"publicIp": pub, "publicDns": publicDNS(c, pub), "primaryNetworkInterfaceId": primary.id,
			"vpcSecurityGroupIds": strs(primary.outputs, "securityGroups"),
		} {
			out[resource.PropertyKey(k)] = pv(v)
		}
		return out, nil
	}

	// Assumption: without a subnet, RunInstances uses the default subnet of
	// the default VPC (the fixtures have one).
	subnetID := str(ins, "subnetId")
	if subnetID == "" {
		for _, s := range c.s.fx.Subnets {
			if s.DefaultForAz {
				subnetID = s.ID
			}
		}
	}
	sub, err := c.subnet(doing, op, subnetID)
	if err != nil {
		return nil, err
	}
	if az := str(ins, "availabilityZone"); az != "" && az != c.az(sub) {
		return nil, awsErr(doing, op, 400, "InvalidParameterValue",
			"Value (%s) for parameter availabilityZone is invalid. Subnet '%s' is in the availability zone %s", az, sub.ID, c.az(sub))
	}
	if err := c.groups(doing, op, strs(ins, "vpcSecurityGroupIds"), sub.VPCID, sub.ID); err != nil {
		return nil, err
	}
	// Source: EC2 API Reference, "Error codes", InvalidIPAddress.InUse.
	// Assumption: the text.
	ip := str(ins, "privateIp")
	if ip == "" {
		if ip, err = c.allocateIP(sub); err != nil {
			return nil, err
		}
	} else if c.st.usedIPs(sub.ID)[ip] {
		return nil, awsErr(doing, op, 400, "InvalidIPAddress.InUse", "Address %s is in use.", ip)
	}
	pub := ""
	if publicIPOnLaunch(get(ins, "associatePublicIpAddress"), sub) {
		pub = c.nextPublicIP()
	}
	sgs := strs(ins, "vpcSecurityGroupIds")
	if sgs == nil {
		sgs = []string{}
	}
	for k, v := range map[string]any{
		"subnetId": sub.ID, "availabilityZone": c.az(sub), "privateIp": ip, "privateDns": privateDNS(c, ip),
		"publicIp": pub, "publicDns": publicDNS(c, pub), "primaryNetworkInterfaceId": c.st.hexID("eni", 17),
		"vpcSecurityGroupIds": sgs,
	} {
		out[resource.PropertyKey(k)] = pv(v)
	}
	return out, nil
}

// rootDevice is the root volume as EC2 reports it: the inputs plus what
// EC2 chose.
// Source: ResourceInstance schema, root_block_device (delete_on_termination
// Default true; the rest Computed, read back by readBlockDevicesFromInstance
// from DescribeVolumes); EBS User Guide, "General Purpose SSD volumes" (gp2:
// 3 IOPS per GiB, at least 100; gp3: a baseline of 3,000 IOPS and 125 MiB/s)
// and "Amazon EBS encryption" (without a key, the AWS managed key aws/ebs).
// Assumption: the device name /dev/sda1, gp2 and the 8 GiB of the fixture
// images.
func (c *call) rootDevice(in, old resource.PropertyMap) resource.PropertyValue {
	out := resource.PropertyMap{}
	for k, v := range map[string]any{
		"deviceName": "/dev/sda1", "volumeType": "gp2", "volumeSize": imageSizeGiB, "encrypted": false,
		"deleteOnTermination": true, "tags": map[string]string{}, "tagsAll": map[string]string{},
	} {
		out[resource.PropertyKey(k)] = pv(v)
	}
	for k, v := range in {
		out[k] = v
	}
	if id := str(old, "volumeId"); id != "" {
		out["volumeId"] = pv(id)
	} else {
		out["volumeId"] = pv(c.st.hexID("vol", 17))
	}
	out["tagsAll"] = tagsAll(c.cfg, in)
	size, _ := num(out, "volumeSize")
	iops, throughput := 0.0, 0.0
	switch str(out, "volumeType") {
	case "gp3":
		iops, throughput = 3000, 125
	case "gp2":
		iops = max(100, 3*size)
	}
	if !has(in, "iops") {
		out["iops"] = pv(iops)
	}
	if !has(in, "throughput") {
		out["throughput"] = pv(throughput)
	}
	if boolv(out, "encrypted") && !has(in, "kmsKeyId") {
		sum := sha256.Sum256([]byte("aws/ebs/" + c.cfg.region))
		key := fmt.Sprintf("%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16])
		out["kmsKeyId"] = pv(c.cfg.regional("kms", "key/"+key))
	}
	return resource.NewObjectProperty(out)
}

// metadataOptions are the instance metadata options as EC2 reports them.
// Source: ResourceInstance schema, metadata_options (http_endpoint Default
// "enabled", http_protocol_ipv6 Default "disabled"; the rest Computed).
// Assumption: EC2's defaults for the rest (tokens optional, hop limit 1,
// tags disabled), which depend on the image and account settings.
func metadataOptions(in resource.PropertyMap) resource.PropertyValue {
	out := pmap(map[string]any{
		"httpEndpoint": "enabled", "httpTokens": "optional", "httpPutResponseHopLimit": 1,
		"httpProtocolIpv6": "disabled", "instanceMetadataTags": "disabled",
	})
	for k, v := range in {
		out[k] = v
	}
	return resource.NewObjectProperty(out)
}

// userDataOK checks the size of an instance's user data, decoded.
// Source: see userDataLimit.
// Assumption: RunInstances refuses more with InvalidParameterValue and this
// text.
func userDataOK(doing, op string, ins resource.PropertyMap) error {
	n := len(str(ins, "userData"))
	if b, err := base64.StdEncoding.DecodeString(str(ins, "userDataBase64")); err == nil && len(b) > n {
		n = len(b)
	}
	if n > userDataLimit {
		return awsErr(doing, op, 400, "InvalidParameterValue", "User data is limited to %d bytes", userDataLimit)
	}
	return nil
}

// isBase64 mirrors the provider's itypes.IsBase64Encoded.
// Source: terraform-provider-aws internal/types, IsBase64Encoded (a
// standard base64 decode succeeds).
func isBase64(s string) bool {
	_, err := base64.StdEncoding.DecodeString(s)
	return err == nil
}
