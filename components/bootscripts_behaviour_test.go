package components

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// shellLib is the shell library every boot script starts with, as rendered.
func shellLib(t *testing.T) string {
	t.Helper()
	var b bytes.Buffer
	if err := scripts.ExecuteTemplate(&b, "shell-lib", NomadClientScript{}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// sandbox runs shell code with stub commands first on PATH. Each stub is a
// shell body; every call is logged to $STUB_LOG as "name args...". Nothing
// sleeps, nothing reaches the network, and bash's own timeout bounds it.
type sandbox struct {
	t     *testing.T
	dir   string
	stubs map[string]string
}

func newSandbox(t *testing.T, stubs map[string]string) *sandbox {
	t.Helper()
	s := &sandbox{t: t, dir: t.TempDir(), stubs: map[string]string{
		"sleep":     "exit 0",
		"systemctl": "exit 0",
	}}
	for k, v := range stubs {
		s.stubs[k] = v
	}
	bin := filepath.Join(s.dir, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range s.stubs {
		script := "#!/bin/bash\necho \"" + name + " $*\" >> \"$STUB_LOG\"\n" + body + "\n"
		if err := os.WriteFile(filepath.Join(bin, name), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// run runs code under the boot scripts' own shell options; it returns the
// output, the stub log and whether it succeeded.
func (s *sandbox) run(code string) (out, log string, ok bool) {
	s.t.Helper()
	logFile := filepath.Join(s.dir, "calls.log")
	_ = os.WriteFile(logFile, nil, 0o644)
	cmd := exec.Command("timeout", "20", "bash", "-c", "set -euo pipefail\n"+code)
	cmd.Dir = s.dir
	cmd.Env = []string{
		"PATH=" + filepath.Join(s.dir, "bin") + ":/usr/bin:/bin",
		"STUB_LOG=" + logFile, "STATE=" + s.dir,
		"retry_delay=1", "dpkg_lock_wait=30", "dpkg_lock_poll=5",
	}
	b, err := cmd.CombinedOutput()
	l, _ := os.ReadFile(logFile)
	return string(b), string(l), err == nil
}

func count(log, prefix string) int {
	n := 0
	for _, line := range strings.Split(log, "\n") {
		if strings.HasPrefix(line, prefix) {
			n++
		}
	}
	return n
}

// counterStub runs first for the first n calls, then after.
func counterStub(name string, n int, first, after string) string {
	return `c="$STATE/` + name + `.count"; k=$(( $(cat "$c" 2>/dev/null || echo 0) + 1 )); echo "$k" > "$c"
if [ "$k" -le ` + strconv.Itoa(n) + ` ]; then ` + first + `; fi
` + after
}

// At first boot the apt-daily timers hold the dpkg lock: apt waits for it,
// bounded, then runs without asking about configuration files.
func TestShellLib_AptWaitsForTheDpkgLock(t *testing.T) {
	lib := shellLib(t)
	cases := []struct {
		name       string
		fuser      string // stub: exit 0 = the lock is held
		aptGet     string
		ok         bool
		fusers     int // calls to fuser
		aptGets    int // calls to apt-get
		outputSays string
	}{
		{"lock free", "exit 1", "exit 0", true, 1, 1, ""},
		{"lock held for three polls", counterStub("fuser", 3, "exit 0", "exit 1"), "exit 0", true, 4, 1, ""},
		// Held for good: each of the 5 attempts waits 30 s (6 polls, 7 looks), then apt gives up.
		{"lock never released", "exit 0", "exit 0", false, 35, 0, "dpkg is still locked after 30 s"},
		{"apt-get loses the race twice", "exit 1",
			counterStub("apt-get", 2, `echo "E: Could not get lock /var/lib/dpkg/lock" >&2; exit 100`, "exit 0"), true, 3, 3, "attempt 2 of 5 failed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSandbox(t, map[string]string{"fuser": c.fuser, "apt-get": c.aptGet})
			out, log, ok := s.run(lib + "\napt_get install docker-ce\n")
			if ok != c.ok {
				t.Fatalf("expected success %v, found %v:\n%s", c.ok, ok, out)
			}
			if n := count(log, "fuser "); n != c.fusers {
				t.Errorf("expected %d looks at the lock, found %d", c.fusers, n)
			}
			if n := count(log, "apt-get "); n != c.aptGets {
				t.Errorf("expected %d apt-get runs, found %d", c.aptGets, n)
			}
			if c.aptGets > 0 && !strings.Contains(log, "apt-get -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold install docker-ce") {
				t.Errorf("apt-get did not run non-interactively; calls:\n%s", log)
			}
			if c.outputSays != "" && !strings.Contains(out, c.outputSays) {
				t.Errorf("expected the output to say %q:\n%s", c.outputSays, out)
			}
			if !strings.Contains(log, "systemctl stop apt-daily.timer apt-daily-upgrade.timer") {
				t.Error("the apt-daily timers are not stopped")
			}
		})
	}
}

// Network fetches are retried a bounded number of times.
func TestShellLib_RetryIsBounded(t *testing.T) {
	lib := shellLib(t)
	cases := []struct {
		name  string
		curl  string
		ok    bool
		calls int
	}{
		{"fetch works", "exit 0", true, 1},
		{"fails four times", counterStub("curl", 4, "exit 7", "exit 0"), true, 5},
		{"always fails", "exit 7", false, 5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSandbox(t, map[string]string{"curl": c.curl})
			out, log, ok := s.run(lib + "\nretry 5 curl -fsSL -o /dev/null https://example.invalid/x\n")
			if ok != c.ok || count(log, "curl ") != c.calls {
				t.Errorf("expected success %v after %d calls, found %v after %d:\n%s", c.ok, c.calls, ok, count(log, "curl "), out)
			}
		})
	}
}

// A kernel-extras package the archive lacks does not stop the script.
func TestShellLib_MissingKernelExtrasDoNotStopTheScript(t *testing.T) {
	s := newSandbox(t, map[string]string{
		"fuser":     "exit 1",
		"apt-get":   "exit 0",
		"apt-cache": `case "$2" in linux-image-extra-virtual) exit 0;; *) exit 100;; esac`,
		"uname":     "echo 4.4.0-1128-aws",
	})
	out, log, ok := s.run(shellLib(t) + "\napt_install_if_available \"linux-image-extra-$(uname -r)\" linux-image-extra-virtual\necho reached the end\n")
	if !ok || !strings.Contains(out, "reached the end") {
		t.Fatalf("the script stopped:\n%s", out)
	}
	if !strings.Contains(out, "no package linux-image-extra-4.4.0-1128-aws for this kernel") {
		t.Errorf("the missing package is not reported:\n%s", out)
	}
	if strings.Contains(log, "install linux-image-extra-4.4.0-1128-aws") || !strings.Contains(log, "install linux-image-extra-virtual") {
		t.Errorf("expected only linux-image-extra-virtual installed; calls:\n%s", log)
	}
}

// iptablesStub keeps the FORWARD chain in $STATE/forward, one rule a line,
// and answers -C, -D and -I FORWARD 1 as iptables does.
const iptablesStub = `f="$STATE/forward"; touch "$f"
op="$1"; chain="$2"; shift 2
[ "$chain" = FORWARD ] || exit 2
case "$op" in
  -C) grep -qxF -- "$*" "$f" ;;
  -D) n=$(grep -nxF -- "$*" "$f" | head -n1 | cut -d: -f1); [ -n "$n" ] || exit 1; sed -i "${n}d" "$f" ;;
  -I) [ "$1" = 1 ] && shift; { echo "$*"; cat "$f"; } > "$f.new" && mv "$f.new" "$f" ;;
  *) exit 2 ;;
esac`

// The 1.0 builders' rules that keep build containers from the metadata
// service come first in FORWARD after Docker (re)writes the chain and after
// a reboot empties it, without piling up duplicates.
func TestBuilderScript_BlockRulesSurviveDockerRestartsAndReboots(t *testing.T) {
	script := renderedScripts(t)["builder.sh"]
	m := regexp.MustCompile(`(?s)cat <<'EOT' > /usr/local/sbin/circleci-block-builds\n(.*?)\nEOT\n`).FindStringSubmatch(script)
	if m == nil {
		t.Fatal("builder.sh does not write /usr/local/sbin/circleci-block-builds")
	}
	unit := regexp.MustCompile(`(?s)cat <<'EOT' > /etc/systemd/system/circleci-block-builds.service\n(.*?)\nEOT\n`).FindStringSubmatch(script)
	if unit == nil {
		t.Fatal("builder.sh does not write the circleci-block-builds unit")
	}
	for _, want := range []string{"After=docker.service", "PartOf=docker.service", "WantedBy=docker.service", "RemainAfterExit=yes",
		"ExecStart=/usr/local/sbin/circleci-block-builds 10.0.1.10"} {
		if !strings.Contains(unit[1], want) {
			t.Errorf("the unit lacks %q: it would not run after every Docker start", want)
		}
	}
	if !strings.Contains(script, "systemctl enable circleci-block-builds.service") {
		t.Error("the unit is not enabled, so a reboot loses the rules")
	}
	s := newSandbox(t, map[string]string{"iptables": iptablesStub})
	if err := os.WriteFile(filepath.Join(s.dir, "block"), []byte(m[1]), 0o755); err != nil {
		t.Fatal(err)
	}
	ours := []string{
		"-d 10.0.1.10 -p tcp -i circle0 -m multiport ! --dports 80,443 -j DROP",
		"-d 169.254.169.254 -p tcp -i circle0 -j DROP",
		"-d 10.0.1.10 -p tcp -i docker0 -m multiport ! --dports 80,443 -j DROP",
		"-d 169.254.169.254 -p tcp -i docker0 -j DROP",
	}
	forward := func() []string {
		b, _ := os.ReadFile(filepath.Join(s.dir, "forward"))
		return strings.Split(strings.TrimSpace(string(b)), "\n")
	}
	check := func(when string) {
		t.Helper()
		got := forward()
		if len(got) < len(ours) {
			t.Fatalf("%s: FORWARD has %d rules, want ours first", when, len(got))
		}
		for i, want := range ours {
			if got[i] != want {
				t.Errorf("%s: FORWARD rule %d is %q, want %q", when, i+1, got[i], want)
			}
		}
		n := 0
		for _, r := range got {
			if strings.Contains(r, "DROP") {
				n++
			}
		}
		if n != len(ours) {
			t.Errorf("%s: %d DROP rules, want %d (no duplicates)", when, n, len(ours))
		}
	}
	if out, _, ok := s.run("./block 10.0.1.10"); !ok {
		t.Fatalf("first boot: %s", out)
	}
	check("first boot")
	// Docker starts again and puts its own rules first.
	docker := "-j DOCKER-ISOLATION\n-o docker0 -j DOCKER\n"
	b, _ := os.ReadFile(filepath.Join(s.dir, "forward"))
	_ = os.WriteFile(filepath.Join(s.dir, "forward"), append([]byte(docker), b...), 0o644)
	if out, _, ok := s.run("./block 10.0.1.10"); !ok {
		t.Fatalf("after a Docker restart: %s", out)
	}
	check("after a Docker restart")
	// A reboot empties the chain.
	_ = os.WriteFile(filepath.Join(s.dir, "forward"), []byte(docker), 0o644)
	if out, _, ok := s.run("./block 10.0.1.10"); !ok {
		t.Fatalf("after a reboot: %s", out)
	}
	check("after a reboot")
}

// Every apt-get and network fetch of every script goes through the shell
// library (bounded waits and retries), not bare.
func TestBootScripts_AptAndFetchesGoThroughTheLibrary(t *testing.T) {
	lib := shellLib(t)
	bare := regexp.MustCompile(`(?m)^\s*(apt-get|curl|wget|docker pull)\b`)
	for name, script := range renderedScripts(t) {
		body := strings.Replace(script, lib, "", 1)
		if body == script {
			t.Errorf("%s does not start with the shell library", name)
			continue
		}
		// The instance metadata service is on the host's own link; a miss
		// there (public-ipv4 on a private instance) is an answer, not an outage.
		body = strings.ReplaceAll(body, `  curl -fsS -H "X-aws-ec2-metadata-token: $imds_token"`, "")
		for _, m := range bare.FindAllString(body, -1) {
			t.Errorf("%s calls %q bare; use apt_get, apt_install_if_available or retry", name, strings.TrimSpace(m))
		}
	}
}
