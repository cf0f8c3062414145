package standin

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const tBucket = "aws:s3/bucketV2:BucketV2"

func init() {
	register(bucketKind())
}

// s3HostedZones are the Route 53 hosted zones of S3 website endpoints.
// Source: terraform-provider-aws internal/service/s3/hosted_zones.go,
// hostedZoneIDsMap.
var s3HostedZones = map[string]string{
	"af-south-1": "Z83WF9RJE8B12", "ap-east-1": "ZNB98KWMFR0R6", "ap-northeast-1": "Z2M4EHUR26P7ZW",
	"ap-northeast-2": "Z3W03O7B5YMIYP", "ap-northeast-3": "Z2YQB5RD63NC85", "ap-south-1": "Z11RGJOFQNVJUP",
	"ap-south-2": "Z02976202B4EZMXIPMXF7", "ap-southeast-1": "Z3O0J2DXBE1FTB", "ap-southeast-2": "Z1WCIGYICN2BYD",
	"ap-southeast-3": "Z01846753K324LI26A3VV", "ap-southeast-4": "Z0312387243XT5FE14WFO", "ap-southeast-5": "Z08660063OXLMA7F1FJHU",
	"ca-central-1": "Z1QDHH18159H29", "ca-west-1": "Z03565811Z33SLEZTHOUL", "cn-north-1": "Z5CN8UMXT92WN",
	"cn-northwest-1": "Z282HJ1KT0DH03", "eu-central-1": "Z21DNDUVLTQW6Q", "eu-central-2": "Z030506016YDQGETNASS",
	"eu-north-1": "Z3BAZG2TWCNX0D", "eu-south-1": "Z30OZKI7KPW7MI", "eu-south-2": "Z0081959F7139GRJC19J",
	"eu-west-1": "Z1BKCTXD74EZPE", "eu-west-2": "Z3GKZC51ZF0DB4", "eu-west-3": "Z3R1K369G5AVDG",
	"il-central-1": "Z09640613K4A3MN55U7GU", "me-central-1": "Z06143092I8HRXZRUZROF", "me-south-1": "Z1MPMWCPA7YB62",
	"sa-east-1": "Z7KQH4QJS55SO", "us-east-1": "Z3AQBSTGFYJSTF", "us-east-2": "Z2O1EMRO9K5GLX",
	"us-gov-east-1": "Z2NIFVYYW2VKV1", "us-gov-west-1": "Z31GFT0UA1I2HV", "us-west-1": "Z2F56UZL2M1ACD",
	"us-west-2": "Z3BJ6K6RIION7M",
}

func bucketKind() *kind {
	return &kind{
		token: tBucket, what: "S3 Bucket", nameKey: "bucket", prefixKey: "bucketPrefix",
		// Source: pulumi-aws provider/resources.go, aws_s3_bucket:
		// tfbridge.AutoNameTransform("bucket", 63, strings.ToLower).
		autoname: &autonameRule{maxlen: 63, lower: true},
		// Source: terraform-provider-aws internal/service/s3/bucket.go, schema:
		// bucket, bucket_prefix and object_lock_enabled are ForceNew.
		replaces: []string{"bucket", "bucketPrefix", "objectLockEnabled"},
		// Source: bucket.go, schema "force_destroy" (Default false).
		defaults: map[string]any{"forceDestroy": false},
		// Source: bucket.go, schema: arn, bucket_domain_name,
		// bucket_regional_domain_name, hosted_zone_id, region Computed;
		// object_lock_enabled, request_payer Optional and Computed; the
		// inline blocks the separate resources replace (cors_rule among them:
		// "Optional: true, Computed: true, Deprecated: Use the
		// aws_s3_bucket_cors_configuration resource instead") too.
		computed: []string{"arn", "bucketDomainName", "bucketRegionalDomainName", "hostedZoneId", "region",
			"objectLockEnabled", "requestPayer", "corsRules"},
		tags: true,
		check: func(c *call, news resource.PropertyMap, f *failures) {
			// Source: bucket.go, schema: bucket StringLenBetween(0, 63) and not a
			// directory bucket name; bucket_prefix StringLenBetween(0, 63 - 26).
			// The other naming rules are checked at create time.
			checkName(f, news, "bucket", 0, 63, nil, "")
			if b := str(news, "bucket"); directoryBucketRE.MatchString(b) {
				f.add("bucket", "invalid value for bucket (must not be in the format [bucket_name]--[azid]--x-s3. Use the aws_s3_directory_bucket resource to manage S3 Express buckets)")
			}
			checkName(f, news, "bucketPrefix", 0, 63-26, nil, "")
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			b := str(ins, "bucket")
			// Source: bucket.go, resourceBucketCreate: validBucketName first
			// ("validating S3 Bucket (%s) name: %s", not an API error).
			if err := validBucketName(b, c.cfg.region); err != nil {
				return "", nil, fmt.Errorf("validating S3 Bucket (%s) name: %w", b, err)
			}
			doing := "creating S3 Bucket (" + b + ")"
			if c.st.get(tBucket, b) != nil {
				// In us-east-1 S3 answers a bucket its owner re-creates with
				// 200 OK, so the provider looks first and refuses itself.
				// Source: bucket.go, resourceBucketCreate ("Special case:
				// us-east-1 does not return error if the bucket already exists",
				// errors.New(errCodeBucketAlreadyExists)); S3 API Reference,
				// CreateBucket, "Errors" (BucketAlreadyOwnedByYou, 409).
				if c.cfg.region == "us-east-1" {
					return "", nil, fmt.Errorf("%s: BucketAlreadyExists", doing)
				}
				return "", nil, awsErr(doing, "S3: CreateBucket", 409, "BucketAlreadyOwnedByYou",
					"Your previous request to create the named bucket succeeded and you already own it.")
			}
			// Source: Amazon S3 User Guide, "General purpose bucket naming
			// rules"; S3 API Reference, "Error responses" (InvalidBucketName,
			// 400, "The specified bucket is not valid.").
			if !s3BucketNameAllowed(b) {
				return "", nil, awsErr(doing, "S3: CreateBucket", 400, "InvalidBucketName", "The specified bucket is not valid.")
			}
			// Source: bucket.go, resourceBucketRead: arn
			// arn:<partition>:s3:::<bucket>; bucket_domain_name
			// PartitionHostname(bucket + ".s3"); bucket_regional_domain_name
			// bucketRegionalDomainName (<bucket>.s3.<region>.<dns suffix>);
			// hosted_zone_id from hostedZoneIDForRegion (left unset, with a
			// warning, for a region it does not know); request_payer from
			// GetBucketRequestPayment (BucketOwner unless changed);
			// object_lock_enabled false without an object lock configuration.
			out := resource.PropertyMap{
				"arn":                      pv(c.cfg.arn("s3", "", "", b)),
				"bucketDomainName":         pv(b + ".s3." + c.cfg.partition.dnsSuffix),
				"bucketRegionalDomainName": pv(b + ".s3." + c.cfg.region + "." + c.cfg.partition.dnsSuffix),
				"region":                   pv(c.cfg.region),
				"objectLockEnabled":        pv(boolv(ins, "objectLockEnabled")),
				"requestPayer":             pv("BucketOwner"),
			}
			if zone := s3HostedZones[c.cfg.region]; zone != "" {
				out["hostedZoneId"] = pv(zone)
			} else {
				out["hostedZoneId"] = resource.NewNullProperty()
			}
			return b, out, nil
		},
		// Source: bucket.go, resourceBucketDelete: DeleteBucket; on
		// BucketNotEmpty with force_destroy, empty the bucket and retry.
		// Source: S3 API Reference, DeleteBucket ("All objects ... must be
		// deleted before the bucket itself can be deleted"; BucketNotEmpty,
		// 409); a bucket's subresources (encryption, public access block,
		// ownership controls, CORS) go with it.
		delete: func(c *call, r *record) error {
			if len(c.st.objects[r.id]) > 0 && !boolv(r.outputs, "forceDestroy") {
				return awsErr("deleting S3 Bucket ("+r.id+")", "S3: DeleteBucket", 409, "BucketNotEmpty",
					"The bucket you tried to delete is not empty")
			}
			delete(c.st.objects, r.id)
			for _, t := range bucketSubresources {
				for _, sub := range c.st.all(t) {
					if str(sub.outputs, "bucket") == r.id {
						c.st.remove(t, sub.id)
					}
				}
			}
			return nil
		},
	}
}
