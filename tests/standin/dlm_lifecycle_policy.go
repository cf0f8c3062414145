package standin

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const tLifecyclePolicy = "aws:dlm/lifecyclePolicy:LifecyclePolicy"

func init() {
	register(lifecyclePolicyKind())
}

// dlmPrincipal is the service principal Data Lifecycle Manager assumes its
// execution role as. It is the same in every partition.
// Source: Amazon EC2 User Guide, "IAM service roles" for Amazon Data
// Lifecycle Manager, in the commercial edition and in the China Regions'
// edition on docs.amazonaws.cn (AWSDataLifecycleManagerDefaultRole "trusts
// only the dlm.amazonaws.com service to assume the role"; the role must
// list Amazon Data Lifecycle Manager as a trusted entity);
// terraform-provider-aws internal/service/meta/service_principal_data_source.go,
// servicePrincipalNameForPartition (in aws-cn only codedeploy,
// elasticmapreduce and logs end in amazonaws.com.cn; aws-us-gov has no
// exception).
// Assumption: no GovCloud page says so in its own words; GovCloud is taken
// to use dlm.amazonaws.com as the provider's function does.
const dlmPrincipal = "dlm.amazonaws.com"

var (
	// Source: terraform-provider-aws internal/service/dlm/lifecycle_policy.go,
	// resourceLifecyclePolicy schema (the v5 line pulumi-aws v6 bridges):
	// description and action.name StringMatch `^[0-9A-Za-z _-]+$`,
	// create_rule.times `^(0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]$`,
	// create_rule.cron_expression `^cron\([^\n]{11,100}\)$`, the copy
	// rules' target `^[\w:\-\/\*]+$`.
	dlmTextRE   = regexp.MustCompile(`^[0-9A-Za-z _-]+$`)
	dlmTimesRE  = regexp.MustCompile(`^(0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]$`)
	dlmCronRE   = regexp.MustCompile(`^cron\([^\n]{11,100}\)$`)
	dlmTargetRE = regexp.MustCompile(`^[\w:\-\/\*]+$`)

	// Source: terraform-provider-aws internal/verify/validate.go,
	// ValidARNCheck (newest stored version): the partition, region and
	// account patterns.
	arnPartitionRE = regexp.MustCompile(`^aws(-[a-z]+)*$`)
	arnRegionRE    = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d{1,2}$`)
	arnAccountRE   = regexp.MustCompile(`^(aws|aws-managed|third-party|aws-marketplace|\d{12}|cw.{10})$`)
)

// The schema's enumerations: enum.Validate of the aws-sdk-go-v2 dlm types.
// Source: resourceLifecyclePolicy schema; DLM API Reference, PolicyDetails,
// CreateRule, RetainRule, EventSource, EventParameters (valid values).
// Assumption: the LOCAL_ZONE location values of newer SDKs are not
// accepted (pulumi-aws v6.83.4's documentation lists CLOUD and OUTPOST,
// CLOUD and OUTPOST_LOCAL).
var (
	dlmStates            = []string{"ENABLED", "DISABLED"}
	dlmPolicyTypes       = []string{"EBS_SNAPSHOT_MANAGEMENT", "IMAGE_MANAGEMENT", "EVENT_BASED_POLICY"}
	dlmResourceTypes     = []string{"VOLUME", "INSTANCE"}
	dlmResourceLocations = []string{"CLOUD", "OUTPOST"}
	dlmIntervalUnits     = []string{"HOURS"}
	dlmLocations         = []string{"CLOUD", "OUTPOST_LOCAL"}
	dlmRetentionUnits    = []string{"DAYS", "WEEKS", "MONTHS", "YEARS"}
	dlmEventSources      = []string{"MANAGED_CWE"}
	dlmEventTypes        = []string{"shareSnapshot"}
	// Source: resourceLifecyclePolicy schema, create_rule.interval
	// IntInSlice([]int{1, 2, 3, 4, 6, 8, 12, 24}).
	dlmIntervals = []int{1, 2, 3, 4, 6, 8, 12, 24}
)

func lifecyclePolicyKind() *kind {
	return &kind{
		token: tLifecyclePolicy, what: "DLM Lifecycle Policy",
		// Source: resourceLifecyclePolicy schema: state Default
		// SettablePolicyStateValuesEnabled. (policy_details.policy_type
		// defaults to EBS_SNAPSHOT_MANAGEMENT; the stand-in reads an absent
		// one as that, see dlmPolicyType.)
		defaults: map[string]any{"state": "ENABLED"},
		// Source: resourceLifecyclePolicy schema: arn is Computed (set by
		// resourceLifecyclePolicyRead from PolicyArn).
		computed: []string{"arn"},
		tags:     true,
		// Source: resourceLifecyclePolicy schema: the only ForceNew
		// attribute is schedule.copy_tags (Optional, Computed). No top-level
		// attribute replaces the policy.
		replaceOnChange: dlmCopyTagsReplace,
		check:           checkLifecyclePolicy,
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			// Source: resourceLifecyclePolicyCreate ("creating DLM Lifecycle
			// Policy: %s"; CreateLifecyclePolicy retried for 2 minutes on
			// InvalidRequestException, which then is the error).
			doing, op := "creating DLM Lifecycle Policy", "DLM: CreateLifecyclePolicy"
			if err := c.dlmRoleOK(doing, op, str(ins, "executionRoleArn")); err != nil {
				return "", nil, err
			}
			if err := dlmDetailsOK(doing, op, obj(ins, "policyDetails")); err != nil {
				return "", nil, err
			}
			// Source: resourceLifecyclePolicyCreate (d.SetId(PolicyId)); DLM
			// API Reference, LifecyclePolicy: PolicyId `policy-[a-f0-9]+`,
			// PolicyArn `^arn:aws(-[a-z]{1,3}){0,2}:dlm:[A-Za-z0-9_/.-]{0,63}:\d+:policy/[0-9A-Za-z_-]{1,128}$`.
			// Assumption: 17 hex digits, like other AWS ids.
			id := c.st.hexID("policy", 17)
			return id, resource.PropertyMap{"arn": pv(c.cfg.regional("dlm", "policy/"+id))}, nil
		},
		update: func(c *call, old *record, ins resource.PropertyMap) (resource.PropertyMap, error) {
			// Source: resourceLifecyclePolicyUpdate ("updating DLM Lifecycle
			// Policy (%s): %s"; UpdateLifecyclePolicy with the changed
			// description, execution_role_arn, state and policy_details; tags
			// through the tags interceptor).
			doing, op := "updating DLM Lifecycle Policy ("+old.id+")", "DLM: UpdateLifecyclePolicy"
			if role := str(ins, "executionRoleArn"); role != str(old.inputs, "executionRoleArn") {
				// Assumption: UpdateLifecyclePolicy checks a new role as
				// CreateLifecyclePolicy does.
				if err := c.dlmRoleOK(doing, op, role); err != nil {
					return nil, err
				}
			}
			od, nd := obj(old.inputs, "policyDetails"), obj(ins, "policyDetails")
			if equalValues(pv(od), pv(nd)) {
				return nil, nil
			}
			// Source: DLM API Reference, UpdateLifecyclePolicy, PolicyDetails
			// ("You cannot update the policy type or the resource type").
			// The provider does not make either ForceNew, so the change
			// fails at update.
			// Assumption: the InvalidRequestException texts.
			if dlmPolicyType(od) != dlmPolicyType(nd) {
				return nil, awsErr(doing, op, 400, "InvalidRequestException", "The policy type of a lifecycle policy cannot be updated.")
			}
			if !equalValues(pv(strs(od, "resourceTypes")), pv(strs(nd, "resourceTypes"))) {
				return nil, awsErr(doing, op, 400, "InvalidRequestException", "The resource type of a lifecycle policy cannot be updated.")
			}
			return nil, dlmDetailsOK(doing, op, nd)
		},
		// Source: resourceLifecyclePolicyDelete (DeleteLifecyclePolicy;
		// ResourceNotFoundException is success). Deleting a policy deletes
		// nothing else: DLM API Reference, DeleteLifecyclePolicy ("halts the
		// automated operations"); its snapshots are not modelled.
	}
}

// dlmPolicyType is a policy's type, with the schema's default.
// Source: resourceLifecyclePolicy schema, policy_details.policy_type
// (Default EBS_SNAPSHOT_MANAGEMENT).
func dlmPolicyType(pd resource.PropertyMap) string {
	if t := str(pd, "policyType"); t != "" {
		return t
	}
	return "EBS_SNAPSHOT_MANAGEMENT"
}

// dlmCopyTagsReplace replaces the policy when a schedule's copy_tags is
// set to a value other than the one it had (a new schedule's included).
// Source: resourceLifecyclePolicy schema, schedule.copy_tags (Optional,
// Computed, ForceNew); terraform-plugin-sdk helper/schema, diffString (an
// Optional+Computed attribute left out keeps its old value and shows no
// diff; a set one that differs, RequiresNew).
// Assumption: the old value of a copy_tags that was left out is false, as
// resourceLifecyclePolicyRead (flattenSchedules, aws.ToBool) reads it.
func dlmCopyTagsReplace(olds, news resource.PropertyMap) []string {
	oldScheds := objs(olds, "policyDetails", "schedules")
	for i, s := range objs(news, "policyDetails", "schedules") {
		if !has(s, "copyTags") || isUnknown(s, "copyTags") {
			continue
		}
		if i >= len(oldScheds) || boolv(oldScheds[i], "copyTags") != boolv(s, "copyTags") {
			return []string{"policyDetails"}
		}
	}
	return nil
}

// dlmBlock is one block of the inputs: its Pulumi property path, for the
// failure's property, and its provider attribute path, for the message.
type dlmBlock struct {
	m        resource.PropertyMap
	prop, tf string // "policyDetails.schedules[0]", "policy_details.0.schedule.0"
}

func (b dlmBlock) paths(key, tfKey string) (string, string) {
	if b.prop == "" {
		return key, tfKey
	}
	return b.prop + "." + key, b.tf + "." + tfKey
}

// one is a MaxItems 1 block, which pulumi-aws projects as an object.
func (b dlmBlock) one(key, tfKey string) (dlmBlock, bool) {
	l := objs(b.m, key)
	if len(l) == 0 {
		return dlmBlock{}, false
	}
	p, t := b.paths(key, tfKey)
	return dlmBlock{m: l[0], prop: p, tf: t + ".0"}, true
}

// list is a list block.
func (b dlmBlock) list(key, tfKey string) []dlmBlock {
	p, t := b.paths(key, tfKey)
	var out []dlmBlock
	for i, m := range objs(b.m, key) {
		out = append(out, dlmBlock{m: m, prop: fmt.Sprintf("%s[%d]", p, i), tf: fmt.Sprintf("%s.%d", t, i)})
	}
	return out
}

// dlmChecker reports the schema validators' failures for nested blocks, in
// the words of terraform-plugin-sdk.
// Source: terraform-plugin-sdk helper/schema/schema.go (a Required attribute
// not set: "%q: required field is not set"; validateList: "%s: attribute
// supports %d item maximum, but config has %d declared" and "...%d item as a
// minimum..."), helper/validation/int.go (IntInSlice, IntBetween,
// IntAtLeast), strings.go (StringLenBetween, StringMatch, StringInSlice as
// the stand-in's oneOf words it).
type dlmChecker struct{ f *failures }

func (k dlmChecker) skip(b dlmBlock, key string) bool { return isUnknown(b.m, key) || !has(b.m, key) }

func (k dlmChecker) required(b dlmBlock, key, tfKey string) {
	if !has(b.m, key) && !isUnknown(b.m, key) {
		p, t := b.paths(key, tfKey)
		k.f.add(p, "%q: required field is not set", t)
	}
}

func (k dlmChecker) enum(b dlmBlock, key, tfKey string, allowed ...string) {
	if k.skip(b, key) {
		return
	}
	if v := str(b.m, key); !contains(allowed, v) {
		p, t := b.paths(key, tfKey)
		k.f.add(p, "expected %s to be one of %v, got %s", t, allowed, v)
	}
}

func (k dlmChecker) intIn(b dlmBlock, key, tfKey string, allowed []int) {
	n, ok := num(b.m, key)
	if !ok || isUnknown(b.m, key) {
		return
	}
	for _, a := range allowed {
		if float64(a) == n {
			return
		}
	}
	p, t := b.paths(key, tfKey)
	k.f.add(p, "expected %s to be one of %v, got %v", t, allowed, n)
}

func (k dlmChecker) intBetween(b dlmBlock, key, tfKey string, lo, hi float64) {
	if n, ok := num(b.m, key); ok && !isUnknown(b.m, key) && (n < lo || n > hi) {
		p, t := b.paths(key, tfKey)
		k.f.add(p, "expected %s to be in the range (%v - %v), got %v", t, lo, hi, n)
	}
}

func (k dlmChecker) intAtLeast(b dlmBlock, key, tfKey string, lo float64) {
	if n, ok := num(b.m, key); ok && !isUnknown(b.m, key) && n < lo {
		p, t := b.paths(key, tfKey)
		k.f.add(p, "expected %s to be at least (%v), got %v", t, lo, n)
	}
}

func (k dlmChecker) length(b dlmBlock, key, tfKey string, lo, hi int) {
	if k.skip(b, key) {
		return
	}
	if v := str(b.m, key); len(v) < lo || len(v) > hi {
		p, t := b.paths(key, tfKey)
		k.f.add(p, "expected length of %s to be in the range (%d - %d), got %s", t, lo, hi, v)
	}
}

func (k dlmChecker) match(b dlmBlock, key, tfKey string, re *regexp.Regexp, msg string) {
	if k.skip(b, key) {
		return
	}
	v := str(b.m, key)
	if re.MatchString(v) {
		return
	}
	p, t := b.paths(key, tfKey)
	if msg == "" {
		k.f.add(p, "expected value of %s to match regular expression %q, got %s", t, re.String(), v)
	} else {
		k.f.add(p, "invalid value for %s (%s)", t, msg)
	}
}

func (k dlmChecker) items(b dlmBlock, key, tfKey string, lo, hi int) {
	v := get(b.m, key)
	if !v.IsArray() || v.ContainsUnknowns() {
		return
	}
	p, t := b.paths(key, tfKey)
	if n := len(v.ArrayValue()); n > hi {
		k.f.add(p, "%s: attribute supports %d item maximum, but config has %d declared", t, hi, n)
	} else if n < lo {
		k.f.add(p, "%s: attribute supports %d item as a minimum, but config has %d declared", t, lo, n)
	}
}

// arn is verify.ValidARN.
// Source: terraform-provider-aws internal/verify/validate.go, ValidARNCheck
// ("%q (%s) is an invalid ARN: %s" with aws-sdk-go-v2 arn.Parse's "arn:
// invalid prefix" / "arn: not enough sections"; then missing or invalid
// partition, invalid region, invalid account ID, missing resource).
func (k dlmChecker) arn(b dlmBlock, key, tfKey string) {
	if k.skip(b, key) {
		return
	}
	v := str(b.m, key)
	if v == "" {
		return
	}
	p, t := b.paths(key, tfKey)
	bad := func(format string, args ...any) {
		k.f.add(p, "%q (%s) is an invalid ARN: %s", t, v, fmt.Sprintf(format, args...))
	}
	if !strings.HasPrefix(v, "arn:") {
		bad("arn: invalid prefix")
		return
	}
	parts := strings.SplitN(v, ":", 6)
	if len(parts) != 6 {
		bad("arn: not enough sections")
		return
	}
	switch {
	case parts[1] == "":
		bad("missing partition value")
	case !arnPartitionRE.MatchString(parts[1]):
		bad("invalid partition value (expecting to match regular expression: %s)", arnPartitionRE)
	}
	if parts[3] != "" && !arnRegionRE.MatchString(parts[3]) {
		bad("invalid region value (expecting to match regular expression: %s)", arnRegionRE)
	}
	if parts[4] != "" && !arnAccountRE.MatchString(parts[4]) {
		bad("invalid account ID value (expecting to match regular expression: %s)", arnAccountRE)
	}
	if parts[5] == "" {
		bad("missing resource value")
	}
}

// accounts is a set of verify.ValidAccountID strings.
// Source: internal/verify/validate.go, ValidAccountID ("%q doesn't look like
// AWS Account ID (exactly 12 digits): %q").
func (k dlmChecker) accounts(b dlmBlock, key, tfKey string) {
	p, t := b.paths(key, tfKey)
	for _, a := range strs(b.m, key) {
		if !accountIDRE.MatchString(a) {
			k.f.add(p, "%q doesn't look like AWS Account ID (exactly 12 digits): %q", t, a)
		}
	}
}

// retention checks a count / interval / interval_unit block: retain,
// deprecate and fast restore rules.
func (k dlmChecker) retention(b dlmBlock, withCount bool) {
	if withCount {
		k.intBetween(b, "count", "count", 1, 1000)
	}
	k.intAtLeast(b, "interval", "interval", 1)
	k.enum(b, "intervalUnit", "interval_unit", dlmRetentionUnits...)
}

// checkLifecyclePolicy is the provider's schema validation.
// Source: resourceLifecyclePolicy schema (description Required,
// validation.All(StringMatch `^[0-9A-Za-z _-]+$` "see
// https://docs.aws.amazon.com/cli/latest/reference/dlm/create-lifecycle-policy.html",
// StringLenBetween(1, 500)); execution_role_arn Required, ValidARN;
// policy_details Required, MaxItems 1; state enum; and the nested
// validators below).
func checkLifecyclePolicy(c *call, news resource.PropertyMap, f *failures) {
	required(f, news, "description", "executionRoleArn", "policyDetails")
	checkName(f, news, "description", 1, 500, dlmTextRE, "see https://docs.aws.amazon.com/cli/latest/reference/dlm/create-lifecycle-policy.html")
	k := dlmChecker{f}
	top := dlmBlock{m: news}
	k.arn(top, "executionRoleArn", "execution_role_arn")
	oneOf(f, news, "state", []string{"state"}, dlmStates...)
	pd, ok := top.one("policyDetails", "policy_details")
	if !ok {
		return
	}
	k.enum(pd, "policyType", "policy_type", dlmPolicyTypes...)
	// resource_types: MaxItems 1, each enum ResourceTypeValues.
	// resource_locations: MaxItems 1, which pulumi-aws projects as a
	// string; enum ResourceLocationValues.
	k.items(pd, "resourceTypes", "resource_types", 0, 1)
	for i, t := range strs(pd.m, "resourceTypes") {
		if !contains(dlmResourceTypes, t) {
			f.add(fmt.Sprintf("%s.resourceTypes[%d]", pd.prop, i), "expected %s.resource_types.%d to be one of %v, got %s",
				pd.tf, i, dlmResourceTypes, t)
		}
	}
	k.enum(pd, "resourceLocations", "resource_locations", dlmResourceLocations...)
	// schedule: Optional, MinItems 1, MaxItems 4.
	k.items(pd, "schedules", "schedule", 1, 4)
	for _, s := range pd.list("schedules", "schedule") {
		// name Required, StringLenBetween(0, 120); create_rule and
		// retain_rule Required, MaxItems 1.
		k.required(s, "name", "name")
		k.length(s, "name", "name", 0, 120)
		k.required(s, "createRule", "create_rule")
		k.required(s, "retainRule", "retain_rule")
		if cr, ok := s.one("createRule", "create_rule"); ok {
			k.match(cr, "cronExpression", "cron_expression", dlmCronRE, "see https://docs.aws.amazon.com/dlm/latest/APIReference/API_CreateRule.html")
			k.intIn(cr, "interval", "interval", dlmIntervals)
			k.enum(cr, "intervalUnit", "interval_unit", dlmIntervalUnits...)
			k.enum(cr, "location", "location", dlmLocations...)
			// times: a MaxItems 1 list of strings that pulumi-aws v6.83.4
			// projects as one string (sdk go/aws/dlm,
			// LifecyclePolicyPolicyDetailsScheduleCreateRule.Times *string).
			// Assumption: a list here is refused, as the SDK could not send
			// one.
			if v := get(cr.m, "times"); v.IsArray() {
				f.add(cr.prop+".times", "%s.times: expected a string, not a list (pulumi-aws projects this MaxItems 1 list as a string)", cr.tf)
			} else {
				if !k.skip(cr, "times") && !dlmTimesRE.MatchString(str(cr.m, "times")) {
					f.add(cr.prop+".times", "invalid value for %s.times.0 (see https://docs.aws.amazon.com/dlm/latest/APIReference/API_CreateRule.html#dlm-Type-CreateRule-Times)", cr.tf)
				}
			}
		}
		if rr, ok := s.one("retainRule", "retain_rule"); ok {
			k.retention(rr, true)
		}
		if dr, ok := s.one("deprecateRule", "deprecate_rule"); ok {
			k.retention(dr, true)
		}
		if fr, ok := s.one("fastRestoreRule", "fast_restore_rule"); ok {
			k.required(fr, "availabilityZones", "availability_zones")
			k.items(fr, "availabilityZones", "availability_zones", 1, 10)
			k.retention(fr, true)
		}
		if sr, ok := s.one("shareRule", "share_rule"); ok {
			k.required(sr, "targetAccounts", "target_accounts")
			k.items(sr, "targetAccounts", "target_accounts", 1, 1<<30)
			k.accounts(sr, "targetAccounts", "target_accounts")
			k.intAtLeast(sr, "unshareInterval", "unshare_interval", 1)
			k.enum(sr, "unshareIntervalUnit", "unshare_interval_unit", dlmRetentionUnits...)
		}
		// cross_region_copy_rule: a set of at most 3; target Required
		// `^[\w:\-\/\*]+$`, encrypted Required, cmk_arn ValidARN.
		k.items(s, "crossRegionCopyRules", "cross_region_copy_rule", 0, 3)
		for _, x := range s.list("crossRegionCopyRules", "cross_region_copy_rule") {
			k.required(x, "target", "target")
			k.match(x, "target", "target", dlmTargetRE, "")
			k.required(x, "encrypted", "encrypted")
			k.arn(x, "cmkArn", "cmk_arn")
			for _, sub := range []string{"retainRule", "deprecateRule"} {
				if r, ok := x.one(sub, tfName(sub)); ok {
					k.required(r, "interval", "interval")
					k.required(r, "intervalUnit", "interval_unit")
					k.retention(r, false)
				}
			}
		}
	}
	// action (event-based policies): MaxItems 1; name Required,
	// StringLenBetween(0, 120) and `^[0-9A-Za-z _-]+$`; cross_region_copy
	// Required, a set of at most 3, target Required.
	if a, ok := pd.one("action", "action"); ok {
		k.required(a, "name", "name")
		k.length(a, "name", "name", 0, 120)
		k.match(a, "name", "name", dlmTextRE, "see https://docs.aws.amazon.com/dlm/latest/APIReference/API_Action.html")
		k.required(a, "crossRegionCopies", "cross_region_copy")
		k.items(a, "crossRegionCopies", "cross_region_copy", 0, 3)
		for _, x := range a.list("crossRegionCopies", "cross_region_copy") {
			k.required(x, "target", "target")
			k.match(x, "target", "target", dlmTargetRE, "")
			k.required(x, "encryptionConfiguration", "encryption_configuration")
			if e, ok := x.one("encryptionConfiguration", "encryption_configuration"); ok {
				k.arn(e, "cmkArn", "cmk_arn")
			}
		}
	}
	// event_source: MaxItems 1; type enum EventSourceValues; parameters
	// Required with description_regex (0-1000), event_type enum and
	// snapshot_owner (at most 50 account ids) Required.
	if es, ok := pd.one("eventSource", "event_source"); ok {
		k.required(es, "type", "type")
		k.enum(es, "type", "type", dlmEventSources...)
		k.required(es, "parameters", "parameters")
		if p, ok := es.one("parameters", "parameters"); ok {
			k.required(p, "descriptionRegex", "description_regex")
			k.length(p, "descriptionRegex", "description_regex", 0, 1000)
			k.required(p, "eventType", "event_type")
			k.enum(p, "eventType", "event_type", dlmEventTypes...)
			k.required(p, "snapshotOwners", "snapshot_owner")
			k.items(p, "snapshotOwners", "snapshot_owner", 0, 50)
			k.accounts(p, "snapshotOwners", "snapshot_owner")
		}
	}
}

// dlmRoleOK is DLM's check of the execution role: it must exist and trust
// Data Lifecycle Manager.
// Source: Amazon EC2 User Guide, "IAM service roles" for Amazon Data
// Lifecycle Manager ("The role must also have Amazon Data Lifecycle Manager
// listed as a trusted entity, which enables Amazon Data Lifecycle Manager to
// assume the role"); resourceLifecyclePolicyCreate retries
// InvalidRequestException for 2 minutes, as IAM's changes propagate, and
// then fails with it.
// Assumption: CreateLifecyclePolicy refuses a role that does not exist or
// that DLM cannot assume with InvalidRequestException and this text; it
// does not check the role's permissions, whose lack shows only when the
// policy runs. Only the stand-in's own roles exist.
func (c *call) dlmRoleOK(doing, op, roleARN string) error {
	role := c.st.roleByARN(roleARN)
	if role == nil || !trusts(role, dlmPrincipal) {
		return awsErr(doing, op, 400, "InvalidRequestException",
			"Unable to assume the role %s. Make sure that the role exists and that %s is a trusted entity of it.", roleARN, dlmPrincipal)
	}
	return nil
}

// dlmDetailsOK is what CreateLifecyclePolicy and UpdateLifecyclePolicy
// refuse of the policy details that the provider's schema lets through.
// Source: DLM API Reference, CreateRule ("You must specify either
// CronExpression, or Interval, IntervalUnit, and Times"), RetainRule
// ("Count-based retention: You must specify Count"; "Age-based retention:
// You must specify Interval and IntervalUnit"), PolicyDetails
// (ResourceTypes, TargetTags and Schedules for snapshot and AMI policies);
// pulumi-aws v6.83.4 sdk go/aws/dlm, VariableTags ("Can only be used when
// resourceTypes is INSTANCE"). The provider sends interval_unit HOURS when
// none is given, and no interval unit with a cron expression
// (expandCreateRule).
// Assumption: the InvalidRequestException texts; that a cron expression
// with an interval, and a count with an interval, are refused (the API's
// "either ... or"); that snapshot and AMI policies need resource types,
// target tags and a schedule.
func dlmDetailsOK(doing, op string, pd resource.PropertyMap) error {
	refuse := func(format string, args ...any) error {
		return awsErr(doing, op, 400, "InvalidRequestException", format, args...)
	}
	if dlmPolicyType(pd) == "EVENT_BASED_POLICY" {
		return nil
	}
	switch {
	case len(strs(pd, "resourceTypes")) == 0:
		return refuse("ResourceTypes is required for a %s policy.", dlmPolicyType(pd))
	case len(stringMap(pd, "targetTags")) == 0:
		return refuse("TargetTags is required for a %s policy.", dlmPolicyType(pd))
	case len(objs(pd, "schedules")) == 0:
		return refuse("Schedules is required for a %s policy.", dlmPolicyType(pd))
	}
	for _, s := range objs(pd, "schedules") {
		name := str(s, "name")
		cr := obj(s, "createRule")
		cron, interval := has(cr, "cronExpression"), has(cr, "interval")
		switch {
		case !cron && !interval:
			return refuse("Schedule %s: specify either CronExpression, or Interval, IntervalUnit and Times.", name)
		case cron && interval:
			return refuse("Schedule %s: CronExpression cannot be specified with Interval, IntervalUnit or Times.", name)
		}
		rr := obj(s, "retainRule")
		count, age := has(rr, "count"), has(rr, "interval") || has(rr, "intervalUnit")
		switch {
		case !count && !age:
			return refuse("Schedule %s: the retain rule must specify either Count, or Interval and IntervalUnit.", name)
		case count && age:
			return refuse("Schedule %s: the retain rule cannot specify both Count and Interval.", name)
		case age && !(has(rr, "interval") && has(rr, "intervalUnit")):
			return refuse("Schedule %s: an age-based retain rule must specify Interval and IntervalUnit.", name)
		}
		if len(stringMap(s, "variableTags")) > 0 && !contains(strs(pd, "resourceTypes"), "INSTANCE") {
			return refuse("Schedule %s: VariableTags can only be used with the INSTANCE resource type.", name)
		}
	}
	return nil
}

// SnapshotPolicyTargets lists what a live DLM lifecycle policy targets now:
// for resource type INSTANCE, the ids of the program's EC2 instances
// (aws:ec2/instance:Instance records) that carry any of its target tags;
// for VOLUME, the root volume ids of those instances whose root volume
// carries one; oldest instance first. Instances that auto scaling groups
// launch are not listed (they are no records, and the stand-in keeps no
// tags for them). Event-based policies and unknown ids target nothing; a
// DISABLED policy still lists its targets.
// Source: pulumi-aws v6.83.4 sdk go/aws/dlm, PolicyDetails.TargetTags ("Any
// resources that match the resourceTypes and are tagged with _any_ of these
// tags will be targeted"); DLM API Reference, PolicyDetails (ResourceTypes:
// VOLUME snapshots individual volumes, INSTANCE the volumes of an
// instance).
// Assumption: an instance's tags are its tagsAll (what EC2 holds); a root
// volume's are its rootBlockDevice.tagsAll (volume_tags is not modelled);
// other volumes are not modelled.
func (s *Server) SnapshotPolicyTargets(policyID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.st.get(tLifecyclePolicy, policyID)
	if p == nil {
		return nil
	}
	pd := obj(p.outputs, "policyDetails")
	if dlmPolicyType(pd) == "EVENT_BASED_POLICY" {
		return nil
	}
	target := stringMap(pd, "targetTags")
	types := strs(pd, "resourceTypes")
	tagged := func(tags map[string]string) bool {
		for k, v := range target {
			if have, ok := tags[k]; ok && have == v {
				return true
			}
		}
		return false
	}
	var out []string
	for _, i := range s.st.all(tInstance) {
		if contains(types, "INSTANCE") && tagged(stringMap(i.outputs, "tagsAll")) {
			out = append(out, i.id)
		}
		if contains(types, "VOLUME") && tagged(stringMap(i.outputs, "rootBlockDevice", "tagsAll")) {
			if v := str(i.outputs, "rootBlockDevice", "volumeId"); v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}
