package standin

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const tQueue = "aws:sqs/queue:Queue"

func init() {
	register(queueKind())
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
