// Command declgen writes config/keys_gen.go from config/keys.go; run it
// with go generate ./config.
package main

import (
	"fmt"
	"os"

	"github.com/circleci-server-pulumi/installer/config/internal/declgen"
)

func main() {
	src, err := os.ReadFile("keys.go")
	if err == nil {
		var out []byte
		if out, err = declgen.Render(src); err == nil {
			err = os.WriteFile("keys_gen.go", out, 0o644)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "declgen:", err)
		os.Exit(1)
	}
}
