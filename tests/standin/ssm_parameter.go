package standin

import (
	"strings"
	"unicode/utf8"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const tParameter = "aws:ssm/parameter:Parameter"

func init() {
	register(parameterKind())
}

func parameterKind() *kind {
	// changed says whether an update calls PutParameter, which makes a new
	// version: any change but to the tags or overwrite.
	// Source: terraform-provider-aws internal/service/ssm/parameter.go,
	// resourceParameterUpdate (d.HasChangesExcept("overwrite", "tags",
	// "tags_all")); SSM User Guide, "Working with parameter versions" (each
	// edit of a parameter creates a new version).
	changed := func(old *record, ins resource.PropertyMap) bool {
		for _, p := range unionKeys(old.inputs, ins) {
			switch p {
			case "overwrite", "tags", "tagsAll", defaultsKey:
				continue
			}
			if !equalValues(old.inputs[resource.PropertyKey(p)], ins[resource.PropertyKey(p)]) {
				return true
			}
		}
		return false
	}
	return &kind{
		token: tParameter, what: "SSM Parameter", nameKey: "name",
		// Source: parameter.go, schema: name and data_type are ForceNew; the
		// CustomizeDiff ForceNewIfChange("tier") replaces a parameter moved
		// from Advanced to Standard.
		replaces: []string{"name", "dataType"},
		replaceOnChange: func(olds, news resource.PropertyMap) []string {
			if str(olds, "tier") == "Advanced" && str(news, "tier") == "Standard" {
				return []string{"tier"}
			}
			return nil
		},
		computed: []string{"arn", "version"},
		// Source: parameter.go, schema "value" (Sensitive: true); pulumi-aws
		// sdk/go/aws/ssm/parameter.go, NewParameter
		// (AdditionalSecretOutputs "value").
		secrets: []string{"value"},
		tags:    true,
		check: func(c *call, news resource.PropertyMap, f *failures) {
			required(f, news, "name", "type")
			// Source: parameter.go, schema: name StringLenBetween(1, 2048);
			// type enum ParameterType; insecure_value and value ExactlyOneOf;
			// tier enum ParameterTier; data_type StringInSlice; description
			// and allowed_pattern StringLenBetween(0, 1024). The other naming
			// rules are PutParameter's.
			checkName(f, news, "name", 1, 2048, nil, "")
			exactlyOneOf(f, news, "insecureValue", "value")
			oneOf(f, news, "type", []string{"type"}, "String", "StringList", "SecureString")
			oneOf(f, news, "tier", []string{"tier"}, "Standard", "Advanced", "Intelligent-Tiering")
			oneOf(f, news, "data_type", []string{"dataType"}, "aws:ec2:image", "aws:ssm:integration", "text")
			checkName(f, news, "description", 0, 1024, nil, "")
			checkName(f, news, "allowedPattern", 0, 1024, nil, "")
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			name := str(ins, "name")
			// Source: parameter.go, resourceParameterCreate ("creating SSM
			// Parameter (%s): %s").
			doing := "creating SSM Parameter (" + name + ")"
			if code, msg := ssmNameProblem(name); code != "" {
				return "", nil, awsErr(doing, "SSM: PutParameter", 400, code, "%s", msg)
			}
			// On create the provider sends Overwrite false unless overwrite is
			// set.
			// Source: parameter.go, shouldUpdateParameter; SSM API Reference,
			// PutParameter, "Errors" (ParameterAlreadyExists).
			if c.st.get(tParameter, name) != nil && !boolv(ins, "overwrite") {
				return "", nil, awsErr(doing, "SSM: PutParameter", 400, "ParameterAlreadyExists",
					"The parameter already exists. To overwrite this value, set the overwrite option in the request to true.")
			}
			tier, err := parameterTier(doing, ins)
			if err != nil {
				return "", nil, err
			}
			// Source: SSM API Reference, Parameter ("ARN"): parameter/ then the
			// name without its leading slash; PutParameter: tier Standard and
			// data type text by default, SecureString encrypted with the
			// AWS managed key alias/aws/ssm unless KeyId is given.
			out := resource.PropertyMap{
				"arn":     pv(c.cfg.regional("ssm", "parameter/"+strings.TrimPrefix(name, "/"))),
				"version": pv(1),
				"tier":    pv(tier),
			}
			if !has(ins, "dataType") {
				out["dataType"] = pv("text")
			}
			if str(ins, "type") == "SecureString" && !has(ins, "keyId") {
				out["keyId"] = pv("alias/aws/ssm")
			}
			// Source: parameter.go, resourceParameterCreate (d.SetId(name)).
			return name, out, nil
		},
		update: func(c *call, old *record, ins resource.PropertyMap) (resource.PropertyMap, error) {
			// Source: parameter.go, resourceParameterUpdate ("updating SSM
			// Parameter (%s): %s").
			tier, err := parameterTier("updating SSM Parameter ("+old.id+")", ins)
			if err != nil {
				return nil, err
			}
			if !changed(old, ins) {
				return nil, nil
			}
			v, _ := num(old.outputs, "version")
			return resource.PropertyMap{"version": pv(v + 1), "tier": pv(tier)}, nil
		},
		// Source: parameter.go, CustomizeDiff: ComputedIf("version") when value
		// changes; ComputedIf("value") when insecure_value changes, and
		// ComputedIf("insecure_value") when value changes.
		previewUpdate: func(c *call, old *record, ins resource.PropertyMap) resource.PropertyMap {
			out := resource.PropertyMap{}
			if !equalValues(old.inputs["value"], ins["value"]) {
				out["version"] = unknown()
				out["insecureValue"] = unknown()
			}
			if !equalValues(old.inputs["insecureValue"], ins["insecureValue"]) {
				out["value"] = resource.MakeSecret(unknown())
			}
			return out
		},
	}
}

// parameterTier is the tier PutParameter gives the value, or its refusal.
// Source: SSM User Guide, "Managing parameter tiers" (standard parameters
// up to 4 KB, advanced up to 8 KB; Intelligent-Tiering makes a parameter
// advanced when its value needs it) and the PutParameter ValidationException
// "Standard tier parameters support a maximum parameter value of 4096
// characters. ..." that users report.
// Assumption: the message for a value over 8 KB.
func parameterTier(doing string, ins resource.PropertyMap) (string, error) {
	value := str(ins, "value") + str(ins, "insecureValue")
	n := utf8.RuneCountInString(value)
	tier := str(ins, "tier")
	switch {
	case tier == "Advanced" || tier == "Intelligent-Tiering" && n > 4096:
		if n > 8192 {
			return "", awsErr(doing, "SSM: PutParameter", 400, "ValidationException",
				"1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length less than or equal to 8192")
		}
		return "Advanced", nil
	case n > 4096:
		return "", awsErr(doing, "SSM: PutParameter", 400, "ValidationException",
			"Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html")
	}
	return "Standard", nil
}
