package standin

import "github.com/pulumi/pulumi/sdk/v3/go/common/resource"

const tRole = "aws:iam/role:Role"

func init() {
	register(roleKind())
}

func roleKind() *kind {
	return &kind{
		token: tRole, what: "IAM Role", nameKey: "name",
		replaces: []string{"name", "namePrefix", "path"},
		defaults: map[string]any{"path": "/", "maxSessionDuration": 3600, "forceDetachPolicies": false},
		computed: []string{"arn", "uniqueId", "createDate"},
		tags:     true,
		check: func(c *call, news resource.PropertyMap, f *failures) {
			required(f, news, "assumeRolePolicy")
			checkIAMName(f, news, "name", 64)
			checkIAMPath(f, news)
			checkTags(f, news)
			checkPolicyJSON(f, news, "assumeRolePolicy")
			between(f, news, "max_session_duration", []string{"maxSessionDuration"}, 3600, 43200)
			if d := str(news, "description"); len(d) > 1000 {
				f.add("description", "expected length of description to be in the range (0 - 1000), got %d characters", len(d))
			}
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			name := str(ins, "name")
			doing := "creating IAM Role (" + name + ")"
			if c.st.get(tRole, name) != nil {
				return "", nil, awsErr(doing, "IAM: CreateRole", 409, "EntityAlreadyExists", "Role with name %s already exists.", name)
			}
			if err := validatePolicy(c, doing, "IAM: CreateRole", str(ins, "assumeRolePolicy"), trustPolicy); err != nil {
				return "", nil, err
			}
			return name, resource.PropertyMap{
				"arn":        pv(iamARN(c, "role", str(ins, "path"), name)),
				"uniqueId":   pv(c.st.upperID("AROA")),
				"createDate": pv(createDate),
			}, nil
		},
		update: func(c *call, old *record, ins resource.PropertyMap) (resource.PropertyMap, error) {
			return nil, validatePolicy(c, "updating IAM Role ("+old.id+") assume role policy", "IAM: UpdateAssumeRolePolicy",
				str(ins, "assumeRolePolicy"), trustPolicy)
		},
		delete: func(c *call, r *record) error {
			for _, p := range c.st.all(tRolePolicy) {
				if str(p.outputs, "role") == r.id && !boolv(r.outputs, "forceDetachPolicies") {
					return awsErr("deleting IAM Role ("+r.id+")", "IAM: DeleteRole", 409, "DeleteConflict",
						"Cannot delete entity, must delete policies first.")
				}
			}
			// The provider takes the role out of its instance profiles first.
			for _, p := range c.st.all(tInstanceProfile) {
				if str(p.outputs, "role") == r.id {
					p.outputs["role"] = resource.NewNullProperty()
				}
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
