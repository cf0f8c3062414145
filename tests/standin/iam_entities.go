package standin

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// What IAM roles and instance profiles share: their creation date, their
// ARN, their path, and how IAM tells their names apart.

// createDate is the fixed creation date of every role and instance profile.
// Source: terraform-provider-aws internal/service/iam/role.go,
// resourceRoleFlatten (create_date in RFC 3339).
const createDate = "2024-01-01T00:00:00Z"

// iamARN is arn:<partition>:iam::<account>:<type><path><name>.
// Source: IAM User Guide, "IAM identifiers" (IAM ARNs include the path).
func iamARN(c *call, typ, path, name string) string {
	if path == "" {
		path = "/"
	}
	return c.cfg.arn("iam", "", Account, typ+path+name)
}

// checkIAMPathLength is all the provider checks of a role's path during
// preview; an instance profile's path it does not check at all.
// Source: terraform-provider-aws internal/service/iam/role.go, schema "path"
// (StringLenBetween(0, 512)); instance_profile.go, schema "path" (no
// ValidateFunc).
func checkIAMPathLength(f *failures, news resource.PropertyMap) {
	checkName(f, news, "path", 0, 512, nil, "")
}

// iamPathProblem is IAM's refusal of a path, or nil.
// Source: IAM API Reference, CreateRole and CreateInstanceProfile, "Path"
// (length 1-512, pattern (\u002F)|(\u002F[\u0021-\u007E]+\u002F)).
// Assumption: the ValidationError message, as IAM words it.
func iamPathProblem(doing, op string, ins resource.PropertyMap) error {
	if p := str(ins, "path"); len(p) < 1 || len(p) > 512 || !iamPathRE.MatchString(p) {
		return awsErr(doing, op, 400, "ValidationError",
			"The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.")
	}
	return nil
}

// iamNameTaken finds a live role or instance profile whose name differs
// from name at most in case: IAM names them case-insensitively.
// Source: IAM User Guide, "IAM and AWS STS quotas", "IAM name requirements"
// ("Names of users, groups, roles, and instance profiles must be unique
// within the account. They aren't distinguished by case").
func (st *state) iamNameTaken(typ, name string) *record {
	for _, r := range st.all(typ) {
		if strings.EqualFold(r.id, name) {
			return r
		}
	}
	return nil
}
