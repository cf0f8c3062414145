package standin

import (
	"encoding/json"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Policy documents: their validation, as the provider's validator and IAM
// do it, and their evaluation, for the checks AWS makes with a role.

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
