package preflight

import (
	"fmt"
	"strings"
)

// sizeLadder is EC2's standard size ladder. Families share it, and within
// a general-purpose, compute or memory family the memory per vCPU is the
// same at every size, which is what SuggestInstanceType relies on instead of
// a hand-kept catalogue of instance types.
var sizeLadder = []struct {
	size  string
	vcpus int
}{
	{"large", 2}, {"xlarge", 4}, {"2xlarge", 8}, {"4xlarge", 16},
	{"8xlarge", 32}, {"12xlarge", 48}, {"16xlarge", 64}, {"24xlarge", 96},
}

// SuggestInstanceType keeps the family of current (m5 of m5.2xlarge) and
// returns the smallest size on the standard ladder that has at least
// minVCPUs and, at the family's memory per vCPU as current shows it,
// minMemoryMiB: e.g. "m5.8xlarge" for 16 vCPUs and 128 GiB from an
// m5.2xlarge. It returns "" when nothing on the ladder fits or current does
// not say enough. The result is a suggestion by ratio: not every family has
// every size (t3 stops at 2xlarge), so the caller's messages say so.
func SuggestInstanceType(current InstanceType, minVCPUs, minMemoryMiB int) string {
	family, _, ok := strings.Cut(current.Name, ".")
	if !ok || family == "" || current.VCPUs <= 0 || current.MemoryMiB <= 0 {
		return ""
	}
	perVCPU := float64(current.MemoryMiB) / float64(current.VCPUs)
	for _, s := range sizeLadder {
		if s.vcpus >= minVCPUs && float64(s.vcpus)*perVCPU >= float64(minMemoryMiB) {
			return family + "." + s.size
		}
	}
	return ""
}

// guideType is the instance type the guide recommends for both the services
// machine and the Nomad clients ("m5.2xlarge (8 vCPUs @ 2.4GHz, 32GB
// RAM)"; its Planning section says m4.2xlarge, the same size).
var guideType = InstanceType{Name: "m5.2xlarge", VCPUs: 8, MemoryMiB: 32768, Architectures: []string{"x86_64"}}

// instanceFix is the fix for an instance type that is too small: a
// suggestion in the current family (when that family is x86_64) and the
// guide's m5.2xlarge when it is big enough.
func instanceFix(key string, cur InstanceType, minVCPUs, minMiB int) string {
	need := fmt.Sprintf("x86_64 type with at least %d vCPUs and %s", minVCPUs, gib(float64(minMiB)))
	var opts []string
	if s := SuggestInstanceType(cur, minVCPUs, minMiB); s != "" && archOf(cur) != archOther {
		family, _, _ := strings.Cut(cur.Name, ".")
		opts = append(opts, fmt.Sprintf("%s (a suggestion by the %s family's %s per vCPU; check that size exists)",
			s, family, gib(float64(cur.MemoryMiB)/float64(cur.VCPUs))))
	}
	if guideType.VCPUs >= minVCPUs && guideType.MemoryMiB >= minMiB && !strings.HasPrefix(strings.Join(opts, ""), guideType.Name+" ") {
		opts = append(opts, guideType.Name+" (the guide's recommendation)")
	}
	if len(opts) == 0 {
		return fmt.Sprintf("pulumi config set %s <an %s>", key, need)
	}
	return fmt.Sprintf("pulumi config set %s %s; any %s will do", key, strings.Join(opts, ", or "), need)
}

type arch int

const (
	archUnknown arch = iota // AWS listed no architecture
	archX86                 // x86_64 is among them
	archOther               // only others, e.g. arm64
)

func archOf(t InstanceType) arch {
	if len(t.Architectures) == 0 {
		return archUnknown
	}
	for _, a := range t.Architectures {
		if a == "x86_64" {
			return archX86
		}
	}
	return archOther
}
