package standin

import "github.com/pulumi/pulumi/sdk/v3/go/common/resource"

// What IAM roles and instance profiles share: their creation date, their
// ARN, and the check of their path.

const createDate = "2024-01-01T00:00:00Z"

func iamARN(c *call, typ, path, name string) string {
	if path == "" {
		path = "/"
	}
	return c.cfg.arn("iam", "", Account, typ+path+name)
}

func checkIAMPath(f *failures, news resource.PropertyMap) {
	if isUnknown(news, "path") || !has(news, "path") {
		return
	}
	if p := str(news, "path"); len(p) > 512 || !iamPathRE.MatchString(p) {
		f.add("path", "invalid value for path (must begin and end with a forward slash and contain only printable ASCII), got %s", p)
	}
}
