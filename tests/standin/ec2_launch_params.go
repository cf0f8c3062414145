package standin

import "github.com/pulumi/pulumi/sdk/v3/go/common/resource"

// Checks of the launch parameters that instances and launch templates
// share: user data size, metadata options, volume types, image, instance
// type, key pair and instance profile.

// userDataLimit is EC2's limit on user data, before base64 encoding.
const userDataLimit = 16384

func checkMetadataOptions(f *failures, news resource.PropertyMap) {
	p := []string{"metadataOptions"}
	oneOf(f, news, "metadata_options.0.http_tokens", append(p, "httpTokens"), "optional", "required")
	oneOf(f, news, "metadata_options.0.http_endpoint", append(p, "httpEndpoint"), "enabled", "disabled")
	oneOf(f, news, "metadata_options.0.http_protocol_ipv6", append(p, "httpProtocolIpv6"), "enabled", "disabled")
	oneOf(f, news, "metadata_options.0.instance_metadata_tags", append(p, "instanceMetadataTags"), "enabled", "disabled")
	between(f, news, "metadata_options.0.http_put_response_hop_limit", append(p, "httpPutResponseHopLimit"), 1, 64)
}

var volumeTypes = []string{"standard", "gp2", "gp3", "io1", "io2", "sc1", "st1"}

// amiOK rejects a malformed image id, as RunInstances does.
func amiOK(doing, op, ami string) error {
	if !amiRE.MatchString(ami) {
		return awsErr(doing, op, 400, "InvalidAMIID.Malformed", "Invalid id: %q (expecting \"ami-...\")", ami)
	}
	return nil
}

func (c *call) instanceProfileOK(doing, op, nameOrARN string) error {
	if nameOrARN != "" && c.st.instanceProfile(nameOrARN) == nil {
		return awsErr(doing, op, 400, "InvalidParameterValue",
			"Value (%s) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name", nameOrARN)
	}
	return nil
}

func (c *call) keyPairOK(doing, op, name string) error {
	if name != "" && !c.s.keyPairExists(name) {
		return awsErr(doing, op, 400, "InvalidKeyPair.NotFound", "The key pair '%s' does not exist", name)
	}
	return nil
}

func (c *call) instanceTypeOK(doing, op, t string) error {
	if t != "" && c.s.fx.instanceType(t) == nil {
		return awsErr(doing, op, 400, "InvalidParameterValue", "Invalid value '%s' for InstanceType.", t)
	}
	return nil
}
