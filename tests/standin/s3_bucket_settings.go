package standin

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// The four bucket settings (server-side encryption, public access block,
// ownership controls, CORS) are made by one constructor, bucketSubresource,
// so all four live in this file.

const (
	tBucketSSE       = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	tBucketPAB       = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	tBucketOwnership = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
	tBucketCors      = "aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2"
)

var bucketSubresources = []string{tBucketSSE, tBucketPAB, tBucketOwnership, tBucketCors}

func init() {
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
