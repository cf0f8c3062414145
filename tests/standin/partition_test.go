package standin_test

import (
	"strings"
	"testing"
)

func TestPartitions(t *testing.T) {
	for _, tc := range []struct {
		region, partition, dnsSuffix, canonicalOwner, otherOwner string
	}{
		{"eu-central-1", "aws", "amazonaws.com", "099720109477", "513442679011"},
		{"us-gov-west-1", "aws-us-gov", "amazonaws.com", "513442679011", "099720109477"},
		{"cn-north-1", "aws-cn", "amazonaws.com.cn", "837727238323", "099720109477"},
	} {
		t.Run(tc.region, func(t *testing.T) {
			h := newHarness(t, tc.region)
			p := "arn:" + tc.partition + ":"

			part, err := h.invoke("aws:index/getPartition:getPartition", nil)
			if err != nil || part["partition"].StringValue() != tc.partition || part["dnsSuffix"].StringValue() != tc.dnsSuffix {
				t.Fatalf("getPartition = %v, %v", part, err)
			}

			q := h.up(tQueue, "queue", map[string]any{"name": "circleci_shutdown_queue"})
			if want := "https://sqs." + tc.region + "." + tc.dnsSuffix + "/123456789012/circleci_shutdown_queue"; q.str("url") != want {
				t.Errorf("url = %s, want %s", q.str("url"), want)
			}
			if want := p + "sqs:" + tc.region + ":123456789012:circleci_shutdown_queue"; q.str("arn") != want {
				t.Errorf("queue arn = %s, want %s", q.str("arn"), want)
			}
			role := h.up(tRole, "role", map[string]any{"name": "circleci_role", "assumeRolePolicy": trustPolicy("ec2.amazonaws.com")})
			if want := p + "iam::123456789012:role/circleci_role"; role.str("arn") != want {
				t.Errorf("role arn = %s, want %s", role.str("arn"), want)
			}
			b := h.up(tBucket, "bucket", map[string]any{"bucket": "circleci-bucket"})
			if b.str("arn") != p+"s3:::circleci-bucket" || !strings.HasSuffix(b.str("bucketRegionalDomainName"), tc.region+"."+tc.dnsSuffix) {
				t.Errorf("bucket arn %s, domain %s", b.str("arn"), b.str("bucketRegionalDomainName"))
			}
			sg := h.sg("services")
			if !strings.HasPrefix(sg.str("arn"), p+"ec2:"+tc.region+":123456789012:security-group/sg-") {
				t.Errorf("sg arn = %s", sg.str("arn"))
			}
			h.up(tPolicy, "policy", map[string]any{"role": "circleci_role", "name": "circleci_policy",
				"policy": allowPolicy("sqs:*", q.str("arn"))})

			// A policy naming another partition is refused, as IAM does.
			wrongARN := "arn:aws:s3:::circleci-bucket"
			if tc.partition == "aws" {
				wrongARN = "arn:aws-cn:s3:::circleci-bucket"
			}
			_, err = h.tryUp(tPolicy, "wrong", map[string]any{"role": "circleci_role", "name": "wrong",
				"policy": allowPolicy("s3:*", wrongARN)})
			wantErr(t, err, "MalformedPolicyDocument", "is not valid for resource")

			// Canonical's images live under Canonical's account of the partition.
			img, err := h.invoke("aws:ec2/getAmi:getAmi", map[string]any{
				"owners": []string{tc.canonicalOwner}, "mostRecent": true, "includeDeprecated": true,
				"filters": []any{map[string]any{"name": "name", "values": []string{"ubuntu/images/hvm-ssd/ubuntu-xenial-16.04-amd64-server-*"}}},
			})
			if err != nil || img["ownerId"].StringValue() != tc.canonicalOwner || !strings.HasPrefix(img["arn"].StringValue(), p+"ec2:") {
				t.Fatalf("getAmi = %v, %v", img, err)
			}
			_, err = h.invoke("aws:ec2/getAmi:getAmi", map[string]any{
				"owners": []string{tc.otherOwner}, "mostRecent": true, "includeDeprecated": true,
			})
			wantErr(t, err, "Your query returned no results")

			for _, arn := range h.srv.ARNs() {
				if !strings.HasPrefix(arn, p) && arn != wrongARN {
					t.Errorf("ARN %s outside %s", arn, tc.partition)
				}
			}
			if len(h.srv.ARNs()) == 0 {
				t.Error("no ARNs recorded")
			}
		})
	}
}

func TestARNsSeen(t *testing.T) {
	h := newHarness(t, "us-gov-west-1")
	h.up(tRole, "role", map[string]any{"name": "r", "assumeRolePolicy": trustPolicy("ec2.amazonaws.com")})
	h.up(tPolicy, "policy", map[string]any{"role": "r", "name": "p",
		"policy": allowPolicy("s3:*", "arn:aws-us-gov:s3:::bucket/*")})
	if _, err := h.invoke("aws:index/getCallerIdentity:getCallerIdentity", nil); err != nil {
		t.Fatal(err)
	}
	got := strings.Join(h.srv.ARNs(), " ")
	for _, want := range []string{"arn:aws-us-gov:s3:::bucket/*", "arn:aws-us-gov:iam::123456789012:user/standin"} {
		if !strings.Contains(got, want) {
			t.Errorf("ARNs %s lack %s", got, want)
		}
	}
}
