package standin

import (
	"encoding/json"
	"strings"
	"unicode"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const (
	tRole            = "aws:iam/role:Role"
	tRolePolicy      = "aws:iam/rolePolicy:RolePolicy"
	tInstanceProfile = "aws:iam/instanceProfile:InstanceProfile"
)

func init() {
	register(roleKind(), rolePolicyKind(), instanceProfileKind())
}

const createDate = "2024-01-01T00:00:00Z"

func iamARN(c *call, typ, path, name string) string {
	if path == "" {
		path = "/"
	}
	return c.cfg.arn("iam", "", Account, typ+path+name)
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

// roleByARN finds a live role by its ARN.
func (st *state) roleByARN(arn string) *record {
	for _, r := range st.all(tRole) {
		if str(r.outputs, "arn") == arn {
			return r
		}
	}
	return nil
}

func checkIAMPath(f *failures, news resource.PropertyMap) {
	if isUnknown(news, "path") || !has(news, "path") {
		return
	}
	if p := str(news, "path"); len(p) > 512 || !iamPathRE.MatchString(p) {
		f.add("path", "invalid value for path (must begin and end with a forward slash and contain only printable ASCII), got %s", p)
	}
}

// checkPolicyJSON reports a policy document that is not JSON, as the real
// provider's validator does during preview.
func checkPolicyJSON(f *failures, news resource.PropertyMap, prop string) {
	if isUnknown(news, prop) || !has(news, prop) {
		return
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(str(news, prop)), &v); err != nil {
		f.add(prop, "%q contains an invalid JSON policy: %v", prop, err)
	}
}

type policyKind int

const (
	identityPolicy policyKind = iota
	trustPolicy
)

// validatePolicy rejects what IAM rejects of a policy document: statements
// without effect or actions, resources in identity policies missing, a
// Resource in a trust policy, and ARNs of another partition.
func validatePolicy(c *call, doing, op, doc string, kind policyKind) error {
	malformed := func(format string, args ...any) error {
		return awsErr(doing, op, 400, "MalformedPolicyDocument", format, args...)
	}
	var p struct {
		Version   string
		Statement json.RawMessage
	}
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		return malformed("This policy contains invalid Json")
	}
	var stmts []map[string]any
	if err := json.Unmarshal(p.Statement, &stmts); err != nil {
		var one map[string]any
		if err := json.Unmarshal(p.Statement, &one); err != nil {
			return malformed("Syntax errors in policy.")
		}
		stmts = []map[string]any{one}
	}
	if kind == trustPolicy && len(doc) > 2048 {
		return awsErr(doing, op, 409, "LimitExceeded", "Cannot exceed quota for ACLSizePerRole: 2048")
	}
	for _, s := range stmts {
		if e := s["Effect"]; e != "Allow" && e != "Deny" {
			return malformed("Policy statement must contain a valid Effect.")
		}
		if s["Action"] == nil && s["NotAction"] == nil {
			return malformed("Policy statement must contain actions.")
		}
		switch kind {
		case identityPolicy:
			if s["Resource"] == nil && s["NotResource"] == nil {
				return malformed("Policy statement must contain resources.")
			}
			if s["Principal"] != nil {
				return malformed("Policy document should not specify a principal.")
			}
		case trustPolicy:
			if s["Resource"] != nil || s["NotResource"] != nil {
				return malformed("Has prohibited field Resource")
			}
			if s["Principal"] == nil && s["NotPrincipal"] == nil {
				return malformed("AssumeRolepolicy contained an invalid principal: missing principal.")
			}
		}
		for _, field := range []string{"Resource", "NotResource", "Principal", "NotPrincipal"} {
			var bad error
			walkStrings(s[field], func(v string) {
				if bad == nil && strings.HasPrefix(v, "arn:") {
					if part := strings.SplitN(v, ":", 3)[1]; part != c.cfg.partition.name {
						bad = malformed("Partition \"%s\" is not valid for resource \"%s\".", part, v)
					}
				}
			})
			if bad != nil {
				return bad
			}
		}
	}
	return nil
}

// allows says whether a live role's inline policies allow an action on a resource.
func (st *state) allows(role *record, action, res string) bool {
	for _, p := range st.all(tRolePolicy) {
		if str(p.outputs, "role") != role.id {
			continue
		}
		var doc struct{ Statement []map[string]any }
		if json.Unmarshal([]byte(str(p.outputs, "policy")), &doc) != nil {
			continue
		}
		for _, s := range doc.Statement {
			if s["Effect"] != "Allow" {
				continue
			}
			actionOK, resOK := false, false
			walkStrings(s["Action"], func(a string) { actionOK = actionOK || globMatch(strings.ToLower(a), strings.ToLower(action)) })
			walkStrings(s["Resource"], func(r string) { resOK = resOK || globMatch(r, res) })
			if actionOK && resOK {
				return true
			}
		}
	}
	return false
}

// trusts says whether a role's trust policy lets a service assume it.
func trusts(role *record, service string) bool {
	var doc struct{ Statement []map[string]any }
	if json.Unmarshal([]byte(str(role.outputs, "assumeRolePolicy")), &doc) != nil {
		return false
	}
	for _, s := range doc.Statement {
		ok := false
		walkStrings(s["Principal"], func(p string) { ok = ok || p == service })
		if s["Effect"] == "Allow" && ok {
			return true
		}
	}
	return false
}

// globMatch matches IAM wildcards: * any run, ? one character.
func globMatch(pattern, s string) bool {
	if pattern == "" {
		return s == ""
	}
	switch pattern[0] {
	case '*':
		for i := 0; i <= len(s); i++ {
			if globMatch(pattern[1:], s[i:]) {
				return true
			}
		}
		return false
	case '?':
		return s != "" && globMatch(pattern[1:], s[1:])
	}
	return s != "" && s[0] == pattern[0] && globMatch(pattern[1:], s[1:])
}
