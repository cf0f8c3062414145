//go:build tools

// Package tools pins build-time tools in go.mod: the Pulumi CLI that the
// offline end-to-end suite and the demo build from source.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
