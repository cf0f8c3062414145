package standin

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const (
	tBucket          = "aws:s3/bucketV2:BucketV2"
	tBucketSSE       = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	tBucketPAB       = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	tBucketOwnership = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
	tBucketCors      = "aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2"
)

var bucketSubresources = []string{tBucketSSE, tBucketPAB, tBucketOwnership, tBucketCors}

func init() {
	register(bucketKind())
	register(bucketSubresource(tBucketSSE, "S3 Bucket Server-side Encryption Configuration", "PutBucketEncryption",
		func(c *call, news resource.PropertyMap, f *failures) {
			required(f, news, "bucket", "rules")
			for _, r := range objs(news, "rules") {
				oneOf(f, r, "rule.apply_server_side_encryption_by_default.sse_algorithm",
					[]string{"applyServerSideEncryptionByDefault", "sseAlgorithm"}, "AES256", "aws:kms", "aws:kms:dsse")
			}
		},
		func(c *call, doing string, ins resource.PropertyMap) error {
			for _, r := range objs(ins, "rules") {
				alg := str(r, "applyServerSideEncryptionByDefault", "sseAlgorithm")
				if has(r, "applyServerSideEncryptionByDefault", "kmsMasterKeyId") && !strings.HasPrefix(alg, "aws:kms") {
					return awsErr(doing, "S3: PutBucketEncryption", 400, "InvalidArgument",
						"a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse")
				}
			}
			return nil
		}))
	register(bucketSubresource(tBucketPAB, "S3 Bucket Public Access Block", "PutPublicAccessBlock",
		func(c *call, news resource.PropertyMap, f *failures) { required(f, news, "bucket") }, nil))
	register(bucketSubresource(tBucketOwnership, "S3 Bucket Ownership Controls", "PutBucketOwnershipControls",
		func(c *call, news resource.PropertyMap, f *failures) {
			required(f, news, "bucket", "rule")
			oneOf(f, news, "rule.object_ownership", []string{"rule", "objectOwnership"},
				"BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced")
		}, nil))
	register(bucketSubresource(tBucketCors, "S3 Bucket CORS Configuration", "PutBucketCors",
		func(c *call, news resource.PropertyMap, f *failures) {
			required(f, news, "bucket", "corsRules")
			for _, r := range objs(news, "corsRules") {
				if !has(r, "allowedMethods") || !has(r, "allowedOrigins") {
					f.add("corsRules", "a CORS rule needs allowed_methods and allowed_origins")
				}
			}
		},
		func(c *call, doing string, ins resource.PropertyMap) error {
			rules := objs(ins, "corsRules")
			if len(rules) > 100 {
				return awsErr(doing, "S3: PutBucketCors", 400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema")
			}
			for _, r := range rules {
				for _, m := range strs(r, "allowedMethods") {
					switch m {
					case "GET", "PUT", "HEAD", "POST", "DELETE":
					default:
						return awsErr(doing, "S3: PutBucketCors", 400, "InvalidRequest",
							"Found unsupported HTTP method in CORS config. Unsupported method is %s", m)
					}
				}
			}
			return nil
		}))
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

// bucketSubresource is a configuration of a bucket, whose id is the bucket's.
func bucketSubresource(token, what, op string, check func(*call, resource.PropertyMap, *failures),
	validate func(c *call, doing string, ins resource.PropertyMap) error,
) *kind {
	apply := func(c *call, doing string, ins resource.PropertyMap) error {
		if b := str(ins, "bucket"); c.st.get(tBucket, b) == nil {
			return awsErr(doing, "S3: "+op, 404, "NoSuchBucket", "The specified bucket does not exist")
		}
		if owner := str(ins, "expectedBucketOwner"); owner != "" && owner != Account {
			return awsErr(doing, "S3: "+op, 403, "AccessDenied", "Access Denied")
		}
		if validate != nil {
			return validate(c, doing, ins)
		}
		return nil
	}
	return &kind{
		token: token, what: what,
		replaces: []string{"bucket", "expectedBucketOwner"},
		check:    check,
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			id := str(ins, "bucket")
			if owner := str(ins, "expectedBucketOwner"); owner != "" {
				id += "," + owner
			}
			return id, nil, apply(c, "creating "+what+" ("+id+")", ins)
		},
		update: func(c *call, old *record, ins resource.PropertyMap) (resource.PropertyMap, error) {
			return nil, apply(c, "updating "+what+" ("+old.id+")", ins)
		},
	}
}
