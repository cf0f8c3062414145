package standin

import (
	"regexp"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const tRole = "aws:iam/role:Role"

func init() {
	register(roleKind())
}

// Source: terraform-provider-aws internal/service/iam/role.go, schema
// "description" (StringDoesNotMatch "[“‘]").
var curlyQuotesRE = regexp.MustCompile("[“‘]")

func roleKind() *kind {
	return &kind{
		token: tRole, what: "IAM Role", nameKey: "name",
		// Source: pulumi-aws provider/resources.go, aws_iam_role:
		// "name": tfbridge.AutoName("name", 64, "-").
		autoname: &autonameRule{maxlen: 64},
		// Source: terraform-provider-aws internal/service/iam/role.go, schema:
		// name, name_prefix and path are ForceNew.
		replaces: []string{"name", "namePrefix", "path"},
		// Source: role.go, schema defaults: path "/", max_session_duration
		// 3600, force_detach_policies false.
		defaults: map[string]any{"path": "/", "maxSessionDuration": 3600, "forceDetachPolicies": false},
		// Source: role.go, schema: arn, unique_id and create_date are Computed.
		computed: []string{"arn", "uniqueId", "createDate"},
		tags:     true,
		check: func(c *call, news resource.PropertyMap, f *failures) {
			required(f, news, "assumeRolePolicy")
			// Source: role.go, schema: name validResourceName(64), name_prefix
			// validResourceName(64 - id.UniqueIDSuffixLength), path
			// StringLenBetween(0, 512), assume_role_policy ValidIAMPolicyJSON,
			// max_session_duration IntBetween(3600, 43200), description
			// StringLenBetween(0, 1000) and no curly quotes.
			checkIAMName(f, news, "name", 64)
			checkIAMName(f, news, "namePrefix", 64-26)
			checkIAMPathLength(f, news)
			checkPolicyJSON(f, news, "assumeRolePolicy")
			between(f, news, "max_session_duration", []string{"maxSessionDuration"}, 3600, 43200)
			checkName(f, news, "description", 0, 1000, nil, "")
			if d := str(news, "description"); curlyQuotesRE.MatchString(d) {
				f.add("description", "invalid value for description (cannot contain specially formatted single or double quotes: [“‘])")
			}
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			name := str(ins, "name")
			// Source: role.go, resourceRoleCreate ("creating IAM Role (%s): %s").
			doing := "creating IAM Role (" + name + ")"
			// Source: IAM API Reference, CreateRole, "Errors"
			// (EntityAlreadyExists, 409); names are unique regardless of case.
			if c.st.iamNameTaken(tRole, name) != nil {
				return "", nil, awsErr(doing, "IAM: CreateRole", 409, "EntityAlreadyExists", "Role with name %s already exists.", name)
			}
			if err := iamPathProblem(doing, "IAM: CreateRole", ins); err != nil {
				return "", nil, err
			}
			if err := validatePolicy(c, doing, "IAM: CreateRole", str(ins, "assumeRolePolicy"), trustPolicy); err != nil {
				return "", nil, err
			}
			// Source: role.go, resourceRoleCreate (d.SetId(roleName)); IAM User
			// Guide, "IAM identifiers" (role ids begin AROA).
			return name, resource.PropertyMap{
				"arn":        pv(iamARN(c, "role", str(ins, "path"), name)),
				"uniqueId":   pv(c.st.upperID("AROA")),
				"createDate": pv(createDate),
			}, nil
		},
		update: func(c *call, old *record, ins resource.PropertyMap) (resource.PropertyMap, error) {
			// Source: role.go, resourceRoleUpdate ("updating IAM Role (%s)
			// assume role policy: %s", UpdateAssumeRolePolicy).
			return nil, validatePolicy(c, "updating IAM Role ("+old.id+") assume role policy", "IAM: UpdateAssumeRolePolicy",
				str(ins, "assumeRolePolicy"), trustPolicy)
		},
		// Source: role.go, resourceRoleDelete and deleteRole: the role is
		// first taken out of its instance profiles
		// (deleteRoleInstanceProfiles); with force_detach_policies its inline
		// policies are deleted; then DeleteRole, retried on DeleteConflict,
		// fails while inline policies remain.
		// Source: IAM API Reference, DeleteRole, "Errors" (DeleteConflict, 409).
		delete: func(c *call, r *record) error {
			for _, p := range c.st.all(tInstanceProfile) {
				if str(p.outputs, "role") == r.id {
					p.outputs["role"] = resource.NewNullProperty()
				}
			}
			force := boolv(r.outputs, "forceDetachPolicies")
			for _, p := range c.st.all(tRolePolicy) {
				if str(p.outputs, "role") != r.id {
					continue
				}
				if !force {
					return awsErr("deleting IAM Role ("+r.id+")", "IAM: DeleteRole", 409, "DeleteConflict",
						"Cannot delete entity, must delete policies first.")
				}
				c.st.remove(tRolePolicy, p.id)
			}
			return nil
		},
	}
}

// roleByARN finds a live role by its ARN.
func (st *state) roleByARN(arn string) *record {
	for _, r := range st.all(tRole) {
		if str(r.outputs, "arn") == arn {
			return r
		}
	}
	return nil
}
