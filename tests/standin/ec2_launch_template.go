package standin

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const tLaunchTemplate = "aws:ec2/launchTemplate:LaunchTemplate"

func init() {
	register(launchTemplateKind())
}

// notContent are the launch template properties whose change makes no new
// version.
// Source: terraform-provider-aws internal/service/ec2/ec2_launch_template.go,
// resourceLaunchTemplateUpdate: CreateLaunchTemplateVersion only when one of
// updateKeys changed (the launch template data and description); name and
// name_prefix force a new template, tags are set on the template, and
// default_version/update_default_version only call ModifyLaunchTemplate.
var notContent = map[string]bool{
	"name": true, "namePrefix": true, "tags": true, "tagsAll": true, "defaultVersion": true,
	"updateDefaultVersion": true, defaultsKey: true,
}

func contentChanged(old, news resource.PropertyMap) bool {
	for _, k := range unionKeys(old, news) {
		if !notContent[k] && !equalValues(old[resource.PropertyKey(k)], news[resource.PropertyKey(k)]) {
			return true
		}
	}
	return false
}

// content is what one version of a launch template holds.
func content(ins resource.PropertyMap) resource.PropertyMap {
	out := resource.PropertyMap{}
	for k, v := range ins {
		if !notContent[string(k)] {
			out[k] = v
		}
	}
	return out
}

// changedExcept says whether any property outside skip changed, as the
// provider's CustomizeDiff reads GetChangedKeysPrefix("").
func changedExcept(old, news resource.PropertyMap, skip ...string) bool {
	for _, k := range unionKeys(old, news) {
		if k == defaultsKey || contains(skip, k) {
			continue
		}
		if !equalValues(old[resource.PropertyKey(k)], news[resource.PropertyKey(k)]) {
			return true
		}
	}
	return false
}

// checkLaunchTemplateName mirrors verify.ValidLaunchTemplateName, used for
// name and name_prefix of aws_launch_template and for the launch_template
// name of aws_autoscaling_group: at least 3 characters, at most 125 (99 for a
// prefix), and only alphanumerics and ()./_- .
// Source: terraform-provider-aws internal/verify/validate.go,
// ValidLaunchTemplateName (its messages, with %q of the attribute).
func checkLaunchTemplateName(f *failures, m resource.PropertyMap, label string, path []string) {
	if isUnknown(m, path...) || !has(m, path...) {
		return
	}
	v, prop := str(m, path...), strings.Join(path, ".")
	switch {
	case len(v) < 3:
		f.add(prop, "%q cannot be less than 3 characters", label)
	case strings.HasSuffix(label, "prefix") && len(v) > 99:
		f.add(prop, "%q cannot be longer than 99 characters, name is limited to 125", label)
	case !strings.HasSuffix(label, "prefix") && len(v) > 125:
		f.add(prop, "%q cannot be longer than 125 characters", label)
	// ltNameRE (names.go) is the same character class as the provider's
	// `^[0-9A-Za-z()./_\-]+$`.
	case !ltNameRE.MatchString(v):
		f.add(prop, "%q can only alphanumeric characters and ()./_- symbols", label)
	}
}

// tagSpecTypes are the resource types a launch template may tag.
// Source: EC2 API Reference, LaunchTemplateTagSpecificationRequest,
// "ResourceType" ("When you create a launch template, you can specify tags
// for the following resource types only: instance | volume |
// network-interface | spot-instances-request").
var tagSpecTypes = []string{"instance", "volume", "network-interface", "spot-instances-request"}

func launchTemplateKind() *kind {
	// validate is what CreateLaunchTemplate and CreateLaunchTemplateVersion
	// check. They check little: a key pair or an instance profile that does
	// not exist, or network interfaces together with instance-level security
	// groups, are accepted here and refused when instances launch (see
	// launchProblems in autoscaling_group.go).
	// Source: EC2 User Guide, "Launch template restrictions" ("Parameters
	// not validated – Launch template parameters are not fully
	// validated when you create the launch template ... no instances can
	// launch using this launch template"); terraform-provider-aws issue
	// #14440 (open: the provider does not refuse vpc_security_group_ids with
	// network_interfaces).
	validate := func(c *call, doing, op string, ins resource.PropertyMap) error {
		// Source: EC2 error InvalidUserData.Malformed "Invalid BASE64 encoding
		// of user data." from CreateLaunchTemplate (hashicorp/terraform issue
		// #18665, pulumi/pulumi-aws issue #2284, awslabs/ec2-spot-workshops
		// issue #15).
		ud := str(ins, "userData")
		raw, err := base64.StdEncoding.DecodeString(ud)
		if err != nil {
			return awsErr(doing, op, 400, "InvalidUserData.Malformed", "Invalid BASE64 encoding of user data.")
		}
		// Source: EC2 API Reference, RequestLaunchTemplateData, "UserData"
		// ("User data is limited to 16 KB").
		// Assumption: CreateLaunchTemplate refuses it, with this code and text.
		if len(raw) > userDataLimit {
			return awsErr(doing, op, 400, "InvalidUserData.Malformed", "User data is limited to %d bytes", userDataLimit)
		}
		for _, ts := range objs(ins, "tagSpecifications") {
			// Source: see tagSpecTypes.
			// Assumption: the code InvalidParameterValue and the text.
			if rt := str(ts, "resourceType"); rt != "" && !contains(tagSpecTypes, rt) {
				return awsErr(doing, op, 400, "InvalidParameterValue",
					"'%s' is not a valid taggable resource type for this operation.", rt)
			}
		}
		// Assumption: CreateLaunchTemplate checks the image id's form, the
		// instance type and that the security groups exist (no source read
		// says whether it does, or leaves them to the launch).
		if ami := str(ins, "imageId"); ami != "" {
			if err := amiOK(doing, op, ami); err != nil {
				return err
			}
		}
		if err := c.instanceTypeOK(doing, op, str(ins, "instanceType")); err != nil {
			return err
		}
		if err := c.groups(doing, op, strs(ins, "vpcSecurityGroupIds"), "", ""); err != nil {
			return err
		}
		for _, ni := range objs(ins, "networkInterfaces") {
			if err := c.groups(doing, op, strs(ni, "securityGroups"), "", ""); err != nil {
				return err
			}
		}
		// Assumption: a max price that is not a positive number is refused,
		// with this text.
		if p := str(ins, "instanceMarketOptions", "spotOptions", "maxPrice"); p != "" {
			if f, err := strconv.ParseFloat(p, 64); err != nil || f <= 0 {
				return awsErr(doing, op, 400, "InvalidParameterValue", "Invalid max price: '%s'", p)
			}
		}
		return nil
	}
	// versions are the version numbers after a create or an update.
	// Source: terraform-provider-aws ec2_launch_template.go,
	// resourceLaunchTemplateUpdate (ModifyLaunchTemplate sets the default to
	// the latest version with update_default_version, or to default_version
	// when that changed) and resourceLaunchTemplateRead (default_version and
	// latest_version from DescribeLaunchTemplates); EC2 User Guide,
	// "Launching an instance from a launch template" (the default version
	// is "by default, ... the first version of the launch template").
	versions := func(old *record, ins resource.PropertyMap, latest float64) resource.PropertyMap {
		out := resource.PropertyMap{"latestVersion": pv(latest)}
		switch {
		case boolv(ins, "updateDefaultVersion"):
			out["defaultVersion"] = pv(latest)
		case has(ins, "defaultVersion"):
			out["defaultVersion"] = ins["defaultVersion"]
		case old != nil:
			out["defaultVersion"] = old.outputs["defaultVersion"]
		default:
			out["defaultVersion"] = pv(1)
		}
		return out
	}
	return &kind{
		token: tLaunchTemplate, what: "EC2 Launch Template", nameKey: "name",
		// Source: ResourceLaunchTemplate schema: name and name_prefix are
		// the only ForceNew attributes; everything else makes a new version.
		replaces: []string{"name", "namePrefix"},
		// Source: ResourceLaunchTemplate schema: arn and latest_version are
		// Computed, default_version Optional+Computed.
		computed: []string{"arn", "latestVersion", "defaultVersion"},
		tags:     true,
		// Source: ResourceLaunchTemplate schema validators, unless noted.
		check: func(c *call, news resource.PropertyMap, f *failures) {
			checkLaunchTemplateName(f, news, "name", []string{"name"})
			checkLaunchTemplateName(f, news, "name_prefix", []string{"namePrefix"})
			checkName(f, news, "description", 0, 255, nil, "")
			checkMetadataOptions(f, news)
			// "default_version": IntAtLeast(1), ConflictsWith
			// update_default_version; "vpc_security_group_ids" ConflictsWith
			// "security_group_names" (the SDK's "%q: conflicts with %s").
			if n, ok := num(news, "defaultVersion"); ok && n < 1 {
				f.add("defaultVersion", "expected default_version to be at least (1), got %v", n)
			}
			if has(news, "defaultVersion") && has(news, "updateDefaultVersion") {
				f.add("defaultVersion", "\"default_version\": conflicts with update_default_version")
			}
			if len(strs(news, "vpcSecurityGroupIds")) > 0 && len(strs(news, "securityGroupNames")) > 0 {
				f.add("vpcSecurityGroupIds", "\"vpc_security_group_ids\": conflicts with security_group_names")
			}
			for _, bdm := range objs(news, "blockDeviceMappings") {
				oneOf(f, bdm, "block_device_mappings.0.ebs.0.volume_type", []string{"ebs", "volumeType"}, volumeTypes...)
				checkNullableBool(f, bdm, "block_device_mappings.0.ebs.0.encrypted", []string{"ebs", "encrypted"})
				checkNullableBool(f, bdm, "block_device_mappings.0.ebs.0.delete_on_termination", []string{"ebs", "deleteOnTermination"})
				between(f, bdm, "block_device_mappings.0.ebs.0.throughput", []string{"ebs", "throughput"}, 125, 1000)
			}
			checkNullableBool(f, news, "ebs_optimized", []string{"ebsOptimized"})
			for _, ni := range objs(news, "networkInterfaces") {
				for _, p := range []string{"associatePublicIpAddress", "associateCarrierIpAddress", "deleteOnTermination", "primaryIpv6"} {
					checkNullableBool(f, ni, "network_interfaces.0."+snake(p), []string{p})
				}
				oneOf(f, ni, "network_interfaces.0.interface_type", []string{"interfaceType"}, "efa", "interface")
			}
			// Assumption: the MarketType enum as pulumi-aws v6 knows it
			// (spot, capacity-block); the schema validates
			// enum.Validate[awstypes.MarketType]. The tag_specifications
			// resource_type enum (every EC2 resource type) is not modelled
			// here; CreateLaunchTemplate's narrower rule is (validate).
			oneOf(f, news, "instance_market_options.0.market_type", []string{"instanceMarketOptions", "marketType"}, "spot", "capacity-block")
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			name := str(ins, "name")
			// Source: resourceLaunchTemplateCreate ("creating EC2 Launch
			// Template (%s): %s", with the name).
			doing, op := "creating EC2 Launch Template ("+name+")", "EC2: CreateLaunchTemplate"
			// Source: EC2 error InvalidLaunchTemplateName.AlreadyExistsException
			// "Launch template name already in use." (getmoto/moto PR #5726,
			// hashicorp/packer issue #7817).
			for _, lt := range c.st.all(tLaunchTemplate) {
				if str(lt.outputs, "name") == name {
					return "", nil, awsErr(doing, op, 400, "InvalidLaunchTemplateName.AlreadyExistsException",
						"Launch template name already in use.")
				}
			}
			if err := validate(c, doing, op, ins); err != nil {
				return "", nil, err
			}
			id := c.st.hexID("lt", 17)
			out := versions(nil, ins, 1)
			// Source: resourceLaunchTemplateRead (arn "launch-template/<id>").
			out["arn"] = pv(c.cfg.regional("ec2", "launch-template/"+id))
			side(c.st).ltVersions[id] = []resource.PropertyMap{content(ins)}
			return id, out, nil
		},
		update: func(c *call, old *record, ins resource.PropertyMap) (resource.PropertyMap, error) {
			latest, _ := num(old.outputs, "latestVersion")
			if contentChanged(old.inputs, ins) {
				// Source: resourceLaunchTemplateUpdate ("creating EC2 Launch
				// Template (%s) Version: %s", with the id).
				if err := validate(c, "creating EC2 Launch Template ("+old.id+") Version", "EC2: CreateLaunchTemplateVersion", ins); err != nil {
					return nil, err
				}
				latest++
				v := side(c.st)
				v.ltVersions[old.id] = append(v.ltVersions[old.id], content(ins))
			}
			return versions(old, ins, latest), nil
		},
		// Source: ResourceLaunchTemplate CustomizeDiff: latest_version is
		// unknown when anything but name, name_prefix, description,
		// default_version and update_default_version changed (tags too,
		// though they make no version); default_version when, besides name,
		// name_prefix and description, anything changed and
		// update_default_version is set.
		previewUpdate: func(c *call, old *record, ins resource.PropertyMap) resource.PropertyMap {
			out := resource.PropertyMap{}
			if changedExcept(old.inputs, ins, "name", "namePrefix", "description", "defaultVersion", "updateDefaultVersion") {
				out["latestVersion"] = unknown()
			}
			if boolv(ins, "updateDefaultVersion") && changedExcept(old.inputs, ins, "name", "namePrefix", "description") {
				out["defaultVersion"] = unknown()
			}
			return out
		},
	}
}

// snake turns a Pulumi property name into the provider's attribute name,
// for messages.
func snake(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'A' && r <= 'Z' {
			b.WriteByte('_')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// launchTemplate finds a live launch template by id or name.
func (st *state) launchTemplate(idOrName string) *record {
	for _, lt := range st.all(tLaunchTemplate) {
		if lt.id == idOrName || str(lt.outputs, "name") == idOrName {
			return lt
		}
	}
	return nil
}

// launchTemplateVersion resolves a version of a launch template, as Auto
// Scaling does when it launches: "$Latest", "$Default" (or none), or a
// number. It returns the version number and what that version holds, or 0
// when it does not exist.
// Source: Auto Scaling API Reference, LaunchTemplateSpecification, "Version"
// ("$Latest", "$Default"; "If the value is not specified, Amazon EC2 Auto
// Scaling selects the default version of the launch template").
func (st *state) launchTemplateVersion(lt *record, version string) (int, resource.PropertyMap) {
	latest, _ := num(lt.outputs, "latestVersion")
	def, _ := num(lt.outputs, "defaultVersion")
	n := 0
	switch version {
	case "$Latest":
		n = int(latest)
	case "$Default", "":
		n = int(def)
	default:
		var err error
		if n, err = strconv.Atoi(version); err != nil {
			return 0, nil
		}
	}
	if n < 1 || n > int(latest) {
		return 0, nil
	}
	vs := side(st).ltVersions[lt.id]
	if n > len(vs) {
		return n, content(lt.inputs) // made before its history was kept
	}
	return n, vs[n-1]
}
