package standin

import (
	"net"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Name rules of AWS, checked by Check as the real provider's schema
// validators do, so that a preview already reports them.

var (
	iamNameRE      = regexp.MustCompile(`^[\w+=,.@-]+$`)
	iamPathRE      = regexp.MustCompile(`^/([\x21-\x7e]*/)?$`)
	sqsNameRE      = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	ltNameRE       = regexp.MustCompile(`^[a-zA-Z0-9().\-/_]+$`)
	ssmNameRE      = regexp.MustCompile(`^[a-zA-Z0-9_.\-/]+$`)
	bucketRE       = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*[a-z0-9]$`)
	hookNameRE     = regexp.MustCompile(`^[A-Za-z0-9\-_/]+$`)
	ec2TextRE      = regexp.MustCompile(`^[a-zA-Z0-9. _\-:/()#,@\[\]+=&;{}!$*]*$`)
	amiRE          = regexp.MustCompile(`^ami-[0-9a-f]{8}([0-9a-f]{9})?$`)
	tagKeyReserved = "aws:"
)

// checkName validates the name property: its length and characters.
func checkName(f *failures, news resource.PropertyMap, prop string, minLen, maxLen int, re *regexp.Regexp, chars string) {
	if isUnknown(news, prop) || !has(news, prop) {
		return
	}
	name := str(news, prop)
	if n := len(name); n < minLen || n > maxLen {
		f.add(prop, "expected length of %s to be in the range (%d - %d), got %s", prop, minLen, maxLen, name)
		return
	}
	if re != nil && !re.MatchString(name) {
		f.add(prop, "invalid value for %s (%s), got %s", prop, chars, name)
	}
}

func checkIAMName(f *failures, news resource.PropertyMap, prop string, maxLen int) {
	checkName(f, news, prop, 1, maxLen, iamNameRE,
		"must only contain alphanumeric characters, hyphens, underscores, commas, periods, @ symbols, plus and equals signs")
}

func checkBucketName(f *failures, news resource.PropertyMap, prop string) {
	if isUnknown(news, prop) || !has(news, prop) {
		return
	}
	name := str(news, prop)
	switch {
	case len(name) < 3 || len(name) > 63:
		f.add(prop, "%q must contain between 3 and 63 characters", name)
	case name != strings.ToLower(name) || !regexp.MustCompile(`^[a-z0-9.-]+$`).MatchString(name):
		f.add(prop, "only lowercase alphanumeric characters, periods and hyphens allowed in %q", name)
	case !bucketRE.MatchString(name):
		f.add(prop, "%q must start and end with a lowercase letter or number", name)
	case strings.Contains(name, ".."):
		f.add(prop, "%q must not contain two adjacent periods", name)
	case net.ParseIP(name) != nil:
		f.add(prop, "%q must not be formatted as an IP address", name)
	case strings.HasPrefix(name, "xn--") || strings.HasPrefix(name, "sthree-"):
		f.add(prop, "%q must not start with \"xn--\" or \"sthree-\"", name)
	case strings.HasSuffix(name, "-s3alias") || strings.HasSuffix(name, "--ol-s3"):
		f.add(prop, "%q must not end with \"-s3alias\" or \"--ol-s3\"", name)
	}
}

func checkSSMName(f *failures, news resource.PropertyMap, prop string) {
	if isUnknown(news, prop) || !has(news, prop) {
		return
	}
	name := str(news, prop)
	lower := strings.ToLower(strings.TrimPrefix(name, "/"))
	switch {
	case len(name) < 1 || len(name) > 2048:
		f.add(prop, "expected length of %s to be in the range (1 - 2048), got %s", prop, name)
	case !ssmNameRE.MatchString(name):
		f.add(prop, "invalid value for %s (parameter names may only contain letters, numbers and the symbols . - _ /), got %s", prop, name)
	case strings.HasPrefix(lower, "aws") || strings.HasPrefix(lower, "ssm"):
		f.add(prop, "invalid value for %s (parameter names can't be prefixed with \"aws\" or \"ssm\" (case-insensitive)), got %s", prop, name)
	case strings.Count(name, "/") > 15:
		f.add(prop, "invalid value for %s (a parameter name can have at most 15 levels of hierarchy), got %s", prop, name)
	case strings.Contains(name, "/") && !strings.HasPrefix(name, "/"):
		f.add(prop, "invalid value for %s (a parameter name in a hierarchy must begin with a forward slash (/)), got %s", prop, name)
	}
}

// checkTags rejects tag keys AWS reserves, and over-long keys and values.
func checkTags(f *failures, news resource.PropertyMap) {
	if isUnknown(news, "tags") {
		return
	}
	for k, v := range stringMap(news, "tags") {
		switch {
		case strings.HasPrefix(strings.ToLower(k), tagKeyReserved):
			f.add("tags", "tag keys may not start with \"aws:\": %s", k)
		case len(k) < 1 || len(k) > 128:
			f.add("tags", "expected length of tag key to be in the range (1 - 128), got %s", k)
		case len(v) > 256:
			f.add("tags", "expected length of tag value of %s to be in the range (0 - 256)", k)
		}
	}
}

// oneOf reports a value outside an enumeration.
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
func between(f *failures, news resource.PropertyMap, label string, path []string, lo, hi float64) {
	if isUnknown(news, path...) {
		return
	}
	if n, ok := num(news, path...); ok && (n < lo || n > hi) {
		f.add(strings.Join(path, "."), "expected %s to be in the range (%v - %v), got %v", label, lo, hi, n)
	}
}

// required reports missing required properties.
func required(f *failures, news resource.PropertyMap, props ...string) {
	for _, p := range props {
		if !has(news, p) && !isUnknown(news, p) {
			f.add(p, "Missing required property '%s'", p)
		}
	}
}
