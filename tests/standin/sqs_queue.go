package standin

import (
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const tQueue = "aws:sqs/queue:Queue"

func init() {
	register(queueKind())
}

// queueAttributes are the inputs the provider sends to CreateQueue as queue
// attributes, defaults included.
// Source: terraform-provider-aws internal/service/sqs/queue.go,
// queueAttributeMap and resourceQueueCreate
// (ResourceDataToAPIAttributesCreate).
var queueAttributes = []string{"contentBasedDeduplication", "deduplicationScope", "delaySeconds", "fifoQueue",
	"fifoThroughputLimit", "kmsDataKeyReusePeriodSeconds", "kmsMasterKeyId", "maxMessageSize",
	"messageRetentionSeconds", "policy", "receiveWaitTimeSeconds", "redriveAllowPolicy", "redrivePolicy",
	"sqsManagedSseEnabled", "visibilityTimeoutSeconds"}

func queueKind() *kind {
	return &kind{
		token: tQueue, what: "SQS Queue", nameKey: "name",
		// Source: pulumi-aws provider/resources.go, aws_sqs_queue:
		// AutoNameWithCustomOptions("name", Maxlen 80, Randlen 7, PostTransform
		// appending ".fifo" when fifoQueue is true).
		autoname: &autonameRule{maxlen: 80, post: func(news resource.PropertyMap, name string) string {
			if boolv(news, "fifoQueue") {
				return name + ".fifo"
			}
			return name
		}},
		// Source: queue.go, resourceQueueCreate (create.NameWithSuffix for a
		// FIFO queue's name_prefix).
		fromPrefix: func(prefix string, ins resource.PropertyMap, id string) string {
			if boolv(ins, "fifoQueue") {
				return prefix + id + ".fifo"
			}
			return prefix + id
		},
		// Source: queue.go, schema: name, name_prefix and fifo_queue are ForceNew.
		replaces: []string{"name", "namePrefix", "fifoQueue"},
		// Source: queue.go, schema defaults (DefaultQueueDelaySeconds 0,
		// DefaultQueueMaximumMessageSize 262144, DefaultQueueMessageRetentionPeriod
		// 345600, DefaultQueueReceiveMessageWaitTimeSeconds 0,
		// DefaultQueueVisibilityTimeout 30; fifo_queue and
		// content_based_deduplication false).
		defaults: map[string]any{
			"delaySeconds": 0, "maxMessageSize": 262144, "messageRetentionSeconds": 345600,
			"receiveWaitTimeSeconds": 0, "visibilityTimeoutSeconds": 30, "fifoQueue": false,
			"contentBasedDeduplication": false,
		},
		// Source: queue.go, schema: arn and url are Computed;
		// kms_data_key_reuse_period_seconds, fifo_throughput_limit,
		// deduplication_scope, sqs_managed_sse_enabled and policy are
		// Optional+Computed (left unset, they keep the state's value).
		computed: []string{"arn", "url", "kmsDataKeyReusePeriodSeconds", "fifoThroughputLimit", "deduplicationScope",
			"sqsManagedSseEnabled", "policy"},
		tags: true,
		check: func(c *call, news resource.PropertyMap, f *failures) {
			// Source: queue.go, schema validators: delay_seconds IntBetween(0,
			// 900), max_message_size IntBetween(1024, 262144),
			// message_retention_seconds IntBetween(60, 1209600),
			// visibility_timeout_seconds IntBetween(0, 43200),
			// kms_data_key_reuse_period_seconds IntBetween(60, 86400);
			// receive_wait_time_seconds has none (SQS checks it).
			between(f, news, "delay_seconds", []string{"delaySeconds"}, 0, 900)
			between(f, news, "max_message_size", []string{"maxMessageSize"}, 1024, 262144)
			between(f, news, "message_retention_seconds", []string{"messageRetentionSeconds"}, 60, 1209600)
			between(f, news, "visibility_timeout_seconds", []string{"visibilityTimeoutSeconds"}, 0, 43200)
			between(f, news, "kms_data_key_reuse_period_seconds", []string{"kmsDataKeyReusePeriodSeconds"}, 60, 86400)
			// Source: queue.go, schema: kms_master_key_id and
			// sqs_managed_sse_enabled conflict with each other, whatever
			// their values.
			conflictsWith(f, news, "kmsMasterKeyId", "sqsManagedSseEnabled")
			conflictsWith(f, news, "sqsManagedSseEnabled", "kmsMasterKeyId")
		},
		// Source: queue.go, resourceQueueCustomizeDiff: on create the name
		// must match `^[a-zA-Z0-9_-]{1,80}$` (`^[a-zA-Z0-9_-]{1,75}\.fifo$`
		// for a FIFO queue); content-based deduplication only for FIFO
		// queues.
		plan: func(c *call, old *record, news resource.PropertyMap) error {
			fifo := boolv(news, "fifoQueue")
			if old == nil && !isUnknown(news, "name") {
				name := str(news, "name")
				if name == "" && has(news, "namePrefix") {
					name = str(news, "namePrefix") + "20240101000000000000000001"
					if fifo {
						name += ".fifo"
					}
				}
				re := sqsNameRE
				if fifo {
					re = sqsFifoNameRE
				}
				if !re.MatchString(name) {
					return fmt.Errorf("invalid queue name: %s", name)
				}
			}
			if !fifo && boolv(news, "contentBasedDeduplication") {
				return fmt.Errorf("content-based deduplication can only be set for FIFO queue")
			}
			return nil
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			name := str(ins, "name")
			// Source: queue.go, resourceQueueCreate ("creating SQS Queue (%s): %s").
			doing := "creating SQS Queue (" + name + ")"
			// Source: SQS API Reference, SetQueueAttributes, "Attributes"
			// (ReceiveMessageWaitTimeSeconds: 0 to 20 seconds).
			// Assumption: the InvalidAttributeValue message, as SQS words it.
			if n, ok := num(ins, "receiveWaitTimeSeconds"); ok && (n < 0 || n > 20) {
				return "", nil, awsErr(doing, "SQS: CreateQueue", 400, "InvalidAttributeValue",
					"Invalid value for the parameter ReceiveMessageWaitTimeSeconds.")
			}
			url := "https://sqs." + c.cfg.region + "." + c.cfg.partition.dnsSuffix + "/" + Account + "/" + name
			// CreateQueue with the name of an existing queue and the same
			// attributes returns that queue; with other attributes it fails.
			// Source: SQS API Reference, CreateQueue ("If you provide the name
			// of an existing queue along with the exact names and values of
			// all the queue's attributes, CreateQueue returns the queue URL for
			// the existing queue"; QueueNameExists "only if the request
			// includes attributes whose values differ").
			// Assumption: the error code and message, as SQS reports them.
			if q := c.st.get(tQueue, url); q != nil {
				if diff := queueAttributeDiff(q.inputs, ins); diff != "" {
					return "", nil, awsErr(doing, "SQS: CreateQueue", 400, "QueueAlreadyExists",
						"A queue already exists with the same name and a different value for attribute %s", diff)
				}
			}
			out := resource.PropertyMap{"arn": pv(c.cfg.regional("sqs", name)), "url": pv(url)}
			// New queues get SSE-SQS encryption unless a KMS key is given.
			// Source: SQS Developer Guide, "Encryption at rest" (SSE-SQS by
			// default for queues created with the API); queue.go, schema
			// "sqs_managed_sse_enabled" (Optional, Computed).
			if !has(ins, "sqsManagedSseEnabled") {
				out["sqsManagedSseEnabled"] = pv(!has(ins, "kmsMasterKeyId"))
			}
			// Source: queue.go, resourceQueueRead (kms_data_key_reuse_period_seconds
			// set to DefaultQueueKMSDataKeyReusePeriodSeconds, 300, when 0).
			if !has(ins, "kmsDataKeyReusePeriodSeconds") {
				out["kmsDataKeyReusePeriodSeconds"] = pv(300)
			}
			// Source: queue.go, resourceQueueCreate (d.SetId(QueueUrl)).
			return url, out, nil
		},
	}
}

// queueAttributeDiff names the first attribute that differs, or "".
func queueAttributeDiff(a, b resource.PropertyMap) string {
	var diffs []string
	for _, key := range queueAttributes {
		if !equalValues(a[resource.PropertyKey(key)], b[resource.PropertyKey(key)]) {
			diffs = append(diffs, key)
		}
	}
	sort.Strings(diffs)
	if len(diffs) == 0 {
		return ""
	}
	return strings.ToUpper(diffs[0][:1]) + diffs[0][1:]
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
