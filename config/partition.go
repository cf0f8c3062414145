package config

import "strings"

// Partition holds what differs between AWS's commercial, GovCloud and China
// partitions: the ARN prefix, EC2's service principal, and the account that
// publishes Canonical's Ubuntu images there.
type Partition struct {
	Name         string // "aws", "aws-us-gov" or "aws-cn"
	EC2Principal string // trusted by the instance role
	// DLMPrincipal is trusted by Data Lifecycle Manager's role: the same in
	// every partition. Source: the China edition of the EC2 User Guide, "IAM
	// service roles" (AWSDataLifecycleManagerDefaultRole "trusts only the
	// dlm.amazonaws.com service"); terraform-provider-aws
	// servicePrincipalNameForPartition (no exception for dlm in aws-cn or
	// aws-us-gov). Assumption: GovCloud, which no AWS page states.
	DLMPrincipal     string
	CanonicalOwnerID string // owner of the Ubuntu AMIs
}

var (
	Commercial = Partition{Name: "aws", EC2Principal: "ec2.amazonaws.com", DLMPrincipal: "dlm.amazonaws.com", CanonicalOwnerID: "099720109477"}
	GovCloud   = Partition{Name: "aws-us-gov", EC2Principal: "ec2.amazonaws.com", DLMPrincipal: "dlm.amazonaws.com", CanonicalOwnerID: "513442679011"}
	// China is the one partition where EC2 keeps a partition-specific principal.
	China = Partition{Name: "aws-cn", EC2Principal: "ec2.amazonaws.com.cn", DLMPrincipal: "dlm.amazonaws.com", CanonicalOwnerID: "837727238323"}
)

// Partition returns the partition the installation lives in. A us-gov-*
// region is GovCloud whether or not enable_govcloud says so; validation
// rejects enable_govcloud with any other region.
func (c *Config) Partition() Partition {
	switch {
	case c.EnableGovCloud || strings.HasPrefix(c.AWSRegion, "us-gov-"):
		return GovCloud
	case strings.HasPrefix(c.AWSRegion, "cn-"):
		return China
	}
	return Commercial
}
