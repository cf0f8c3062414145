package standin

import (
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const tLifecycleHook = "aws:autoscaling/lifecycleHook:LifecycleHook"

func init() {
	register(lifecycleHookKind())
}

// hookNameMatch is the provider's check of a hook name. It is not anchored:
// a name passes when some part of it matches.
// Source: terraform-provider-aws internal/service/autoscaling/lifecycle_hook.go,
// resourceLifecycleHook schema, name: StringLenBetween(1, 255) and
// StringMatch(`[A-Za-z0-9\-_\/]+`, `no spaces or special characters except
// "-", "_", and "/"`).
// Assumption: PutLifecycleHook accepts what passes (its pattern, like every
// Smithy pattern, is not anchored either).
var hookNameMatch = regexp.MustCompile(`[A-Za-z0-9\-_\/]+`)

func lifecycleHookKind() *kind {
	validate := func(c *call, name string, ins resource.PropertyMap) error {
		// Source: resourceLifecycleHookPut (create and update are both
		// PutLifecycleHook: "putting Auto Scaling Lifecycle Hook (%s): %s").
		doing, op := "putting Auto Scaling Lifecycle Hook ("+name+")", "Auto Scaling: PutLifecycleHook"
		// Assumption: the refusal of a group that does not exist, and its text.
		group := str(ins, "autoscalingGroupName")
		if c.st.get(tGroup, group) == nil {
			return awsErr(doing, op, 400, "ValidationError", "Group %s not found", group)
		}
		target, roleARN := str(ins, "notificationTargetArn"), str(ins, "roleArn")
		if target == "" {
			return nil
		}
		// Source: Auto Scaling API Reference, PutLifecycleHook, "RoleARN"
		// (required for new lifecycle hooks with an Amazon SNS or Amazon SQS
		// target).
		// Assumption: the text.
		if roleARN == "" {
			return awsErr(doing, op, 400, "ValidationError", "RoleARN is required when NotificationTargetARN is specified.")
		}
		// Auto Scaling posts a test message to the target with the role; it
		// fails unless the role trusts Auto Scaling and may send to the queue.
		// Source: resourceLifecycleHookPut retries on "ValidationError: Unable
		// to publish test message to notification target" for 5 minutes, then
		// fails with it; Auto Scaling User Guide, "Configure a notification
		// target for lifecycle notifications" (the test notification, and
		// the role that lets Auto Scaling publish to the target).
		// Assumption: the rest of the message.
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
		// Source: lifecycle_hook.go, resourceLifecycleHookImport: the import
		// id is <group name>/<hook name>; the resource's id is the hook's
		// name, in that group.
		importID: func(c *call, id string) string {
			group, name, ok := strings.Cut(id, "/")
			if !ok {
				return id
			}
			if h := c.st.get(tLifecycleHook, name); h != nil && str(h.inputs, "autoscalingGroupName") == group {
				return name
			}
			return ""
		},
		// Source: resourceLifecycleHook schema: only name is ForceNew
		// (autoscaling_group_name is Required, not ForceNew).
		replaces: []string{"name"},
		// Source: resourceLifecycleHook schema validators.
		check: func(c *call, news resource.PropertyMap, f *failures) {
			required(f, news, "autoscalingGroupName", "lifecycleTransition", "name")
			checkName(f, news, "name", 1, 255, nil, "")
			if n := str(news, "name"); has(news, "name") && !isUnknown(news, "name") && n != "" && !hookNameMatch.MatchString(n) {
				f.add("name", "invalid value for name (no spaces or special characters except \"-\", \"_\", and \"/\")")
			}
			oneOf(f, news, "lifecycle_transition", []string{"lifecycleTransition"},
				"autoscaling:EC2_INSTANCE_LAUNCHING", "autoscaling:EC2_INSTANCE_TERMINATING")
			oneOf(f, news, "default_result", []string{"defaultResult"}, "CONTINUE", "ABANDON")
			between(f, news, "heartbeat_timeout", []string{"heartbeatTimeout"}, 30, 7200)
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			name := str(ins, "name")
			// Source: Auto Scaling API Reference, PutLifecycleHook:
			// DefaultResult "The default value is ABANDON"; HeartbeatTimeout
			// "The default value is 3600 seconds (1 hour)"; resourceLifecycleHookRead
			// reads both back.
			out := resource.PropertyMap{}
			if !has(ins, "defaultResult") {
				out["defaultResult"] = pv("ABANDON")
			}
			if !has(ins, "heartbeatTimeout") {
				out["heartbeatTimeout"] = pv(3600)
			}
			return name, out, validate(c, name, ins)
		},
		update: func(c *call, old *record, ins resource.PropertyMap) (resource.PropertyMap, error) {
			return nil, validate(c, old.id, ins)
		},
	}
}
