package standin

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Checks of the launch parameters that instances, launch templates and the
// instances an auto scaling group launches share: user data size, metadata
// options, volume types, nullable booleans, image, instance type, key pair,
// instance profile, and the public IPv4 address of a new instance.

// userDataLimit is EC2's limit on user data, before base64 encoding.
// Source: EC2 User Guide, "Work with instance user data", "Considerations"
// ("User data is limited to 16 KB, in raw form, before it is
// base64-encoded"); EC2 API Reference, RequestLaunchTemplateData, "UserData"
// ("User data is limited to 16 KB").
const userDataLimit = 16384

// checkMetadataOptions mirrors the metadata_options validators of both
// aws_instance and aws_launch_template.
// Source: terraform-provider-aws internal/service/ec2/ec2_instance.go,
// ResourceInstance schema "metadata_options" (enum.Validate of
// InstanceMetadataEndpointState, InstanceMetadataProtocolState,
// HttpTokensState, InstanceMetadataTagsState; IntBetween(1, 64)), and
// ec2_launch_template.go, ResourceLaunchTemplate schema "metadata_options"
// (the LaunchTemplate* enums of the same values).
func checkMetadataOptions(f *failures, news resource.PropertyMap) {
	p := []string{"metadataOptions"}
	oneOf(f, news, "metadata_options.0.http_tokens", append(p, "httpTokens"), "optional", "required")
	oneOf(f, news, "metadata_options.0.http_endpoint", append(p, "httpEndpoint"), "enabled", "disabled")
	oneOf(f, news, "metadata_options.0.http_protocol_ipv6", append(p, "httpProtocolIpv6"), "enabled", "disabled")
	oneOf(f, news, "metadata_options.0.instance_metadata_tags", append(p, "instanceMetadataTags"), "enabled", "disabled")
	between(f, news, "metadata_options.0.http_put_response_hop_limit", append(p, "httpPutResponseHopLimit"), 1, 64)
}

// volumeTypes are the values of EC2's VolumeType enum.
// Source: EC2 API Reference, EbsBlockDevice, "VolumeType" (standard | io1 |
// io2 | gp2 | sc1 | st1 | gp3), validated by enum.Validate[awstypes.VolumeType]
// in the root_block_device and block_device_mappings.ebs schemas of
// ec2_instance.go and ec2_launch_template.go.
var volumeTypes = []string{"standard", "gp2", "gp3", "io1", "io2", "sc1", "st1"}

// checkNullableBool mirrors the provider's TypeNullableBool validator, a
// string that is empty or a boolean.
// Source: terraform-provider-aws internal/sdkv2/types/nullable (the v5 line
// that pulumi-aws v6 bridges), ValidateTypeStringNullableBool: "" passes,
// anything strconv.ParseBool reads passes (values other than "true" and
// "false" only with a deprecation warning), the rest fails with
// "%s: cannot parse '%s' as boolean: %w". Restricting it to "", "true" and
// "false" came with terraform-provider-aws v6.0.0 (issue #29379, PR #42434),
// which pulumi-aws v6 does not bridge.
func checkNullableBool(f *failures, m resource.PropertyMap, label string, path []string) {
	if isUnknown(m, path...) || !has(m, path...) {
		return
	}
	v := get(m, path...)
	if !v.IsString() {
		return // a bool arrives as such; the bridge sends it as "true"/"false"
	}
	if s := v.StringValue(); s != "" {
		if _, err := strconv.ParseBool(s); err != nil {
			f.add(strings.Join(path, "."), "%s: cannot parse '%s' as boolean: %v", label, s, err)
		}
	}
}

// amiOK rejects a malformed image id, as RunInstances does.
// Source: EC2 API Reference, "Error codes for the Amazon EC2 API",
// InvalidAMIID.Malformed ("The specified AMI ID is malformed").
// Assumption: the message text "Invalid id: ... (expecting "ami-...")".
func amiOK(doing, op, ami string) error {
	if !amiRE.MatchString(ami) {
		return awsErr(doing, op, 400, "InvalidAMIID.Malformed", "Invalid id: %q (expecting \"ami-...\")", ami)
	}
	return nil
}

// instanceProfileError is EC2's refusal of an instance profile that does not
// exist, by name or by ARN.
// Source: terraform-provider-aws internal/service/autoscaling/group.go,
// resourceGroupCreate (retries "ValidationError: You must use a valid
// fully-formed launch template. Value (...) for parameter
// iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name"),
// and issue #29866 for the ARN form ("Value (...) for parameter
// iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN").
func (c *call) instanceProfileError(nameOrARN string) string {
	if nameOrARN == "" || c.st.instanceProfile(nameOrARN) != nil {
		return ""
	}
	if strings.HasPrefix(nameOrARN, "arn:") {
		return fmt.Sprintf("Value (%s) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN", nameOrARN)
	}
	return fmt.Sprintf("Value (%s) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name", nameOrARN)
}

func (c *call) instanceProfileOK(doing, op, nameOrARN string) error {
	if msg := c.instanceProfileError(nameOrARN); msg != "" {
		return awsErr(doing, op, 400, "InvalidParameterValue", "%s", msg)
	}
	return nil
}

// keyPairOK rejects a key pair that does not exist.
// Source: EC2 API Reference, "Error codes", InvalidKeyPair.NotFound; the
// message "The key pair '...' does not exist" as Auto Scaling repeats it
// (Guimove/terraform-aws-bastion issue #173: "You must use a valid
// fully-formed launch template. The key pair '...' does not exist").
func (c *call) keyPairOK(doing, op, name string) error {
	if name != "" && !c.s.keyPairExists(name) {
		return awsErr(doing, op, 400, "InvalidKeyPair.NotFound", "The key pair '%s' does not exist", name)
	}
	return nil
}

// instanceTypeOK rejects an instance type EC2 does not offer.
// Assumption: the code InvalidParameterValue and the text "Invalid value
// '...' for InstanceType." (no source read confirms them).
func (c *call) instanceTypeOK(doing, op, t string) error {
	if t != "" && c.s.fx.instanceType(t) == nil {
		return awsErr(doing, op, 400, "InvalidParameterValue", "Invalid value '%s' for InstanceType.", t)
	}
	return nil
}

// publicIPOnLaunch says whether a new instance's primary network interface
// gets a public IPv4 address: what the launch asks for (an instance's
// associate_public_ip_address, or the AssociatePublicIpAddress of the launch
// template's network interface at device index 0) and, when it asks nothing,
// the subnet's public IPv4 addressing attribute (mapPublicIpOnLaunch).
// Source: EC2 User Guide, "Public IPv4 addresses" (an instance launched into
// a nondefault subnet gets a public IPv4 address only if the subnet's public
// IPv4 addressing attribute is enabled, unless the launch overrides it);
// EC2 API Reference, LaunchTemplateInstanceNetworkInterfaceSpecificationRequest,
// "AssociatePublicIpAddress" ("Associates a public IPv4 address with eth0 for
// a new network interface"); Auto Scaling API Reference,
// CreateLaunchConfiguration, "AssociatePublicIpAddress" (the default follows
// the subnet's option to assign a public IPv4 address).
func publicIPOnLaunch(ask resource.PropertyValue, sub *subnetFixture) bool {
	switch {
	case ask.IsBool():
		return ask.BoolValue()
	case ask.IsString() && ask.StringValue() != "":
		if b, err := strconv.ParseBool(ask.StringValue()); err == nil {
			return b
		}
	}
	return sub.MapPublicIPOnLaunch
}

// nextPublicIP hands out a public IPv4 address from EC2's pool, in the
// documentation range 192.0.2.0/24 (RFC 5737).
func (c *call) nextPublicIP() string {
	n := c.st.next("public-ip")
	return fmt.Sprintf("192.0.2.%d", (n-1)%254+1)
}
