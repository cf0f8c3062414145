package standin

import "github.com/pulumi/pulumi/sdk/v3/go/common/resource"

const tLifecycleHook = "aws:autoscaling/lifecycleHook:LifecycleHook"

func init() {
	register(lifecycleHookKind())
}

func lifecycleHookKind() *kind {
	validate := func(c *call, doing string, ins resource.PropertyMap) error {
		const op = "Auto Scaling: PutLifecycleHook"
		group := str(ins, "autoscalingGroupName")
		if c.st.get(tGroup, group) == nil {
			return awsErr(doing, op, 400, "ValidationError", "Group %s not found", group)
		}
		target, roleARN := str(ins, "notificationTargetArn"), str(ins, "roleArn")
		if target == "" {
			return nil
		}
		if roleARN == "" {
			return awsErr(doing, op, 400, "ValidationError", "RoleARN is required when NotificationTargetARN is specified.")
		}
		// Auto Scaling posts a test message to the target with the role.
		role := c.st.roleByARN(roleARN)
		if c.st.queueByARN(target) == nil || role == nil || !trusts(role, "autoscaling.amazonaws.com") ||
			!c.st.allows(role, "sqs:SendMessage", target) {
			return awsErr(doing, op, 400, "ValidationError",
				"Unable to publish test message to notification target %s using IAM role %s. "+
					"Please check your target and role configuration and try to put lifecycle hook again.", target, roleARN)
		}
		return nil
	}
	return &kind{
		token: tLifecycleHook, what: "Auto Scaling Lifecycle Hook",
		replaces: []string{"name", "autoscalingGroupName"},
		check: func(c *call, news resource.PropertyMap, f *failures) {
			required(f, news, "autoscalingGroupName", "lifecycleTransition", "name")
			checkName(f, news, "name", 1, 255, hookNameRE, "must only contain alphanumeric characters, hyphens, underscores and forward slashes")
			oneOf(f, news, "lifecycle_transition", []string{"lifecycleTransition"},
				"autoscaling:EC2_INSTANCE_LAUNCHING", "autoscaling:EC2_INSTANCE_TERMINATING")
			oneOf(f, news, "default_result", []string{"defaultResult"}, "CONTINUE", "ABANDON")
			between(f, news, "heartbeat_timeout", []string{"heartbeatTimeout"}, 30, 7200)
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			name := str(ins, "name")
			out := resource.PropertyMap{}
			if !has(ins, "defaultResult") {
				out["defaultResult"] = pv("ABANDON")
			}
			if !has(ins, "heartbeatTimeout") {
				out["heartbeatTimeout"] = pv(3600)
			}
			return name, out, validate(c, "creating Auto Scaling Lifecycle Hook ("+name+")", ins)
		},
		update: func(c *call, old *record, ins resource.PropertyMap) (resource.PropertyMap, error) {
			return nil, validate(c, "updating Auto Scaling Lifecycle Hook ("+old.id+")", ins)
		},
	}
}
