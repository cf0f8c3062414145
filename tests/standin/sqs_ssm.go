package standin

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const (
	tParameter = "aws:ssm/parameter:Parameter"
	tQueue     = "aws:sqs/queue:Queue"
)

func init() {
	register(parameterKind(), queueKind())
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

func queueKind() *kind {
	return &kind{
		token: tQueue, what: "SQS Queue", nameKey: "name",
		replaces: []string{"name", "fifoQueue"},
		defaults: map[string]any{
			"delaySeconds": 0, "maxMessageSize": 262144, "messageRetentionSeconds": 345600,
			"receiveWaitTimeSeconds": 0, "visibilityTimeoutSeconds": 30, "fifoQueue": false,
		},
		computed: []string{"arn", "url"},
		tags:     true,
		check: func(c *call, news resource.PropertyMap, f *failures) {
			checkTags(f, news)
			if !isUnknown(news, "name") {
				name := str(news, "name")
				fifo := boolv(news, "fifoQueue")
				base := name
				if fifo {
					if !strings.HasSuffix(name, ".fifo") {
						f.add("name", "invalid queue name: %s (a FIFO queue name must end with the .fifo suffix)", name)
						return
					}
					base = strings.TrimSuffix(name, ".fifo")
				}
				if len(name) > 80 || len(base) < 1 || !sqsNameRE.MatchString(base) {
					f.add("name", "invalid queue name: %s (1 to 80 characters: alphanumeric characters, hyphens and underscores)", name)
				}
			}
			between(f, news, "delay_seconds", []string{"delaySeconds"}, 0, 900)
			between(f, news, "max_message_size", []string{"maxMessageSize"}, 1024, 262144)
			between(f, news, "message_retention_seconds", []string{"messageRetentionSeconds"}, 60, 1209600)
			between(f, news, "receive_wait_time_seconds", []string{"receiveWaitTimeSeconds"}, 0, 20)
			between(f, news, "visibility_timeout_seconds", []string{"visibilityTimeoutSeconds"}, 0, 43200)
			if boolv(news, "sqsManagedSseEnabled") && has(news, "kmsMasterKeyId") {
				f.add("sqsManagedSseEnabled", "\"sqs_managed_sse_enabled\": conflicts with kms_master_key_id")
			}
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			name := str(ins, "name")
			for _, q := range c.st.all(tQueue) {
				if str(q.outputs, "name") == name {
					return "", nil, awsErr("creating SQS Queue ("+name+")", "SQS: CreateQueue", 400, "QueueAlreadyExists",
						"A queue already exists with the same name: %s (the stand-in never hands one queue to two resources)", name)
				}
			}
			url := "https://sqs." + c.cfg.region + "." + c.cfg.partition.dnsSuffix + "/" + Account + "/" + name
			out := resource.PropertyMap{"arn": pv(c.cfg.regional("sqs", name)), "url": pv(url)}
			if !has(ins, "sqsManagedSseEnabled") {
				out["sqsManagedSseEnabled"] = pv(!has(ins, "kmsMasterKeyId"))
			}
			return url, out, nil
		},
	}
}

// queueByARN finds a live queue by its ARN.
func (st *state) queueByARN(arn string) *record {
	for _, q := range st.all(tQueue) {
		if str(q.outputs, "arn") == arn {
			return q
		}
	}
	return nil
}
