package standin

import (
	"encoding/base64"
	"strconv"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const tLaunchTemplate = "aws:ec2/launchTemplate:LaunchTemplate"

func init() {
	register(launchTemplateKind())
}

// notContent are the launch template properties whose change makes no new version.
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

func launchTemplateKind() *kind {
	validate := func(c *call, doing, op string, ins resource.PropertyMap) error {
		ud := str(ins, "userData")
		raw, err := base64.StdEncoding.DecodeString(ud)
		if err != nil {
			return awsErr(doing, op, 400, "InvalidUserData.Malformed", "Invalid BASE64 encoding of user data.")
		}
		if len(raw) > userDataLimit {
			return awsErr(doing, op, 400, "InvalidUserData.Malformed", "User data is limited to %d bytes", userDataLimit)
		}
		if ami := str(ins, "imageId"); ami != "" {
			if err := amiOK(doing, op, ami); err != nil {
				return err
			}
		}
		if err := c.instanceTypeOK(doing, op, str(ins, "instanceType")); err != nil {
			return err
		}
		if err := c.keyPairOK(doing, op, str(ins, "keyName")); err != nil {
			return err
		}
		if err := c.groups(doing, op, strs(ins, "vpcSecurityGroupIds"), "", ""); err != nil {
			return err
		}
		profile := str(ins, "iamInstanceProfile", "name")
		if profile == "" {
			profile = str(ins, "iamInstanceProfile", "arn")
		}
		if err := c.instanceProfileOK(doing, op, profile); err != nil {
			return err
		}
		if p := str(ins, "instanceMarketOptions", "spotOptions", "maxPrice"); p != "" {
			if f, err := strconv.ParseFloat(p, 64); err != nil || f <= 0 {
				return awsErr(doing, op, 400, "InvalidParameterValue", "Invalid max price: '%s'", p)
			}
		}
		return nil
	}
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
		replaces: []string{"name", "namePrefix"},
		computed: []string{"arn", "latestVersion", "defaultVersion"},
		tags:     true,
		check: func(c *call, news resource.PropertyMap, f *failures) {
			checkName(f, news, "name", 3, 128, ltNameRE,
				"must be between 3 and 128 characters: alphanumeric characters, parentheses, periods, hyphens, forward slashes and underscores")
			checkName(f, news, "description", 0, 255, nil, "")
			checkMetadataOptions(f, news)
			for _, bdm := range objs(news, "blockDeviceMappings") {
				oneOf(f, bdm, "block_device_mappings.0.ebs.0.volume_type", []string{"ebs", "volumeType"}, volumeTypes...)
				oneOf(f, bdm, "block_device_mappings.0.ebs.0.encrypted", []string{"ebs", "encrypted"}, "true", "false", "")
				oneOf(f, bdm, "block_device_mappings.0.ebs.0.delete_on_termination", []string{"ebs", "deleteOnTermination"}, "true", "false", "")
			}
			for _, ts := range objs(news, "tagSpecifications") {
				oneOf(f, ts, "tag_specifications.0.resource_type", []string{"resourceType"}, "capacity-reservation", "elastic-gpu",
					"elastic-inference", "instance", "network-interface", "spot-instances-request", "volume")
			}
			oneOf(f, news, "instance_market_options.0.market_type", []string{"instanceMarketOptions", "marketType"}, "spot", "capacity-block")
			checkTags(f, news)
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			name := str(ins, "name")
			doing, op := "creating EC2 Launch Template ("+name+")", "EC2: CreateLaunchTemplate"
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
			out["arn"] = pv(c.cfg.regional("ec2", "launch-template/"+id))
			return id, out, nil
		},
		update: func(c *call, old *record, ins resource.PropertyMap) (resource.PropertyMap, error) {
			if err := validate(c, "updating EC2 Launch Template ("+old.id+")", "EC2: CreateLaunchTemplateVersion", ins); err != nil {
				return nil, err
			}
			latest, _ := num(old.outputs, "latestVersion")
			if contentChanged(old.inputs, ins) {
				latest++
			}
			return versions(old, ins, latest), nil
		},
		previewUpdate: func(c *call, old *record, ins resource.PropertyMap) resource.PropertyMap {
			if !contentChanged(old.inputs, ins) {
				return nil
			}
			out := resource.PropertyMap{"latestVersion": unknown()}
			if boolv(ins, "updateDefaultVersion") {
				out["defaultVersion"] = unknown()
			}
			return out
		},
	}
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
