package standin

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const tParameter = "aws:ssm/parameter:Parameter"

func init() {
	register(parameterKind())
}

func parameterKind() *kind {
	versioned := []string{"value", "insecureValue", "type", "description", "allowedPattern", "dataType", "tier", "keyId"}
	changed := func(old *record, ins resource.PropertyMap) bool {
		for _, p := range versioned {
			if !equalValues(old.inputs[resource.PropertyKey(p)], ins[resource.PropertyKey(p)]) {
				return true
			}
		}
		return false
	}
	return &kind{
		token: tParameter, what: "SSM Parameter", nameKey: "name",
		replaces: []string{"name"},
		computed: []string{"arn", "version"},
		tags:     true,
		check: func(c *call, news resource.PropertyMap, f *failures) {
			required(f, news, "type")
			if !has(news, "value") && !has(news, "insecureValue") {
				f.add("value", "one of `insecureValue,value` must be specified")
			}
			checkSSMName(f, news, "name")
			checkTags(f, news)
			oneOf(f, news, "type", []string{"type"}, "String", "StringList", "SecureString")
			oneOf(f, news, "tier", []string{"tier"}, "Standard", "Advanced", "Intelligent-Tiering")
			oneOf(f, news, "dataType", []string{"dataType"}, "text", "aws:ec2:image", "aws:ssm:integration")
			if d := str(news, "description"); len(d) > 1024 {
				f.add("description", "expected length of description to be in the range (0 - 1024), got %d characters", len(d))
			}
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			name := str(ins, "name")
			doing := "creating SSM Parameter (" + name + ")"
			if c.st.get(tParameter, name) != nil && !boolv(ins, "overwrite") {
				return "", nil, awsErr(doing, "SSM: PutParameter", 400, "ParameterAlreadyExists",
					"The parameter already exists. To overwrite this value, set the overwrite option in the request to true.")
			}
			if err := parameterValueSize(doing, ins); err != nil {
				return "", nil, err
			}
			out := resource.PropertyMap{
				"arn":     pv(c.cfg.regional("ssm", "parameter/"+strings.TrimPrefix(name, "/"))),
				"version": pv(1),
			}
			if !has(ins, "tier") {
				out["tier"] = pv("Standard")
			}
			if !has(ins, "dataType") {
				out["dataType"] = pv("text")
			}
			if str(ins, "type") == "SecureString" && !has(ins, "keyId") {
				out["keyId"] = pv("alias/aws/ssm")
			}
			return name, out, nil
		},
		update: func(c *call, old *record, ins resource.PropertyMap) (resource.PropertyMap, error) {
			if err := parameterValueSize("updating SSM Parameter ("+old.id+")", ins); err != nil {
				return nil, err
			}
			if !changed(old, ins) {
				return nil, nil
			}
			v, _ := num(old.outputs, "version")
			return resource.PropertyMap{"version": pv(v + 1)}, nil
		},
		previewUpdate: func(c *call, old *record, ins resource.PropertyMap) resource.PropertyMap {
			if changed(old, ins) {
				return resource.PropertyMap{"version": unknown()}
			}
			return nil
		},
	}
}

func parameterValueSize(doing string, ins resource.PropertyMap) error {
	limit := 4096
	if str(ins, "tier") == "Advanced" {
		limit = 8192
	}
	if v := str(ins, "value") + str(ins, "insecureValue"); len(v) > limit {
		return awsErr(doing, "SSM: PutParameter", 400, "ValidationException",
			"1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length less than or equal to %d", limit)
	}
	return nil
}
