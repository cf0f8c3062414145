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

func instanceKind() *kind {
	const op = "EC2: RunInstances"
	return &kind{
		token: tInstance, what: "EC2 Instance",
		replaces: []string{
			"ami", "subnetId", "networkInterfaces", "availabilityZone", "keyName", "privateIp",
			"associatePublicIpAddress", "placementGroup", "tenancy", "hostId", "securityGroups",
			"ebsBlockDevices", "ephemeralBlockDevices", "launchTemplate", "hibernation",
			"cpuOptions", "cpuCoreCount", "cpuThreadsPerCore", "enclaveOptions", "ipv6Addresses", "ipv6AddressCount",
			"rootBlockDevice.encrypted", "rootBlockDevice.kmsKeyId", "rootBlockDevice.deviceName",
		},
		replaceIf: func(news resource.PropertyMap) []string {
			if boolv(news, "userDataReplaceOnChange") {
				return []string{"userData", "userDataBase64"}
			}
			return nil
		},
		defaults: map[string]any{"sourceDestCheck": true, "getPasswordData": false, "userDataReplaceOnChange": false},
		computed: []string{"arn", "privateIp", "publicIp", "privateDns", "publicDns", "primaryNetworkInterfaceId",
			"instanceState", "subnetId", "availabilityZone", "vpcSecurityGroupIds", "rootBlockDevice", "metadataOptions",
			"tenancy", "cpuCoreCount", "cpuThreadsPerCore", "securityGroups", "outpostArn", "passwordData"},
		tags: true,
		check: func(c *call, news resource.PropertyMap, f *failures) {
			if !has(news, "launchTemplate") {
				required(f, news, "ami", "instanceType")
			}
			checkMetadataOptions(f, news)
			oneOf(f, news, "root_block_device.0.volume_type", []string{"rootBlockDevice", "volumeType"}, volumeTypes...)
			between(f, news, "root_block_device.0.volume_size", []string{"rootBlockDevice", "volumeSize"}, 1, 16384)
			if has(news, "userData") && has(news, "userDataBase64") {
				f.add("userDataBase64", "\"user_data_base64\": conflicts with user_data")
			}
			if !isUnknown(news, "userDataBase64") && has(news, "userDataBase64") {
				if _, err := base64.StdEncoding.DecodeString(str(news, "userDataBase64")); err != nil {
					f.add("userDataBase64", "user_data_base64: must be base64-encoded")
				}
			}
			checkTags(f, news)
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
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
			if size, ok := num(ins, "rootBlockDevice", "volumeSize"); ok && size < imageSizeGiB {
				return "", nil, awsErr(doing, op, 400, "InvalidBlockDeviceMapping",
					"Volume of size %vGB is smaller than snapshot, expect size >= %dGB", size, imageSizeGiB)
			}
			out, err := c.instanceNetwork(doing, op, ins)
			if err != nil {
				return "", nil, err
			}
			id := c.st.hexID("i", 17)
			out["arn"] = pv(c.cfg.regional("ec2", "instance/"+id))
			out["instanceState"] = pv("running")
			out["tenancy"] = pv("default")
			out["securityGroups"] = pv([]string{})
			out["outpostArn"] = pv("")
			out["passwordData"] = pv("")
			out["rootBlockDevice"] = c.rootDevice(obj(ins, "rootBlockDevice"), nil)
			out["metadataOptions"] = metadataOptions(obj(ins, "metadataOptions"))
			if t := c.s.fx.instanceType(str(ins, "instanceType")); t != nil {
				out["cpuCoreCount"] = pv(t["defaultCores"])
				out["cpuThreadsPerCore"] = pv(t["defaultThreadsPerCore"])
			}
			return id, out, nil
		},
		update: func(c *call, old *record, ins resource.PropertyMap) (resource.PropertyMap, error) {
			doing, op := "updating EC2 Instance ("+old.id+")", "EC2: ModifyInstanceAttribute"
			if err := c.instanceTypeOK(doing, op, str(ins, "instanceType")); err != nil {
				return nil, err
			}
			if err := c.instanceProfileOK(doing, "EC2: AssociateIamInstanceProfile", str(ins, "iamInstanceProfile")); err != nil {
				return nil, err
			}
			if err := userDataOK(doing, op, ins); err != nil {
				return nil, err
			}
			oldSize, _ := num(old.outputs, "rootBlockDevice", "volumeSize")
			if size, ok := num(ins, "rootBlockDevice", "volumeSize"); ok && size < oldSize {
				return nil, awsErr(doing, "EC2: ModifyVolume", 400, "InvalidParameterValue", "New size cannot be smaller than existing size")
			}
			out := resource.PropertyMap{
				"rootBlockDevice": c.rootDevice(obj(ins, "rootBlockDevice"), obj(old.outputs, "rootBlockDevice")),
				"metadataOptions": metadataOptions(obj(ins, "metadataOptions")),
			}
			if len(objs(ins, "networkInterfaces")) == 0 {
				sub, err := c.subnet(doing, op, str(old.outputs, "subnetId"))
				if err != nil {
					return nil, err
				}
				if err := c.groups(doing, op, strs(ins, "vpcSecurityGroupIds"), sub.VPCID, sub.ID); err != nil {
					return nil, err
				}
			} else if e := c.st.eipOn(str(old.outputs, "primaryNetworkInterfaceId")); e != nil {
				out["publicIp"] = pv(str(e.outputs, "publicIp"))
				out["publicDns"] = pv(str(e.outputs, "publicDns"))
			}
			return out, nil
		},
		delete: func(c *call, r *record) error {
			if boolv(r.outputs, "disableApiTermination") {
				return awsErr("terminating EC2 Instance ("+r.id+")", "EC2: TerminateInstances", 400, "OperationNotPermitted",
					"The instance '%s' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.", r.id)
			}
			for _, e := range c.st.all(tEIP) {
				if str(e.outputs, "instance") == r.id {
					if c.st.get(tENI, str(e.outputs, "networkInterface")) != nil {
						e.outputs["instance"] = pv("") // the EIP stays on the interface
					} else {
						disassociate(e)
					}
				}
			}
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
		if has(ins, "subnetId") {
			return nil, awsErr(doing, op, 400, "InvalidParameterCombination",
				"Network interfaces and an instance-level subnet ID may not be specified on the same request")
		}
		if len(strs(ins, "vpcSecurityGroupIds")) > 0 {
			return nil, awsErr(doing, op, 400, "InvalidParameterCombination",
				"Network interfaces and an instance-level security groups may not be specified on the same request")
		}
		var primary *record
		for _, ni := range nis {
			id := str(ni, "networkInterfaceId")
			eni := c.st.get(tENI, id)
			if eni == nil {
				return nil, awsErr(doing, op, 400, "InvalidNetworkInterfaceID.NotFound", "The networkInterface ID '%s' does not exist", id)
			}
			if holder := c.st.holderOf(id); holder != nil {
				return nil, awsErr(doing, op, 400, "InvalidNetworkInterface.InUse", "Interface: [%s] in use.", id)
			}
			if idx, _ := num(ni, "deviceIndex"); idx == 0 && primary == nil {
				primary = eni
			}
		}
		if primary == nil {
			return nil, awsErr(doing, op, 400, "InvalidParameterValue", "A network interface with device index 0 is required.")
		}
		sub := c.s.fx.subnet(str(primary.outputs, "subnetId"))
		if az := str(ins, "availabilityZone"); az != "" && az != c.az(sub) {
			return nil, awsErr(doing, op, 400, "InvalidParameterValue",
				"Value (%s) for parameter availabilityZone is invalid. Subnet '%s' is in the availability zone %s", az, sub.ID, c.az(sub))
		}
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
	ip := str(ins, "privateIp")
	if ip == "" {
		if ip, err = c.allocateIP(sub); err != nil {
			return nil, err
		}
	} else if c.st.usedIPs(sub.ID)[ip] {
		return nil, awsErr(doing, op, 400, "InvalidIPAddress.InUse", "Address %s is in use.", ip)
	}
	pub := ""
	if v := get(ins, "associatePublicIpAddress"); (v.IsBool() && v.BoolValue()) || (v.IsNull() && sub.MapPublicIPOnLaunch) {
		n := c.st.next("public-ip")
		pub = fmt.Sprintf("192.0.2.%d", (n-1)%254+1)
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

// userDataOK checks the size of an instance's user data.
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
