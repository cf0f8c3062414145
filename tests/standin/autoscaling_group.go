package standin

import (
	"crypto/sha256"
	"fmt"
	"strconv"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const tGroup = "aws:autoscaling/group:Group"

func init() {
	register(groupKind())
}

func groupKind() *kind {
	validate := func(c *call, doing, op string, ins resource.PropertyMap) (resource.PropertyMap, error) {
		fail := func(format string, args ...any) error {
			return awsErr(doing, op, 400, "ValidationError", format, args...)
		}
		minSize, _ := num(ins, "minSize")
		maxSize, _ := num(ins, "maxSize")
		desired, hasDesired := num(ins, "desiredCapacity")
		if minSize > maxSize {
			return nil, fail("Max bound, %v, must be greater than or equal to min bound, %v", maxSize, minSize)
		}
		if hasDesired && (desired < minSize || desired > maxSize) {
			return nil, fail("Desired capacity:%v must be between the specified min size:%v and max size:%v", desired, minSize, maxSize)
		}
		if lt := obj(ins, "launchTemplate"); lt != nil {
			ref := str(lt, "id")
			if ref == "" {
				ref = str(lt, "name")
			}
			tmpl := c.st.launchTemplate(ref)
			if tmpl == nil {
				return nil, fail("You must use a valid fully-formed launch template. The specified launch template, with template ID %s, does not exist.", ref)
			}
			if v := str(lt, "version"); v != "" && v != "$Latest" && v != "$Default" {
				latest, _ := num(tmpl.outputs, "latestVersion")
				if n, err := strconv.Atoi(v); err != nil || n < 1 || float64(n) > latest {
					return nil, fail("You must use a valid fully-formed launch template. The specified launch template version %s does not exist for launch template %s.", v, tmpl.id)
				}
			}
		} else if !has(ins, "launchConfiguration") && !has(ins, "mixedInstancesPolicy") {
			return nil, fail("Valid requests must contain either LaunchTemplate, LaunchConfiguration, InstanceId or MixedInstancesPolicy parameter.")
		}
		var azs []string
		for _, id := range strs(ins, "vpcZoneIdentifiers") {
			s := c.s.fx.subnet(id)
			if s == nil {
				return nil, fail("The subnet ID '%s' does not exist", id)
			}
			azs = append(azs, c.az(s))
		}
		if len(azs) == 0 {
			azs = strs(ins, "availabilityZones")
		}
		if len(azs) == 0 {
			return nil, fail("At least one Availability Zone or VPC Subnet is required.")
		}
		out := resource.PropertyMap{}
		if !has(ins, "availabilityZones") {
			out["availabilityZones"] = pv(azs)
		}
		if !hasDesired {
			out["desiredCapacity"] = pv(minSize)
		}
		return out, nil
	}
	return &kind{
		token: tGroup, what: "Auto Scaling Group", nameKey: "name",
		replaces: []string{"name", "namePrefix"},
		defaults: map[string]any{
			"forceDelete": false, "forceDeleteWarmPool": false, "waitForCapacityTimeout": "10m",
			"metricsGranularity": "1Minute", "protectFromScaleIn": false, "ignoreFailedScalingActivities": false,
		},
		computed: []string{"arn", "availabilityZones", "defaultCooldown", "healthCheckType", "healthCheckGracePeriod",
			"serviceLinkedRoleArn", "predictedCapacity", "warmPoolSize", "desiredCapacity", "desiredCapacityType",
			"loadBalancers", "targetGroupArns", "defaultInstanceWarmup"},
		check: func(c *call, news resource.PropertyMap, f *failures) {
			required(f, news, "maxSize", "minSize")
			checkName(f, news, "name", 1, 255, nil, "")
			n := 0
			for _, p := range []string{"launchConfiguration", "launchTemplate", "mixedInstancesPolicy"} {
				if has(news, p) {
					n++
				}
			}
			if n != 1 {
				f.add("launchTemplate", "exactly one of `launch_configuration,launch_template,mixed_instances_policy` must be specified")
			}
			oneOf(f, news, "health_check_type", []string{"healthCheckType"}, "EC2", "ELB", "VPC_LATTICE")
			oneOf(f, news, "instance_refresh.0.strategy", []string{"instanceRefresh", "strategy"}, "Rolling")
			between(f, news, "instance_refresh.0.preferences.0.min_healthy_percentage",
				[]string{"instanceRefresh", "preferences", "minHealthyPercentage"}, 0, 100)
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			name := str(ins, "name")
			doing, op := "creating Auto Scaling Group ("+name+")", "Auto Scaling: CreateAutoScalingGroup"
			if c.st.get(tGroup, name) != nil {
				return "", nil, awsErr(doing, op, 400, "AlreadyExists",
					"AutoScalingGroup by this name already exists - A group with the name %s already exists", name)
			}
			out, err := validate(c, doing, op, ins)
			if err != nil {
				return "", nil, err
			}
			sum := sha256.Sum256([]byte(c.cfg.region + "/" + name))
			uuid := fmt.Sprintf("%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16])
			for k, v := range map[string]any{
				"arn":                    c.cfg.regional("autoscaling", "autoScalingGroup:"+uuid+":autoScalingGroupName/"+name),
				"defaultCooldown":        300,
				"healthCheckType":        "EC2",
				"healthCheckGracePeriod": 300,
				"serviceLinkedRoleArn": c.cfg.arn("iam", "", Account,
					"role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"),
				"predictedCapacity": 0, "warmPoolSize": 0, "desiredCapacityType": "units",
				"loadBalancers": []string{}, "targetGroupArns": []string{}, "defaultInstanceWarmup": 0,
			} {
				if !has(ins, k) {
					out[resource.PropertyKey(k)] = pv(v)
				}
			}
			return name, out, nil
		},
		update: func(c *call, old *record, ins resource.PropertyMap) (resource.PropertyMap, error) {
			out, err := validate(c, "updating Auto Scaling Group ("+old.id+")", "Auto Scaling: UpdateAutoScalingGroup", ins)
			if err != nil {
				return nil, err
			}
			if has(ins, "instanceRefresh") && !equalValues(old.inputs["launchTemplate"], ins["launchTemplate"]) {
				c.after = append(c.after, Operation{Op: "instance-refresh", Type: tGroup, Name: c.name(), URN: c.urn, ID: old.id})
			}
			return out, nil
		},
		delete: func(c *call, r *record) error {
			// Its lifecycle hooks go with it.
			for _, h := range c.st.all(tLifecycleHook) {
				if str(h.outputs, "autoscalingGroupName") == r.id {
					c.st.remove(tLifecycleHook, h.id)
				}
			}
			return nil
		},
	}
}
