// Command circleci-server installs CircleCI Server 2.19 on AWS: what
// CircleCI's Terraform installer (enterprise-setup) did, as a Pulumi program.
//
// It reads the stack configuration (see Pulumi.yaml), validates all of it
// before creating anything, and wires the components in components/.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/circleci-server-pulumi/installer/installer"
)

func main() {
	pulumi.Run(installer.Run)
}
