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

// setting is what differs between the four bucket settings.
type setting struct {
	token, what string
	// created and updated are the provider's messages, with %s for the
	// bucket (or the resource id).
	created, updated string
	op               string // the S3 operation: "PutBucketEncryption"
	// owned: the resource has expected_bucket_owner, which joins its id.
	owned    bool
	defaults map[string]any
	check    func(c *call, news resource.PropertyMap, f *failures)
	validate func(c *call, doing string, ins resource.PropertyMap) error
}

func init() {
	register(bucketSubresource(setting{
		token: tBucketSSE, what: "S3 Bucket Server-side Encryption Configuration", op: "PutBucketEncryption", owned: true,
		// Source: terraform-provider-aws
		// internal/service/s3/bucket_server_side_encryption_configuration.go,
		// resourceBucketServerSideEncryptionConfigurationCreate and Update.
		created: "creating S3 Bucket (%s) Server-side Encryption Configuration",
		updated: "updating S3 Bucket Server-side Encryption Configuration (%s)",
		check: func(c *call, news resource.PropertyMap, f *failures) {
			required(f, news, "bucket", "rules")
			// Source: bucket_server_side_encryption_configuration.go, schema:
			// bucket StringLenBetween(1, 63); sse_algorithm
			// enum.Validate[types.ServerSideEncryption].
			checkName(f, news, "bucket", 1, 63, nil, "")
			for _, r := range objs(news, "rules") {
				oneOf(f, r, "rule.apply_server_side_encryption_by_default.sse_algorithm",
					[]string{"applyServerSideEncryptionByDefault", "sseAlgorithm"}, "AES256", "aws:kms", "aws:kms:dsse")
			}
		},
		// Source: S3 API Reference, ServerSideEncryptionByDefault
		// ("KMSMasterKeyID ... can only be used when you set the value of
		// SSEAlgorithm as aws:kms or aws:kms:dsse").
		// Assumption: the InvalidArgument message, as S3 words it.
		validate: func(c *call, doing string, ins resource.PropertyMap) error {
			for _, r := range objs(ins, "rules") {
				alg := str(r, "applyServerSideEncryptionByDefault", "sseAlgorithm")
				if has(r, "applyServerSideEncryptionByDefault", "kmsMasterKeyId") && !strings.HasPrefix(alg, "aws:kms") {
					return awsErr(doing, "S3: PutBucketEncryption", 400, "InvalidArgument",
						"a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse")
				}
			}
			return nil
		},
	}))
	register(bucketSubresource(setting{
		token: tBucketPAB, what: "S3 Bucket Public Access Block", op: "PutPublicAccessBlock",
		// Source: internal/service/s3/bucket_public_access_block.go,
		// resourceBucketPublicAccessBlockCreate and Update.
		created: "creating S3 Bucket (%s) Public Access Block",
		updated: "updating S3 Bucket Public Access Block (%s)",
		// Source: bucket_public_access_block.go, schema: the four settings
		// default to false.
		defaults: map[string]any{"blockPublicAcls": false, "blockPublicPolicy": false,
			"ignorePublicAcls": false, "restrictPublicBuckets": false},
		check: func(c *call, news resource.PropertyMap, f *failures) { required(f, news, "bucket") },
	}))
	register(bucketSubresource(setting{
		token: tBucketOwnership, what: "S3 Bucket Ownership Controls", op: "PutBucketOwnershipControls",
		// Source: internal/service/s3/bucket_ownership_controls.go,
		// resourceBucketOwnershipControlsCreate and Update.
		created: "creating S3 Bucket (%s) Ownership Controls",
		updated: "updating S3 Bucket Ownership Controls (%s)",
		check: func(c *call, news resource.PropertyMap, f *failures) {
			required(f, news, "bucket", "rule")
			// Source: bucket_ownership_controls.go, schema: object_ownership
			// enum.Validate[types.ObjectOwnership].
			oneOf(f, news, "rule.object_ownership", []string{"rule", "objectOwnership"},
				"BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced")
		},
	}))
	register(bucketSubresource(setting{
		token: tBucketCors, what: "S3 Bucket CORS Configuration", op: "PutBucketCors", owned: true,
		// Source: internal/service/s3/bucket_cors_configuration.go,
		// resourceBucketCorsConfigurationCreate and Update.
		created: "creating S3 Bucket (%s) CORS Configuration",
		updated: "updating S3 Bucket CORS Configuration (%s)",
		check: func(c *call, news resource.PropertyMap, f *failures) {
			required(f, news, "bucket", "corsRules")
			checkName(f, news, "bucket", 1, 63, nil, "")
			rules := objs(news, "corsRules")
			// Source: bucket_cors_configuration.go, schema "cors_rule"
			// (MaxItems 100; allowed_methods and allowed_origins Required);
			// terraform-plugin-sdk helper/schema/schema.go, validateList
			// ("Attribute supports %d item maximum, config has %d declared").
			if len(rules) > 100 {
				f.add("corsRules", "Attribute supports 100 item maximum, config has %d declared", len(rules))
			}
			for _, r := range rules {
				if !has(r, "allowedMethods") || !has(r, "allowedOrigins") {
					f.add("corsRules", "a CORS rule needs allowed_methods and allowed_origins")
				}
			}
		},
		// Source: Amazon S3 User Guide, "Elements of a CORS configuration"
		// (AllowedMethod: GET, PUT, POST, DELETE, HEAD).
		// Assumption: the InvalidRequest message, as S3 words it.
		validate: func(c *call, doing string, ins resource.PropertyMap) error {
			for _, r := range objs(ins, "corsRules") {
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
		},
	}))
}

// bucketSubresource is a configuration of a bucket, whose id is the
// bucket's (with the expected owner, for the settings that have one).
func bucketSubresource(s setting) *kind {
	apply := func(c *call, doing string, ins resource.PropertyMap) error {
		// Source: the settings' Create (RetryWhenAWSErrCodeEquals
		// errCodeNoSuchBucket, then the error); S3 API Reference, "Error
		// responses" (NoSuchBucket, 404).
		if b := str(ins, "bucket"); c.st.get(tBucket, b) == nil {
			return awsErr(doing, "S3: "+s.op, 404, "NoSuchBucket", "The specified bucket does not exist")
		}
		// Source: Amazon S3 User Guide, "Verifying bucket ownership with
		// bucket owner condition" (a mismatched x-amz-expected-bucket-owner
		// is 403 Access Denied).
		if owner := str(ins, "expectedBucketOwner"); owner != "" && owner != Account {
			return awsErr(doing, "S3: "+s.op, 403, "AccessDenied", "Access Denied")
		}
		if s.validate != nil {
			return s.validate(c, doing, ins)
		}
		return nil
	}
	// Source: the settings' schemas: bucket is ForceNew, and so is
	// expected_bucket_owner where there is one.
	replaces := []string{"bucket"}
	if s.owned {
		replaces = append(replaces, "expectedBucketOwner")
	}
	return &kind{
		token: s.token, what: s.what,
		replaces: replaces,
		defaults: s.defaults,
		check: func(c *call, news resource.PropertyMap, f *failures) {
			s.check(c, news, f)
			if s.owned {
				checkAccountID(f, news, "expectedBucketOwner")
			}
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			// Source: the settings' Create: d.SetId(createResourceID(bucket,
			// expectedBucketOwner)), "bucket,owner" with an owner; or
			// d.SetId(bucket).
			b := str(ins, "bucket")
			id := b
			if owner := str(ins, "expectedBucketOwner"); s.owned && owner != "" {
				id += "," + owner
			}
			if err := apply(c, strings.Replace(s.created, "%s", b, 1), ins); err != nil {
				return "", nil, err
			}
			return id, nil, nil
		},
		update: func(c *call, old *record, ins resource.PropertyMap) (resource.PropertyMap, error) {
			return nil, apply(c, strings.Replace(s.updated, "%s", old.id, 1), ins)
		},
	}
}
