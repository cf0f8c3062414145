package standin

import "github.com/pulumi/pulumi/sdk/v3/go/common/resource"

const tInstanceProfile = "aws:iam/instanceProfile:InstanceProfile"

func init() {
	register(instanceProfileKind())
}

func instanceProfileKind() *kind {
	roleExists := func(c *call, doing, op string, ins resource.PropertyMap) error {
		if role := str(ins, "role"); role != "" && c.st.get(tRole, role) == nil {
			return awsErr(doing, op, 404, "NoSuchEntity", "The role with name %s cannot be found.", role)
		}
		return nil
	}
	return &kind{
		token: tInstanceProfile, what: "IAM Instance Profile", nameKey: "name",
		replaces: []string{"name", "namePrefix", "path"},
		defaults: map[string]any{"path": "/"},
		computed: []string{"arn", "uniqueId", "createDate"},
		tags:     true,
		check: func(c *call, news resource.PropertyMap, f *failures) {
			checkIAMName(f, news, "name", 128)
			checkIAMPath(f, news)
			checkTags(f, news)
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			name := str(ins, "name")
			doing := "creating IAM Instance Profile (" + name + ")"
			if c.st.get(tInstanceProfile, name) != nil {
				return "", nil, awsErr(doing, "IAM: CreateInstanceProfile", 409, "EntityAlreadyExists", "Instance Profile %s already exists.", name)
			}
			if err := roleExists(c, "adding IAM Role to IAM Instance Profile ("+name+")", "IAM: AddRoleToInstanceProfile", ins); err != nil {
				return "", nil, err
			}
			return name, resource.PropertyMap{
				"arn":        pv(iamARN(c, "instance-profile", str(ins, "path"), name)),
				"uniqueId":   pv(c.st.upperID("AIPA")),
				"createDate": pv(createDate),
			}, nil
		},
		update: func(c *call, old *record, ins resource.PropertyMap) (resource.PropertyMap, error) {
			return nil, roleExists(c, "adding IAM Role to IAM Instance Profile ("+old.id+")", "IAM: AddRoleToInstanceProfile", ins)
		},
	}
}

// instanceProfile finds a live instance profile by name or ARN.
func (st *state) instanceProfile(nameOrARN string) *record {
	for _, p := range st.all(tInstanceProfile) {
		if p.id == nameOrARN || str(p.outputs, "arn") == nameOrARN {
			return p
		}
	}
	return nil
}
