package standin

import (
	"fmt"
	"net"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Check-time validators: what the real provider's schema validators report
// during preview, in the words of terraform-plugin-sdk's helper/validation
// (pulumi-aws v6 runs them in Check: pulumi-terraform-bridge
// pkg/tfbridge/provider.go, Check calls ValidateResource). Rules that only
// AWS enforces are checked at create time by the kinds, not here.

var (
	// Source: terraform-provider-aws internal/service/iam/validate.go,
	// validResourceName: StringMatch(`^[\w+=,.@-]*$`, "must match [\\w+=,.@-]").
	iamNameRE = regexp.MustCompile(`^[\w+=,.@-]*$`)
	// Source: terraform-provider-aws internal/service/iam/validate.go,
	// validRolePolicyRole: StringMatch(`[\w+=,.@-]+`, "").
	iamPolicyRoleRE = regexp.MustCompile(`[\w+=,.@-]+`)
	// Source: IAM API Reference, CreateRole / CreateInstanceProfile, "Path":
	// pattern (\u002F)|(\u002F[\u0021-\u007E]+\u002F), length 1-512.
	iamPathRE = regexp.MustCompile(`^(/|/[\x21-\x7e]+/)$`)
	// Source: terraform-provider-aws internal/service/sqs/queue.go,
	// resourceQueueCustomizeDiff: `^[a-zA-Z0-9_-]{1,80}$` and, for FIFO
	// queues, `^[a-zA-Z0-9_-]{1,75}\.fifo$`.
	sqsNameRE     = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,80}$`)
	sqsFifoNameRE = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,75}\.fifo$`)
	// Source: SSM API Reference, PutParameter, "Name", Naming Constraints:
	// a-zA-Z0-9_.- plus "/" between levels.
	ssmNameRE = regexp.MustCompile(`^[a-zA-Z0-9_.\-/]+$`)
	ltNameRE  = regexp.MustCompile(`^[a-zA-Z0-9().\-/_]+$`)
	ec2TextRE = regexp.MustCompile(`^[a-zA-Z0-9. _\-:/()#,@\[\]+=&;{}!$*]*$`)
	amiRE     = regexp.MustCompile(`^ami-[0-9a-f]{8}([0-9a-f]{9})?$`)
	// Source: terraform-provider-aws internal/service/s3/bucket.go, schema
	// "bucket": StringDoesNotMatch(directoryBucketNameRegex, ...).
	directoryBucketRE = regexp.MustCompile(`^[0-9a-z.-]+--[0-9a-z]+(-[0-9a-z]+)+--x-s3$`)
	// Source: terraform-provider-aws internal/verify/validate.go, ValidAccountID.
	accountIDRE = regexp.MustCompile(`^\d{12}$`)
)

// checkName validates a string property as StringLenBetween(minLen, maxLen)
// and, when re is given, StringMatch(re, chars). Like validation.All, it
// reports every failing validator, not just the first.
// Source: terraform-plugin-sdk helper/validation/strings.go, StringLenBetween
// ("expected length of %s to be in the range (%d - %d), got %s") and
// StringMatch ("invalid value for %s (%s)"); helper/validation/meta.go, All.
func checkName(f *failures, news resource.PropertyMap, prop string, minLen, maxLen int, re *regexp.Regexp, chars string) {
	if isUnknown(news, prop) || !has(news, prop) {
		return
	}
	name := str(news, prop)
	if n := len(name); n < minLen || n > maxLen {
		f.add(prop, "expected length of %s to be in the range (%d - %d), got %s", tfName(prop), minLen, maxLen, name)
	}
	if re != nil && !re.MatchString(name) {
		if chars == "" {
			f.add(prop, "expected value of %s to match regular expression %q, got %s", tfName(prop), re.String(), name)
		} else {
			f.add(prop, "invalid value for %s (%s)", tfName(prop), chars)
		}
	}
}

// checkIAMName is validResourceName(maxLen).
// Source: terraform-provider-aws internal/service/iam/validate.go, validResourceName.
func checkIAMName(f *failures, news resource.PropertyMap, prop string, maxLen int) {
	checkName(f, news, prop, 1, maxLen, iamNameRE, `must match [\w+=,.@-]`)
}

// checkAccountID is verify.ValidAccountID.
// Source: terraform-provider-aws internal/verify/validate.go, ValidAccountID.
func checkAccountID(f *failures, news resource.PropertyMap, prop string) {
	if isUnknown(news, prop) || !has(news, prop) {
		return
	}
	if v := str(news, prop); !accountIDRE.MatchString(v) {
		f.add(prop, "%q doesn't look like AWS Account ID (exactly 12 digits): %q", tfName(prop), v)
	}
}

// validBucketName is the provider's own bucket name check, made when it
// creates the bucket (not in the schema, so not during preview). It is laxer
// in us-east-1, where AWS itself then refuses what S3's rules forbid.
// Source: terraform-provider-aws internal/service/s3/bucket.go,
// resourceBucketCreate ("validating S3 Bucket (%s) name: %s") and validBucketName.
func validBucketName(name, region string) error {
	if region != "us-east-1" {
		switch {
		case len(name) < 3 || len(name) > 63:
			return fmt.Errorf("%q must contain from 3 to 63 characters", name)
		case !regexp.MustCompile(`^[0-9a-z-.]+$`).MatchString(name):
			return fmt.Errorf("only lowercase alphanumeric characters and hyphens allowed in %q", name)
		case regexp.MustCompile(`^(?:[0-9]{1,3}\.){3}[0-9]{1,3}$`).MatchString(name):
			return fmt.Errorf("%q must not be formatted as an IP address", name)
		case strings.HasPrefix(name, "."):
			return fmt.Errorf("%q cannot start with a period", name)
		case strings.HasSuffix(name, "."):
			return fmt.Errorf("%q cannot end with a period", name)
		case strings.Contains(name, ".."):
			return fmt.Errorf("%q can be only one period between labels", name)
		}
		return nil
	}
	switch {
	case len(name) > 255:
		return fmt.Errorf("%q must contain less than 256 characters", name)
	case !regexp.MustCompile(`^[0-9A-Za-z_.-]+$`).MatchString(name):
		return fmt.Errorf("only alphanumeric characters, hyphens, periods, and underscores allowed in %q", name)
	}
	return nil
}

// s3BucketNameAllowed applies S3's own naming rules, which CreateBucket
// enforces with InvalidBucketName whatever the provider let through.
// Source: Amazon S3 User Guide, "General purpose bucket naming rules".
func s3BucketNameAllowed(name string) bool {
	if len(name) < 3 || len(name) > 63 || !regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*[a-z0-9]$`).MatchString(name) ||
		strings.Contains(name, "..") || net.ParseIP(name) != nil {
		return false
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	for _, s := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(name, s) {
			return false
		}
	}
	return true
}

// ssmNameProblem is what PutParameter says of a parameter name it refuses:
// the error code and message, or "" when the name is valid.
// Source: SSM API Reference, PutParameter, "Name" (Naming Constraints) and
// "Errors" (HierarchyLevelLimitExceededException: "A hierarchy can have a
// maximum of 15 levels.").
// Assumption: the ValidationException messages are paraphrases of the
// naming constraints; AWS's exact wording is not documented.
func ssmNameProblem(name string) (code, msg string) {
	lower := strings.ToLower(strings.TrimPrefix(name, "/"))
	switch {
	case !ssmNameRE.MatchString(name):
		return "ValidationException", "Parameter name: can only include the following symbols and letters: a-zA-Z0-9_.-/"
	case strings.HasPrefix(lower, "aws") || strings.HasPrefix(lower, "ssm"):
		return "ValidationException", `Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive).`
	case strings.Count(name, "/") > 15:
		return "HierarchyLevelLimitExceededException", "A hierarchy can have a maximum of 15 levels. For more information, see Requirements and constraints for parameter names in the AWS Systems Manager User Guide."
	case strings.Contains(name, "/") && !strings.HasPrefix(name, "/"):
		return "ValidationException", "Parameter name: in a hierarchy must begin with a forward slash (/)."
	}
	return "", ""
}

// Tags are not checked during preview: the provider's tags schema has no
// validator; the tags interceptor drops "aws:" keys before they reach AWS,
// and AWS enforces the length limits at create time (tagProblem in crud.go).
// Source: terraform-provider-aws internal/tags/tags.go, TagsSchema (no
// ValidateFunc); internal/provider/intercept.go, tagsResourceInterceptor
// (tags.IgnoreSystem).

// systemTagKey says whether the provider drops a tag key before sending it.
// Source: terraform-provider-aws internal/tags/key_value_tags.go,
// IgnoreSystem and IgnoreAWS (strings.HasPrefix(k, "aws:"), case-sensitive).
func systemTagKey(k string) bool { return strings.HasPrefix(k, "aws:") }

// tagProblem is AWS's refusal of the tags the provider sends, or nil.
// Source: AWS tagging restrictions (e.g. AWS Batch User Guide, "Tag
// restrictions"): at most 50 tags, keys 1-128 and values 0-256 Unicode
// characters, and "aws:" in any case reserved.
// Assumption: the error text; each service words it its own way.
func tagProblem(tags map[string]string) error {
	n := 0
	for k, v := range tags {
		if systemTagKey(k) {
			continue
		}
		n++
		switch {
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			return fmt.Errorf("tag key %q: the aws: prefix is reserved for AWS use", k)
		case utf8.RuneCountInString(k) < 1 || utf8.RuneCountInString(k) > 128:
			return fmt.Errorf("tag key %q: a tag key must be 1 to 128 Unicode characters long", k)
		case utf8.RuneCountInString(v) > 256:
			return fmt.Errorf("tag %q: a tag value can be at most 256 Unicode characters long", k)
		}
	}
	if n > 50 {
		return fmt.Errorf("%d tags: a resource can have at most 50 user tags", n)
	}
	return nil
}

// oneOf reports a value outside an enumeration.
// Source: terraform-plugin-sdk helper/validation/strings.go, StringInSlice.
func oneOf(f *failures, news resource.PropertyMap, label string, path []string, allowed ...string) {
	if isUnknown(news, path...) || !has(news, path...) {
		return
	}
	v := str(news, path...)
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	f.add(strings.Join(path, "."), "expected %s to be one of %v, got %s", label, allowed, v)
}

// between reports a number out of range.
// Source: terraform-plugin-sdk helper/validation/int.go, IntBetween.
func between(f *failures, news resource.PropertyMap, label string, path []string, lo, hi float64) {
	if isUnknown(news, path...) {
		return
	}
	if n, ok := num(news, path...); ok && (n < lo || n > hi) {
		f.add(strings.Join(path, "."), "expected %s to be in the range (%v - %v), got %v", label, lo, hi, n)
	}
}

// required reports missing required properties.
// Assumption: the wording of the bridge's failure for a missing Required
// attribute.
func required(f *failures, news resource.PropertyMap, props ...string) {
	for _, p := range props {
		if !has(news, p) && !isUnknown(news, p) {
			f.add(p, "Missing required property '%s'", p)
		}
	}
}

// exactlyOneOf reports the SDK's ExactlyOneOf failures, once per key as the
// SDK validates each key that declares it.
// Source: terraform-plugin-sdk helper/schema/schema.go,
// validateExactlyOneAttribute.
func exactlyOneOf(f *failures, news resource.PropertyMap, props ...string) {
	var set, tf []string
	for _, p := range props {
		tf = append(tf, tfName(p))
		if has(news, p) || isUnknown(news, p) {
			set = append(set, tfName(p))
		}
	}
	for _, p := range props {
		switch {
		case len(set) == 0:
			f.add(p, "%q: one of `%s` must be specified", tfName(p), strings.Join(tf, ","))
		case len(set) > 1:
			f.add(p, "%q: only one of `%s` can be specified, but `%s` were specified.", tfName(p),
				strings.Join(tf, ","), strings.Join(set, ","))
		}
	}
}

// conflictsWith reports that prop and other are both set.
// Source: terraform-plugin-sdk helper/schema/schema.go,
// validateConflictingAttributes ("%q: conflicts with %s").
func conflictsWith(f *failures, news resource.PropertyMap, prop, other string) {
	if (has(news, prop) || isUnknown(news, prop)) && (has(news, other) || isUnknown(news, other)) {
		f.add(prop, "%q: conflicts with %s", tfName(prop), tfName(other))
	}
}

// requiredWith reports that prop is set without the others.
// Source: terraform-plugin-sdk helper/schema/schema.go,
// validateRequiredWithAttribute ("%q: all of `%s` must be specified").
func requiredWith(f *failures, news resource.PropertyMap, prop string, all ...string) {
	if !has(news, prop) && !isUnknown(news, prop) {
		return
	}
	var tf []string
	missing := false
	for _, p := range all {
		tf = append(tf, tfName(p))
		if !has(news, p) && !isUnknown(news, p) {
			missing = true
		}
	}
	if missing {
		f.add(prop, "%q: all of `%s` must be specified", tfName(prop), strings.Join(tf, ","))
	}
}

// tfName turns a Pulumi property name into the provider's attribute name,
// which the provider's messages use: maxSessionDuration is max_session_duration.
func tfName(prop string) string {
	// pulumi-aws names some attributes differently (plurals of blocks).
	if n, ok := map[string]string{"aliases": "alias", "corsRules": "cors_rule", "rules": "rule"}[prop]; ok {
		return n
	}
	var b strings.Builder
	for i, r := range prop {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(r - 'A' + 'a')
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
