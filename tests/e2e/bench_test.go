package e2e

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/circleci-server-pulumi/installer/internal/offline"
)

// BenchmarkDevStack times preview, up and destroy of the example stack
// through the engine, offline. scripts/bench.sh runs it once.
func BenchmarkDevStack(b *testing.B) {
	ctx := context.Background()
	var preview, up, destroy time.Duration
	for i := 0; i < b.N; i++ {
		// Allowed from the start, so that destroy measures only itself.
		env, err := offline.New(ctx, b.TempDir(), offline.Options{Stack: "dev", Config: map[string]string{"services_allow_replacement": "true"}})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if _, err := env.Preview(ctx, io.Discard); err != nil {
			b.Fatal(err)
		}
		preview += time.Since(start)
		start = time.Now()
		if _, err := env.Up(ctx, io.Discard); err != nil {
			b.Fatal(err)
		}
		up += time.Since(start)
		start = time.Now()
		if _, err := env.Destroy(ctx, io.Discard); err != nil {
			b.Fatal(err)
		}
		destroy += time.Since(start)
		env.Close()
	}
	n := float64(b.N)
	b.ReportMetric(preview.Seconds()/n, "preview-s/op")
	b.ReportMetric(up.Seconds()/n, "up-s/op")
	b.ReportMetric(destroy.Seconds()/n, "destroy-s/op")
}
