package standin

import (
	"crypto/sha256"
	"fmt"
	"regexp"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// The launch configuration kind. pulumi-aws files the type under ec2
// (aws:ec2/launchConfiguration), but the provider's resource, and the API,
// are Auto Scaling's, so the file is named for the service: it mirrors
// terraform-provider-aws internal/service/autoscaling/launch_configuration.go
// (ResourceLaunchConfiguration, the v5 line that pulumi-aws v6 bridges) and
// Auto Scaling's CreateLaunchConfiguration and DeleteLaunchConfiguration.
// Installations made by CircleCI's Terraform installer have two; Seed puts
// them in place, and this kind reads, refuses and deletes them as AWS does.

const tLaunchConfiguration = "aws:ec2/launchConfiguration:LaunchConfiguration"

func init() {
	register(launchConfigurationKind())
}

// launchConfigurationCutoff is the creation date from which an account may
// not create launch configurations at all.
// Source: Amazon EC2 Auto Scaling User Guide, "Auto Scaling launch
// configurations" (Limitations: "Accounts created on or after October 1,
// 2024 cannot create new launch configurations using any method (console,
// API, AWS CLI, or CloudFormation)"; accounts created on or after June 1,
// 2023 only lost the console, which the provider does not use).
var launchConfigurationCutoff = time.Date(2024, time.October, 1, 0, 0, 0, 0, time.UTC)

// SetAccountCreated says when the stand-in account was created, until Reset.
// The zero time (the default) is an account older than every cut-off, as the
// accounts of installations made by CircleCI's Terraform installer are: they
// may still create launch configurations. From October 1, 2024 on,
// CreateLaunchConfiguration is refused (see launchConfigurationCutoff).
func (s *Server) SetAccountCreated(t time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	seedSideOf(s.st).accountCreated = t
}

// lcSuffixRE is the unique suffix the provider appends to a name prefix.
// Source: terraform-provider-aws internal/create/naming.go,
// hasResourceUniqueIDPlusAdditionalSuffix (`[[:xdigit:]]{26}$`, 26 being
// id.UniqueIDSuffixLength).
var lcSuffixRE = regexp.MustCompile(`[[:xdigit:]]{26}$`)

// namePrefixFromName is what Read sets name_prefix to.
// Source: internal/create/naming.go, NamePrefixFromName (the name less its
// 26-digit suffix when it has one and something precedes it, else nil);
// resourceLaunchConfigurationRead (d.Set("name_prefix",
// create.NamePrefixFromName(...))).
func namePrefixFromName(name string) string {
	if !lcSuffixRE.MatchString(name) || len(name) <= 26 {
		return ""
	}
	return name[:len(name)-26]
}

// launchConfigurationARN is the launch configuration's ARN.
// Source: Service Authorization Reference, "Actions, resources, and
// condition keys for Amazon EC2 Auto Scaling", resource type
// launchConfiguration
// (arn:${Partition}:autoscaling:${Region}:${Account}:launchConfiguration:${LaunchConfigurationId}:launchConfigurationName/${LaunchConfigurationName}).
// Assumption: the id is a UUID derived from the region and name.
func launchConfigurationARN(c *call, name string) string {
	sum := sha256.Sum256([]byte("lc/" + c.cfg.region + "/" + name))
	uuid := fmt.Sprintf("%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16])
	return c.cfg.regional("autoscaling", "launchConfiguration:"+uuid+":launchConfigurationName/"+name)
}

// groupUsing names a live auto scaling group whose launch configuration is
// name, or "".
func (st *state) groupUsing(name string) string {
	for _, g := range st.all(tGroup) {
		if str(g.outputs, "launchConfiguration") == name {
			return g.id
		}
	}
	return ""
}

func launchConfigurationKind() *kind {
	const op = "Auto Scaling: CreateLaunchConfiguration"
	return &kind{
		token: tLaunchConfiguration, what: "Auto Scaling Launch Configuration", nameKey: "name",
		// Source: ResourceLaunchConfiguration schema: the resource has no
		// Update, and every argument is ForceNew (root_block_device's every
		// attribute, ebs_block_device and ephemeral_block_device with theirs).
		replaces: []string{
			"associatePublicIpAddress", "ebsBlockDevices", "ebsOptimized", "enableMonitoring", "ephemeralBlockDevices",
			"iamInstanceProfile", "imageId", "instanceType", "keyName", "metadataOptions", "name", "namePrefix",
			"placementTenancy", "rootBlockDevice", "securityGroups", "spotPrice", "userData", "userDataBase64",
		},
		// Source: ResourceLaunchConfiguration schema, enable_monitoring
		// (Default true).
		defaults: map[string]any{"enableMonitoring": true},
		// Source: ResourceLaunchConfiguration schema (Computed, or
		// Optional+Computed).
		computed: []string{"arn", "associatePublicIpAddress", "ebsBlockDevices", "ebsOptimized", "keyName",
			"metadataOptions", "namePrefix", "rootBlockDevice"},
		// Source: ResourceLaunchConfiguration schema validators, and the
		// SDK's messages (terraform-plugin-sdk helper/validation,
		// StringLenBetween; helper/schema, validateConflictingAttributes).
		check: func(c *call, news resource.PropertyMap, f *failures) {
			required(f, news, "imageId", "instanceType")
			checkName(f, news, "name", 1, 255, nil, "")
			checkName(f, news, "namePrefix", 1, 255-26, nil, "")
			if has(news, "userData") && has(news, "userDataBase64") {
				f.add("userDataBase64", "\"user_data_base64\": conflicts with user_data")
			}
			checkName(f, news, "userData", 1, userDataLimit, nil, "")
			// Source: user_data_base64's ValidateFunc
			// (verify.IsBase64Encoded; "%s: must be base64-encoded").
			if v := str(news, "userDataBase64"); has(news, "userDataBase64") && !isUnknown(news, "userDataBase64") && !isBase64(v) {
				f.add("userDataBase64", "user_data_base64: must be base64-encoded")
			}
			oneOf(f, news, "metadata_options.0.http_endpoint", []string{"metadataOptions", "httpEndpoint"}, "enabled", "disabled")
			oneOf(f, news, "metadata_options.0.http_tokens", []string{"metadataOptions", "httpTokens"}, "optional", "required")
			between(f, news, "metadata_options.0.http_put_response_hop_limit",
				[]string{"metadataOptions", "httpPutResponseHopLimit"}, 1, 64)
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			name := str(ins, "name")
			// Source: resourceLaunchConfigurationCreate ("creating Auto
			// Scaling Launch Configuration (%s): %s"; d.SetId(lcName)).
			doing := "creating Auto Scaling Launch Configuration (" + name + ")"
			// Source: see launchConfigurationCutoff; the refusal as the
			// provider reports it ("creating Auto Scaling Launch Configuration
			// (...): operation error Auto Scaling: CreateLaunchConfiguration,
			// https response error StatusCode: 400, ..., api error
			// UnsupportedOperation: The Launch Configuration creation
			// operation is not available in your account. Use launch templates
			// to create configuration templates for your Auto Scaling
			// groups.", quoted in a Terraform user's log; the same message in
			// CloudFormation reports, e.g. neo4j-partners/neo4j-aws-cloudformation
			// issue #122).
			if created := seedSideOf(c.st).accountCreated; !created.IsZero() && !created.Before(launchConfigurationCutoff) {
				return "", nil, awsErr(doing, op, 400, "UnsupportedOperation",
					"The Launch Configuration creation operation is not available in your account. "+
						"Use launch templates to create configuration templates for your Auto Scaling groups.")
			}
			// Source: Auto Scaling API Reference, CreateLaunchConfiguration,
			// Errors (AlreadyExists, 400: "You already have an Auto Scaling
			// group or launch configuration with the name that you specified
			// in your request").
			// Assumption: the text.
			if c.st.get(tLaunchConfiguration, name) != nil {
				return "", nil, awsErr(doing, op, 400, "AlreadyExists",
					"Launch Configuration by this name already exists - A launch configuration already exists with the name %s", name)
			}
			if err := amiOK(doing, op, str(ins, "imageId")); err != nil {
				return "", nil, err
			}
			if err := c.instanceTypeOK(doing, op, str(ins, "instanceType")); err != nil {
				return "", nil, err
			}
			if err := c.keyPairOK(doing, op, str(ins, "keyName")); err != nil {
				return "", nil, err
			}
			// Source: resourceLaunchConfigurationCreate retries
			// "ValidationError: Invalid IamInstanceProfile" for the
			// propagation timeout, then fails with it.
			// Assumption: the rest of the text.
			if p := str(ins, "iamInstanceProfile"); p != "" && c.st.instanceProfile(p) == nil {
				return "", nil, awsErr(doing, op, 400, "ValidationError", "Invalid IamInstanceProfile: %s", p)
			}
			// Assumption: a group that does not exist is refused with this
			// code and text.
			for _, sg := range strs(ins, "securityGroups") {
				if c.st.get(tSecurityGroup, sg) == nil {
					return "", nil, awsErr(doing, op, 400, "ValidationError", "The security group '%s' does not exist", sg)
				}
			}
			return name, launchConfigurationOutputs(c, name, ins), nil
		},
		// Source: resourceLaunchConfigurationDelete: DeleteLaunchConfiguration,
		// retried on ResourceInUse for the propagation timeout, then
		// "deleting Auto Scaling Launch Configuration (%s): %s"; Auto Scaling
		// API Reference, DeleteLaunchConfiguration ("The launch configuration
		// must not be attached to an Auto Scaling group"; ResourceInUse, 400);
		// EC2's text as reported in terraform-aws-modules/terraform-aws-autoscaling
		// issue #8 and studioml/studio issue #258 ("ResourceInUse: Cannot
		// delete launch configuration <name> because it is attached to
		// AutoScalingGroup").
		// Assumption: instances still running from it (a group moved to a
		// launch template keeps them until they are replaced) do not hold it.
		delete: func(c *call, r *record) error {
			if g := c.st.groupUsing(r.id); g != "" {
				return awsErr("deleting Auto Scaling Launch Configuration ("+r.id+")", "Auto Scaling: DeleteLaunchConfiguration",
					400, "ResourceInUse", "Cannot delete launch configuration %s because it is attached to AutoScalingGroup", r.id)
			}
			return nil
		},
	}
}

// launchConfigurationOutputs are the computed values Read finds for a
// launch configuration made from ins.
// Source: resourceLaunchConfigurationRead (arn; associate_public_ip_address
// and ebs_optimized from DescribeLaunchConfigurations, false when unset;
// key_name; name_prefix from NamePrefixFromName; security_groups).
// Assumption: metadata_options and the block devices stay as given (Read
// sets what the launch configuration holds, and AWS adds none of its own).
func launchConfigurationOutputs(c *call, name string, ins resource.PropertyMap) resource.PropertyMap {
	out := resource.PropertyMap{"arn": pv(launchConfigurationARN(c, name))}
	for k, v := range map[string]any{"associatePublicIpAddress": false, "ebsOptimized": false, "keyName": "",
		"securityGroups": []string{}, "namePrefix": namePrefixFromName(name)} {
		if !has(ins, k) {
			out[resource.PropertyKey(k)] = pv(v)
		}
	}
	// Source: ResourceLaunchConfiguration schema, root_block_device
	// delete_on_termination (Default true).
	if rbd := obj(ins, "rootBlockDevice"); rbd != nil && !has(rbd, "deleteOnTermination") {
		full := rbd.Copy()
		full["deleteOnTermination"] = pv(true)
		out["rootBlockDevice"] = resource.NewObjectProperty(full)
	}
	return out
}

// launchConfigurationProblem is Auto Scaling's refusal of a group whose
// launch configuration does not exist, for the group's create and update.
// Assumption: the code ValidationError and the text "Launch configuration
// name not found - Launch configuration <name> not found".
func (c *call) launchConfigurationProblem(doing, op string, ins resource.PropertyMap) error {
	name := str(ins, "launchConfiguration")
	if name == "" || c.st.get(tLaunchConfiguration, name) != nil {
		return nil
	}
	return awsErr(doing, op, 400, "ValidationError", "Launch configuration name not found - Launch configuration %s not found", name)
}
