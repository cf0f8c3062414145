package components

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ArtifactStoreArgs configures the bucket for artifacts, caches, workspaces
// and test results.
type ArtifactStoreArgs struct {
	BucketName   string
	ForceDestroy bool
}

// ArtifactStore is the S3 bucket CircleCI keeps artifacts, caches and
// workspaces in: encrypted at rest, never public, owned by the account.
type ArtifactStore struct {
	pulumi.ResourceState

	BucketName pulumi.StringOutput
	BucketARN  pulumi.StringOutput
}

// NewArtifactStore creates the bucket and its settings.
func NewArtifactStore(ctx *pulumi.Context, name string, args ArtifactStoreArgs, opts ...pulumi.ResourceOption) (*ArtifactStore, error) {
	c := &ArtifactStore{}
	if err := ctx.RegisterComponentResource("circleci-server:aws:ArtifactStore", name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)

	bucket, err := s3.NewBucketV2(ctx, name+"-bucket", &s3.BucketV2Args{
		Bucket: pulumi.String(args.BucketName),
		// false (the default) makes `pulumi destroy` stop at a non-empty
		// bucket instead of deleting a team's artifacts.
		ForceDestroy: pulumi.Bool(args.ForceDestroy),
	}, parent)
	if err != nil {
		return nil, err
	}
	child := []pulumi.ResourceOption{parent, pulumi.DependsOn([]pulumi.Resource{bucket})}

	if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, name+"-encryption", &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{
			&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
				ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
					SseAlgorithm: pulumi.String("AES256"),
				},
			},
		},
	}, child...); err != nil {
		return nil, err
	}
	if _, err := s3.NewBucketPublicAccessBlock(ctx, name+"-public-access-block", &s3.BucketPublicAccessBlockArgs{
		Bucket:                bucket.ID(),
		BlockPublicAcls:       pulumi.Bool(true),
		BlockPublicPolicy:     pulumi.Bool(true),
		IgnorePublicAcls:      pulumi.Bool(true),
		RestrictPublicBuckets: pulumi.Bool(true),
	}, child...); err != nil {
		return nil, err
	}
	if _, err := s3.NewBucketOwnershipControls(ctx, name+"-ownership", &s3.BucketOwnershipControlsArgs{
		Bucket: bucket.ID(),
		Rule: &s3.BucketOwnershipControlsRuleArgs{
			ObjectOwnership: pulumi.String("BucketOwnerEnforced"),
		},
	}, child...); err != nil {
		return nil, err
	}
	// Browsers fetch artifacts straight from S3 with pre-signed URLs.
	if _, err := s3.NewBucketCorsConfigurationV2(ctx, name+"-cors", &s3.BucketCorsConfigurationV2Args{
		Bucket: bucket.ID(),
		CorsRules: s3.BucketCorsConfigurationV2CorsRuleArray{
			&s3.BucketCorsConfigurationV2CorsRuleArgs{
				AllowedMethods: pulumi.StringArray{pulumi.String("GET")},
				AllowedOrigins: pulumi.StringArray{pulumi.String("*")},
				MaxAgeSeconds:  pulumi.Int(3600),
			},
		},
	}, child...); err != nil {
		return nil, err
	}

	c.BucketName = bucket.Bucket
	c.BucketARN = bucket.Arn
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"bucketName": c.BucketName,
		"bucketArn":  c.BucketARN,
	})
}
