package components

import (
	"encoding/base64"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Instance plumbing shared by the services box and the fleets.

// InstanceSettings are the settings every instance of the installation shares.
type InstanceSettings struct {
	KeyName        string
	IMDSHTTPTokens string // "optional" or "required"
	VolumeType     string
}

// Image is an AMI and the device its root volume is on.
type Image struct {
	ID             string
	RootDeviceName string
}

// Metadata hop limits: 2 lets containers on a host (Replicated's services
// on the services box) reach the metadata service through Docker's bridge;
// 1 keeps it to the host itself.
const (
	hopsForContainers = 2
	hopsForHostOnly   = 1
)

// base64Output encodes a boot script as EC2's user data fields expect.
func base64Output(script pulumi.StringInput) pulumi.StringOutput {
	return script.ToStringOutput().ApplyT(func(s string) string {
		return base64.StdEncoding.EncodeToString([]byte(s))
	}).(pulumi.StringOutput)
}
