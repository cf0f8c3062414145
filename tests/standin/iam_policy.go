package standin

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Policy documents: their validation, as the provider's validator and IAM
// do it, and their evaluation, for the checks AWS makes with a role.

// checkPolicyJSON is the provider's validator of policy documents, run
// during preview.
// Source: terraform-provider-aws internal/verify/validate.go,
// ValidIAMPolicyJSON (the schema's ValidateFunc of assume_role_policy and
// of aws_iam_role_policy's policy).
func checkPolicyJSON(f *failures, news resource.PropertyMap, prop string) {
	if isUnknown(news, prop) || !has(news, prop) {
		return
	}
	k, value := tfName(prop), str(news, prop)
	switch {
	case value == "":
		f.add(prop, "%q is an empty string, which is not a valid JSON value", k)
	case value[0] == ' ' || value[0] == '\t' || value[0] == '\r' || value[0] == '\n':
		f.add(prop, "%q contains an invalid JSON policy: leading space characters are not allowed", k)
	case value[0] == '"':
		f.add(prop, "%q contains an invalid JSON policy: contains a JSON-encoded string, not a JSON-encoded object", k)
	case value[0] == '[':
		f.add(prop, "%q contains an invalid JSON policy: contains a JSON array, not a JSON object", k)
	case value[0] != '{':
		f.add(prop, "%q contains an invalid JSON policy: not a JSON object", k)
	default:
		var v any
		if err := json.Unmarshal([]byte(value), &v); err != nil {
			msg := err.Error()
			if se, ok := err.(*json.SyntaxError); ok {
				msg = fmt.Sprintf("%s, at byte offset %d", msg, se.Offset)
			}
			f.add(prop, "%q contains an invalid JSON policy: %s", k, msg)
		}
	}
}

// policySize is the size IAM counts of a policy document: the provider
// sends it normalized, and IAM does not count white space.
// Source: terraform-provider-aws internal/service/iam/role.go,
// resourceRoleCreate (structure.NormalizeJsonString); role_policy.go,
// resourceRolePolicyPut (verify.LegacyPolicyNormalize); IAM User Guide,
// "IAM and AWS STS quotas" ("IAM doesn't count white space").
func policySize(doc string) int {
	var v any
	if json.Unmarshal([]byte(doc), &v) == nil {
		if b, err := json.Marshal(v); err == nil {
			doc = string(b)
		}
	}
	return len(strings.Join(strings.FieldsFunc(doc, unicode.IsSpace), ""))
}

type policyKind int

const (
	identityPolicy policyKind = iota
	trustPolicy
)

// validatePolicy rejects what IAM rejects of a policy document: statements
// without effect or actions, resources in identity policies missing, a
// Resource in a trust policy, and ARNs of another partition; and a trust
// policy over the quota of its size.
// Source: IAM User Guide, "IAM JSON policy elements reference" (Effect and
// Action or NotAction in every statement; Resource or NotResource required
// in identity policies; Principal only, and required, in trust policies)
// and "IAM and AWS STS quotas" (role trust policy length 2,048 characters;
// LimitExceeded "Cannot exceed quota for ACLSizePerRole: 2048").
// Assumption: the MalformedPolicyDocument messages are IAM's as users
// report them; IAM does not document its wording.
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
	if kind == trustPolicy && policySize(doc) > 2048 {
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

// allows says whether a live role's inline policies allow an action on a
// resource.
// Source: IAM User Guide, "Policy evaluation logic" (an explicit Allow in an
// identity policy; Action and Resource matched with * and ? wildcards,
// actions case-insensitively).
// Assumption: Deny statements, conditions and NotAction/NotResource are not
// evaluated; the installer's policies use none of them.
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
// Source: IAM User Guide, "IAM JSON policy elements: Principal" (a service
// principal in an Allow statement of the role trust policy).
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
