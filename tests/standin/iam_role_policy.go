package standin

import (
	"strings"
	"unicode"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const tRolePolicy = "aws:iam/rolePolicy:RolePolicy"

func init() {
	register(rolePolicyKind())
}

func rolePolicyKind() *kind {
	validate := func(c *call, doing string, ins resource.PropertyMap) error {
		role := str(ins, "role")
		if c.st.get(tRole, role) == nil {
			return awsErr(doing, "IAM: PutRolePolicy", 404, "NoSuchEntity", "The role with name %s cannot be found.", role)
		}
		doc := str(ins, "policy")
		if err := validatePolicy(c, doing, "IAM: PutRolePolicy", doc, identityPolicy); err != nil {
			return err
		}
		if n := len(strings.Join(strings.FieldsFunc(doc, unicode.IsSpace), "")); n > 10240 {
			return awsErr(doing, "IAM: PutRolePolicy", 409, "LimitExceeded",
				"Maximum policy size of 10240 bytes exceeded for role %s", role)
		}
		return nil
	}
	return &kind{
		token: tRolePolicy, what: "IAM Role Policy", nameKey: "name",
		replaces: []string{"name", "namePrefix", "role"},
		check: func(c *call, news resource.PropertyMap, f *failures) {
			required(f, news, "role", "policy")
			checkIAMName(f, news, "name", 128)
			checkPolicyJSON(f, news, "policy")
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			id := str(ins, "role") + ":" + str(ins, "name")
			return id, nil, validate(c, "creating IAM Role Policy ("+id+")", ins)
		},
		update: func(c *call, old *record, ins resource.PropertyMap) (resource.PropertyMap, error) {
			return nil, validate(c, "updating IAM Role Policy ("+old.id+")", ins)
		},
	}
}
