package standin

import "github.com/pulumi/pulumi/sdk/v3/go/common/resource"

const tBucket = "aws:s3/bucketV2:BucketV2"

func init() {
	register(bucketKind())
}

var s3HostedZones = map[string]string{
	"us-east-1": "Z3AQBSTGFYJSTF", "us-west-2": "Z3BJ6K6RIION7M", "eu-west-1": "Z1BKCTXD74EZPE",
	"eu-central-1": "Z21DNDUVLTQW6Q", "us-gov-west-1": "Z31GFT0UA1I2HV", "us-gov-east-1": "Z2NIFVYYW2VKV1",
	"cn-north-1": "Z5LXEXXYW11ES", "cn-northwest-1": "Z282HJ1KT0DH03",
}

func bucketKind() *kind {
	return &kind{
		token: tBucket, what: "S3 Bucket", nameKey: "bucket",
		replaces: []string{"bucket", "bucketPrefix", "objectLockEnabled"},
		defaults: map[string]any{"forceDestroy": false},
		computed: []string{"arn", "bucketDomainName", "bucketRegionalDomainName", "hostedZoneId", "region"},
		tags:     true,
		check: func(c *call, news resource.PropertyMap, f *failures) {
			checkBucketName(f, news, "bucket")
			checkTags(f, news)
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			b := str(ins, "bucket")
			if c.st.get(tBucket, b) != nil {
				return "", nil, awsErr("creating S3 Bucket ("+b+")", "S3: CreateBucket", 409, "BucketAlreadyOwnedByYou",
					"Your previous request to create the named bucket succeeded and you already own it.")
			}
			zone := s3HostedZones[c.cfg.region]
			if zone == "" {
				zone = "Z3AQBSTGFYJSTF"
			}
			return b, resource.PropertyMap{
				"arn":                      pv(c.cfg.arn("s3", "", "", b)),
				"bucketDomainName":         pv(b + ".s3." + c.cfg.partition.dnsSuffix),
				"bucketRegionalDomainName": pv(b + ".s3." + c.cfg.region + "." + c.cfg.partition.dnsSuffix),
				"hostedZoneId":             pv(zone),
				"region":                   pv(c.cfg.region),
				"objectLockEnabled":        pv(false),
				"requestPayer":             pv("BucketOwner"),
			}, nil
		},
		delete: func(c *call, r *record) error {
			if len(c.st.objects[r.id]) > 0 && !boolv(r.outputs, "forceDestroy") {
				return awsErr("deleting S3 Bucket ("+r.id+")", "S3: DeleteBucket", 409, "BucketNotEmpty",
					"The bucket you tried to delete is not empty")
			}
			delete(c.st.objects, r.id)
			// Its configuration goes with it.
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
