package components

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The Nomad client's answers to its group's lifecycle hooks, run in the
// sandbox: the launch gate of the boot script and the drain watcher, with
// stubs for the instance metadata service, nomad, aws, nc and sleep.

const testInstanceID = "i-0123456789abcdef0"

// lifecycleParts are the pieces of a rendered Nomad client boot script that
// answer the lifecycle hooks.
type lifecycleParts struct {
	lib     string // /usr/local/lib/circleci-nomad-lifecycle.sh
	gate    string // the boot script's gate functions and trap
	watcher string // /usr/local/sbin/circleci-nomad-drain
	unit    string // circleci-nomad-drain.service
}

func heredoc(t *testing.T, script, path string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)cat <<'EOT' > ` + regexp.QuoteMeta(path) + `\n(.*?)\nEOT\n`).FindStringSubmatch(script)
	if m == nil {
		t.Fatalf("the boot script does not write %s with a quoted heredoc", path)
	}
	return m[1] + "\n"
}

func nomadLifecycleParts(t *testing.T, name string) lifecycleParts {
	t.Helper()
	script := renderedScripts(t)[name]
	gate := regexp.MustCompile(`(?s)\n# >>> launch gate\n(.*?)\n# <<< launch gate\n`).FindStringSubmatch(script)
	if gate == nil {
		t.Fatalf("%s has no launch gate block", name)
	}
	return lifecycleParts{
		lib:     heredoc(t, script, "/usr/local/lib/circleci-nomad-lifecycle.sh"),
		gate:    gate[1] + "\n",
		watcher: heredoc(t, script, "/usr/local/sbin/circleci-nomad-drain"),
		unit:    heredoc(t, script, "/etc/systemd/system/circleci-nomad-drain.service"),
	}
}

// nextLine is shell for the stubs: the k-th line of a file on the k-th
// call, the last line after that.
const nextLine = `next() { local f="$STATE/$1" c="$STATE/$1.count" k l
  k=$(( $(cat "$c" 2>/dev/null || echo 0) + 1 )); echo "$k" > "$c"
  l=$(sed -n "${k}p" "$f" 2>/dev/null); [ -n "$l" ] || l=$(tail -n1 "$f" 2>/dev/null); echo "$l"; }
`

// imdsStub answers curl as the instance metadata service does with IMDSv2:
// PUT api/token hands out token-1, token-2, ...; a GET must carry the
// latest one, else 401. $STATE/expire-on-get=k expires the token at the
// k-th GET. target-lifecycle-state answers the lines of $STATE/states in
// turn ("missing" = 404, not in a group).
const imdsStub = nextLine + `method="" hdr="" w="" url=""
while [ $# -gt 0 ]; do
  case "$1" in
    -X) method=$2; shift ;;
    -H) hdr=$2; shift ;;
    -w) w=1; shift ;;
    -m) shift ;;
    -*) ;;
    *) url=$1 ;;
  esac
  shift
done
tokens=$(cat "$STATE/tokens" 2>/dev/null || echo 0)
if [ "$method" = PUT ]; then
  [ "$url" = http://169.254.169.254/latest/api/token ] || exit 7
  [ "$hdr" = "X-aws-ec2-metadata-token-ttl-seconds: 21600" ] || exit 22
  tokens=$((tokens + 1)); echo "$tokens" > "$STATE/tokens"; printf 'token-%s' "$tokens"; exit 0
fi
answer() { if [ -n "$w" ]; then printf '%s\n%s' "$1" "$2"; elif [ "$2" = 200 ]; then printf '%s' "$1"; else exit 22; fi; exit 0; }
gets=$(( $(cat "$STATE/gets" 2>/dev/null || echo 0) + 1 )); echo "$gets" > "$STATE/gets"
if [ "$(cat "$STATE/expire-on-get" 2>/dev/null)" = "$gets" ]; then echo "$tokens" > "$STATE/expired"; fi
if [ "$hdr" != "X-aws-ec2-metadata-token: token-$tokens" ] || [ "$(cat "$STATE/expired" 2>/dev/null)" = "$tokens" ]; then answer "" 401; fi
case "${url#http://169.254.169.254/latest/meta-data/}" in
  autoscaling/target-lifecycle-state) s=$(next states); [ "$s" = missing ] && answer "" 404; answer "$s" 200 ;;
  iam/security-credentials/) answer circleci-nomad-client 200 ;;
  iam/security-credentials/circleci-nomad-client)
    answer '{"Code":"Success","AccessKeyId":"ASIATESTKEYID","SecretAccessKey":"test-secret-key","Token":"test-session-token","Expiration":"2030-01-01T00:00:00Z"}' 200 ;;
  instance-id) answer ` + testInstanceID + ` 200 ;;
  *) answer "" 404 ;;
esac`

// awsStub logs which credentials the CLI got; $STATE/complete says how
// complete-lifecycle-action answers: ok, noaction or fail.
const awsStub = `echo "aws-env key=${AWS_ACCESS_KEY_ID:-unset} secret=${AWS_SECRET_ACCESS_KEY:-unset} session=${AWS_SESSION_TOKEN:-unset}" >> "$STUB_LOG"
case "$*" in *complete-lifecycle-action*)
  case "$(cat "$STATE/complete" 2>/dev/null)" in
    noaction) echo "An error occurred (ValidationError) when calling the CompleteLifecycleAction operation: No active Lifecycle Action found with instance ID ` + testInstanceID + `" >&2; exit 255 ;;
    fail) echo "An error occurred (Throttling) when calling the CompleteLifecycleAction operation: Rate exceeded" >&2; exit 255 ;;
  esac ;;
esac`

// nomadStub answers `node status -self -json` with the lines of $STATE/node
// in turn ("Status Eligibility Drain", or "error": the agent cannot tell),
// and `node drain` as $STATE/drain says: ok, fail, or long (returns once
// three heartbeats were recorded; bounded, never sleeps).
const nomadStub = nextLine + `case "$1 $2" in
  "node status")
    s=$(next node)
    if [ -z "$s" ] || [ "$s" = error ]; then echo "Error querying agent info: connection refused" >&2; exit 1; fi
    set -- $s
    printf '{\n    "ID": "5f2a",\n    "Status": "%s",\n    "SchedulingEligibility": "%s",\n    "Drain": %s\n}\n' "$1" "$2" "$3" ;;
  "node drain")
    case "$(cat "$STATE/drain" 2>/dev/null)" in
      fail) echo "Error updating drain specification: Unexpected response code: 500 (no cluster leader)" >&2; exit 1 ;;
      long) for _ in $(seq 1 3000); do
          [ "$(grep -c 'record-lifecycle-action-heartbeat' "$STUB_LOG")" -ge 3 ] && { echo "Drain complete"; exit 0; }
        done
        echo "no heartbeats while draining" >&2; exit 3 ;;
    esac
    echo "Drain complete" ;;
esac`

// runRC is sandbox.run with the exit status.
func (s *sandbox) runRC(code string) (out, log string, rc int) {
	s.t.Helper()
	logFile := filepath.Join(s.dir, "calls.log")
	_ = os.WriteFile(logFile, nil, 0o644)
	cmd := exec.Command("timeout", "20", "bash", "-c", "set -euo pipefail\n"+code)
	cmd.Dir = s.dir
	cmd.Env = []string{"PATH=" + filepath.Join(s.dir, "bin") + ":/usr/bin:/bin", "STUB_LOG=" + logFile, "STATE=" + s.dir}
	b, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		rc = exit.ExitCode()
	} else if err != nil {
		s.t.Fatal(err)
	}
	l, _ := os.ReadFile(logFile)
	return string(b), string(l), rc
}

func (s *sandbox) write(name, content string) {
	s.t.Helper()
	if err := os.WriteFile(filepath.Join(s.dir, name), []byte(content), 0o755); err != nil {
		s.t.Fatal(err)
	}
}

func logLines(log, substr string) []int {
	var at []int
	for i, line := range strings.Split(log, "\n") {
		if strings.Contains(line, substr) {
			at = append(at, i)
		}
	}
	return at
}

const (
	completeJoin = "aws --region us-east-1 autoscaling complete-lifecycle-action --lifecycle-hook-name circleci_nomad_clients_join " +
		"--auto-scaling-group-name circleci_nomad_clients_asg --instance-id " + testInstanceID + " --lifecycle-action-result "
	completeDrain = "aws --region us-east-1 autoscaling complete-lifecycle-action --lifecycle-hook-name circleci_nomad_clients_drain " +
		"--auto-scaling-group-name circleci_nomad_clients_asg --instance-id " + testInstanceID + " --lifecycle-action-result CONTINUE"
	heartbeat = "aws --region us-east-1 autoscaling record-lifecycle-action-heartbeat --lifecycle-hook-name circleci_nomad_clients_drain " +
		"--auto-scaling-group-name circleci_nomad_clients_asg --instance-id " + testInstanceID
	drainCmd = "nomad node drain -self -enable -deadline 1h -yes"
	awsCreds = "aws-env key=ASIATESTKEYID secret=test-secret-key session=test-session-token"
)

// checkIMDSCalls: every metadata GET carried a token, and tokens came from
// the IMDSv2 PUT.
func checkIMDSCalls(t *testing.T, log string, wantPuts int) {
	t.Helper()
	puts := 0
	for _, line := range strings.Split(log, "\n") {
		if !strings.HasPrefix(line, "curl ") {
			continue
		}
		if strings.Contains(line, "-X PUT http://169.254.169.254/latest/api/token") {
			puts++
			continue
		}
		if !regexp.MustCompile(`-H X-aws-ec2-metadata-token: token-\d+ http://169\.254\.169\.254/latest/meta-data/`).MatchString(line) {
			t.Errorf("expected every metadata GET to carry the IMDSv2 token header, found %q", line)
		}
	}
	if puts != wantPuts {
		t.Errorf("expected %d token requests, found %d", wantPuts, puts)
	}
}

// The drain watcher: polls the target lifecycle state with a token until
// Terminated, then drains the node (heartbeats meanwhile) and completes the
// terminate hook with CONTINUE, drain or no drain.
func TestNomadLifecycle_WatcherBehaviour(t *testing.T) {
	parts := nomadLifecycleParts(t, "nomad-client.sh")
	cases := []struct {
		name     string
		states   []string
		drain    string // nomad stub: ok, fail, long
		complete string // aws stub: ok, noaction, fail
		expire   string // expire the token at this GET
		maxPolls int
		rc       int
		drains   bool
		polls    int // target-lifecycle-state reads
		puts     int
		minBeats int
		says     string
	}{
		{name: "drains then completes", states: []string{"InService", "InService", "Terminated"}, drain: "ok", complete: "ok",
			maxPolls: 10, drains: true, polls: 3, puts: 1},
		{name: "heartbeats during a long drain", states: []string{"Terminated"}, drain: "long", complete: "ok",
			maxPolls: 10, drains: true, polls: 1, puts: 1, minBeats: 3},
		{name: "a failed drain still completes", states: []string{"InService", "Terminated"}, drain: "fail", complete: "ok",
			maxPolls: 10, drains: true, polls: 2, puts: 1, says: "the drain failed (exit 1); completing the hook anyway"},
		{name: "other states keep polling", states: []string{"Pending", "InService", "Warmed:Running", "Standby", "missing", "Warmed:Stopped"},
			drain: "ok", complete: "ok", maxPolls: 6, polls: 6, puts: 1, says: "stopping after 6 polls"},
		{name: "an expired token is renewed", states: []string{"InService", "InService", "Terminated"}, drain: "ok", complete: "ok",
			expire: "2", maxPolls: 10, drains: true, polls: 3, puts: 2, says: "IMDS refused the token"},
		{name: "no terminate action waiting", states: []string{"Terminated"}, drain: "ok", complete: "noaction",
			maxPolls: 10, drains: true, polls: 1, puts: 1, says: "nothing to complete"},
		{name: "a failed completion fails the unit for systemd to retry", states: []string{"Terminated"}, drain: "ok", complete: "fail",
			maxPolls: 10, rc: 1, drains: true, polls: 1, puts: 1, says: "could not complete lifecycle hook circleci_nomad_clients_drain"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newSandbox(t, map[string]string{"curl": imdsStub, "aws": awsStub, "nomad": nomadStub})
			s.write("lib.sh", parts.lib)
			s.write("circleci-nomad-drain", parts.watcher)
			s.write("states", strings.Join(c.states, "\n")+"\n")
			s.write("drain", c.drain)
			s.write("complete", c.complete)
			if c.expire != "" {
				s.write("expire-on-get", c.expire)
			}
			out, log, rc := s.runRC("nomad_lifecycle_lib=./lib.sh drain_max_polls=" + strconv.Itoa(c.maxPolls) + " ./circleci-nomad-drain")
			if rc != c.rc {
				t.Fatalf("expected exit %d, found %d:\n%s\ncalls:\n%s", c.rc, rc, out, log)
			}
			if n := count(log, "curl ") - count(log, "curl -fsS -m 5 -X PUT"); n < c.polls {
				t.Errorf("expected at least %d metadata reads, found %d", c.polls, n)
			}
			b, _ := os.ReadFile(filepath.Join(s.dir, "states.count"))
			if got := strings.TrimSpace(string(b)); got != strconv.Itoa(c.polls) {
				t.Errorf("expected %d reads of the target lifecycle state, found %s", c.polls, got)
			}
			if n := count(log, "sleep 5"); n != c.polls-1 {
				t.Errorf("expected %d polling sleeps of 5 s, found %d", c.polls-1, n)
			}
			checkIMDSCalls(t, log, c.puts)
			drains, completes, beats := logLines(log, "nomad node drain"), logLines(log, "complete-lifecycle-action"), logLines(log, "record-lifecycle-action-heartbeat")
			if !c.drains {
				if len(drains)+len(completes)+len(beats) != 0 {
					t.Errorf("expected no drain and no hook calls, found:\n%s", log)
				}
			} else {
				if len(drains) != 1 || !strings.Contains(log, drainCmd+"\n") {
					t.Fatalf("expected one %q, found calls:\n%s", drainCmd, log)
				}
				wantCompletes := 1
				if c.complete == "fail" {
					wantCompletes = 3
				}
				if len(completes) != wantCompletes || count(log, completeDrain) != wantCompletes {
					t.Fatalf("expected %d × %q, found calls:\n%s", wantCompletes, completeDrain, log)
				}
				if completes[0] < drains[0] {
					t.Errorf("expected the drain before the completion, found the completion first:\n%s", log)
				}
				if len(beats) < c.minBeats {
					t.Errorf("expected at least %d heartbeats during the drain, found %d:\n%s", c.minBeats, len(beats), log)
				}
				for _, at := range beats {
					if at > completes[0] {
						t.Errorf("expected every heartbeat before the completion, found one after it:\n%s", log)
						break
					}
				}
				if len(beats) > 0 && (count(log, heartbeat) != len(beats) || count(log, "sleep 120") < len(beats)) {
					t.Errorf("expected heartbeats %q every 120 s, found calls:\n%s", heartbeat, log)
				}
				if n := count(log, awsCreds); n != len(completes)+len(beats) {
					t.Errorf("expected the IMDS credentials in each of the %d aws calls' environment, found them in %d:\n%s", len(completes)+len(beats), n, log)
				}
			}
			if c.says != "" && !strings.Contains(out, c.says) {
				t.Errorf("expected the output to say %q, found:\n%s", c.says, out)
			}
		})
	}
}

// The launch gate of the boot script: CONTINUE once the node runs jobs or
// when the Nomad server was never there; ABANDON when the server was there
// but the node never got ready, or when the boot failed (the trap).
func TestNomadLifecycle_LaunchGateBehaviour(t *testing.T) {
	parts := nomadLifecycleParts(t, "nomad-client.sh")
	never := []string{"error", "initializing eligible false"}
	cases := []struct {
		name     string
		step     string   // a boot step before the gate
		node     []string // nomad node status answers, in turn
		nc       string   // nc stub
		complete string
		noAWS    bool // the AWS CLI is not installed yet
		rc       int
		result   string // the launch hook's answer, "" = none
		answers  int    // complete-lifecycle-action calls
		statuses int    // node status calls
		ncs      int
		says     []string
	}{
		{name: "node ready", node: []string{"error", "initializing eligible false", "ready eligible false"}, nc: "exit 0",
			result: "CONTINUE", answers: 1, statuses: 3, ncs: 3},
		{name: "ready but ineligible is not ready", node: []string{"ready ineligible false", "ready eligible true", "ready eligible false"}, nc: "exit 0",
			result: "CONTINUE", answers: 1, statuses: 3, ncs: 3},
		{name: "server unreachable throughout", node: never[:1], nc: "exit 1",
			result: "CONTINUE", answers: 1, statuses: 61, ncs: 61, says: []string{"The Nomad server at 10.0.1.10:4647 was not reachable for 600 s", "admin console setup"}},
		{name: "server reachable once, node never ready", node: never, nc: counterStub("nc", 1, "exit 1", "[ \"$k\" -eq 40 ]"),
			rc: 1, result: "ABANDON", answers: 1, statuses: 61, ncs: 61, says: []string{"not ready and eligible within 600 s"}},
		{name: "a failing boot step", step: "apt-get install docker-ce", node: never, nc: "exit 0",
			rc: 100, result: "ABANDON", answers: 1, says: []string{"The boot script failed (exit 100): abandoning the launch"}},
		{name: "a failing ABANDON keeps the boot's error", step: "apt-get install docker-ce", node: never, nc: "exit 0", complete: "fail",
			rc: 100, result: "ABANDON", answers: 3, says: []string{"The boot script failed (exit 100)", "could not abandon the launch"}},
		{name: "failing before the AWS CLI is installed", step: "apt-get install docker-ce", node: never, nc: "exit 0", noAWS: true,
			rc: 100, says: []string{"the AWS CLI is not installed yet"}},
		{name: "no launch action waiting", node: []string{"ready eligible false"}, nc: "exit 0", complete: "noaction",
			result: "CONTINUE", answers: 1, statuses: 1, ncs: 1, says: []string{"nothing to complete"}},
		{name: "a failed CONTINUE fails the boot without abandoning", node: []string{"ready eligible false"}, nc: "exit 0", complete: "fail",
			rc: 1, result: "CONTINUE", answers: 3, statuses: 1, ncs: 1, says: []string{"could not complete lifecycle hook circleci_nomad_clients_join with CONTINUE"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stubs := map[string]string{"curl": imdsStub, "aws": awsStub, "nomad": nomadStub, "nc": c.nc,
				"apt-get": `echo "E: Unable to locate package" >&2; exit 100`}
			if c.noAWS {
				delete(stubs, "aws")
			}
			s := newSandbox(t, stubs)
			s.write("lib.sh", parts.lib)
			s.write("node", strings.Join(c.node, "\n")+"\n")
			s.write("complete", c.complete)
			// As in the boot script: traced, the library sourced after the header.
			out, log, rc := s.runRC("set -x\nINSTANCE_ID=" + testInstanceID + "\n. ./lib.sh\n" + parts.gate + c.step + "\nlc_launch_gate\necho boot finished\n")
			if rc != c.rc {
				t.Fatalf("expected exit %d, found %d:\n%s\ncalls:\n%s", c.rc, rc, out, log)
			}
			completes := logLines(log, "complete-lifecycle-action")
			if len(completes) != c.answers {
				t.Errorf("expected %d completions, found %d; calls:\n%s", c.answers, len(completes), log)
			}
			if c.result != "" && count(log, completeJoin+c.result) != c.answers {
				t.Errorf("expected the launch hook completed with %q, found calls:\n%s", completeJoin+c.result, log)
			}
			for _, other := range []string{"CONTINUE", "ABANDON"} {
				if other != c.result && strings.Contains(log, completeJoin+other) {
					t.Errorf("expected no %s, found calls:\n%s", other, log)
				}
			}
			if n := count(log, "nomad node status -self -json"); n != c.statuses {
				t.Errorf("expected %d node status checks, found %d", c.statuses, n)
			}
			if n := count(log, "nc -z -w 5 10.0.1.10 4647"); n != c.ncs {
				t.Errorf("expected %d checks of the Nomad server, found %d", c.ncs, n)
			}
			if c.ncs > 1 && count(log, "sleep 10") != c.ncs-1 {
				t.Errorf("expected %d sleeps of 10 s between checks, found %d", c.ncs-1, count(log, "sleep 10"))
			}
			if c.answers > 0 && count(log, awsCreds) != c.answers {
				t.Errorf("expected the IMDS credentials in the aws environment %d times, found %d:\n%s", c.answers, count(log, awsCreds), log)
			}
			if strings.Contains(out, "test-secret-key") || strings.Contains(out, "test-session-token") {
				t.Errorf("expected the credentials kept out of the traced output, found them:\n%s", out)
			}
			// The boot script reads no metadata itself through the library: each
			// aws call (a subshell) gets its own token.
			checkIMDSCalls(t, log, c.answers)
			if (c.rc == 0) != strings.Contains(out, "boot finished") {
				t.Errorf("expected the boot to finish: %v; output:\n%s", c.rc == 0, out)
			}
			for _, want := range c.says {
				if !strings.Contains(out, want) {
					t.Errorf("expected the output to say %q, found:\n%s", want, out)
				}
			}
		})
	}
}

// Where the pieces sit in the boot script, and what the unit says.
func TestNomadLifecycle_BootScriptWiring(t *testing.T) {
	scripts := renderedScripts(t)
	for _, name := range []string{"nomad-client.sh", "nomad-client-proxy.sh"} {
		s := scripts[name]
		order := []string{
			"INSTANCE_ID=\"$(imds instance-id)\"", // header
			"trap lc_boot_exit EXIT",              // trap right after it
			"----- Performing system updates",     // before anything can fail
			"apt_get install awscli jq netcat-openbsd",
			"iptables -I DOCKER-USER -i \"$bridge\" -d 169.254.169.254/32 -j DROP",
			"service nomad restart",
			"systemctl enable circleci-nomad-drain.service",
			"systemctl start circleci-nomad-drain.service",
			"\nlc_launch_gate\n", // the very end
		}
		at := 0
		for _, want := range order {
			i := strings.Index(s[at:], want)
			if i < 0 {
				t.Fatalf("%s: expected %q after %q", name, want, s[:at][max(0, at-60):])
			}
			at += i + len(want)
		}
		if rest := strings.TrimSpace(s[at:]); rest != "" {
			t.Errorf("%s: expected the gate last, found after it:\n%s", name, rest)
		}
		if strings.Count(s, "trap ") != 2 { // the boot trap and the heartbeat loop's
			t.Errorf("%s: expected one EXIT trap and the heartbeat loop's TERM trap", name)
		}
		if regexp.MustCompile(`docker (run|exec)`).MatchString(s) {
			t.Errorf("%s: expected nothing run in a container", name)
		}
		unit := nomadLifecycleParts(t, name).unit
		for _, want := range []string{"After=nomad.service", "ExecStart=/usr/local/sbin/circleci-nomad-drain", "Restart=on-failure", "WantedBy=multi-user.target"} {
			if !strings.Contains(unit, want) {
				t.Errorf("%s: expected the drain unit to say %q, found:\n%s", name, want, unit)
			}
		}
		if proxied := strings.Contains(s, "> /etc/default/circleci-nomad-drain"); proxied != (name == "nomad-client-proxy.sh") {
			t.Errorf("%s: expected the watcher's proxy environment file only with a proxy, found it: %v", name, proxied)
		}
		// EC2 takes at most 16 KB of user data (EC2 User Guide, "Run commands when you launch an EC2 instance with user data input").
		if len(s) > 16384 {
			t.Errorf("%s: expected at most 16384 bytes of user data, found %d", name, len(s))
		}
	}
}

// The library and the watcher are heredocs, which shellcheck does not look
// into in the boot script: check them as they run.
func TestNomadLifecycle_ShellcheckPieces(t *testing.T) {
	if _, err := exec.LookPath("shellcheck"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("shellcheck is not installed; .ci/run installs it")
		}
		t.Skip("shellcheck is not installed")
	}
	for _, name := range []string{"nomad-client.sh", "nomad-client-proxy.sh"} {
		p := nomadLifecycleParts(t, name)
		dir := t.TempDir()
		for file, c := range map[string]struct {
			code    string
			exclude string
		}{
			// The library serves both: what one of them does not use is not a fault.
			"watcher": {p.lib + strings.Replace(p.watcher, "#!/bin/bash\n", "", 1), "SC2317"},
			"gate":    {p.lib + p.gate + "lc_launch_gate\n", "SC2034"},
		} {
			path := filepath.Join(dir, file)
			if err := os.WriteFile(path, []byte("#!/bin/bash\n"+c.code), 0o644); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command("shellcheck", "--shell=bash", "--exclude="+c.exclude, path).CombinedOutput(); err != nil {
				t.Errorf("%s %s: expected shellcheck clean, found %v:\n%s", name, file, err, out)
			}
			if out, err := exec.Command("bash", "-n", path).CombinedOutput(); err != nil {
				t.Errorf("%s %s: expected bash -n clean, found %v:\n%s", name, file, err, out)
			}
		}
	}
}

// Render refuses a lifecycle the script could not answer with.
func TestNomadLifecycle_RenderNeedsTheHooks(t *testing.T) {
	base := NomadClientScript{DockerVersion: "5:18.09.9~3-0~ubuntu-xenial", NomadVersion: "0.9.3", ServicesPrivateIP: "10.0.1.10", Lifecycle: testLifecycle}
	cases := []struct {
		name  string
		edit  func(*NomadLifecycle)
		ok    bool
		wants []string
	}{
		{"the goldens' values", func(*NomadLifecycle) {}, true, []string{
			"timeout 4200 nomad node drain -self -enable -deadline 1h -yes", "n <= 36;", "sleep 120 &", "lc_join_wait=600"}},
		{"a 90m deadline", func(l *NomadLifecycle) { l.DrainDeadline = "90m" }, true, []string{"timeout 6000 nomad node drain -self -enable -deadline 90m -yes", "n <= 51;"}},
		{"zero lifecycle", func(l *NomadLifecycle) { *l = NomadLifecycle{} }, false, nil},
		{"no terminate hook", func(l *NomadLifecycle) { l.TerminateHookName = "" }, false, nil},
		{"a quote in the group name", func(l *NomadLifecycle) { l.GroupName = `asg"; rm -rf /` }, false, nil},
		{"a deadline Nomad cannot parse", func(l *NomadLifecycle) { l.DrainDeadline = "1 hour" }, false, nil},
		{"a zero deadline", func(l *NomadLifecycle) { l.DrainDeadline = "0s" }, false, nil},
		{"no heartbeat interval", func(l *NomadLifecycle) { l.HeartbeatSeconds = 0 }, false, nil},
		{"no join wait", func(l *NomadLifecycle) { l.JoinWaitSeconds = 0 }, false, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := base
			c.edit(&s.Lifecycle)
			script, err := s.Render()
			if (err == nil) != c.ok {
				t.Fatalf("expected success %v, found error %v", c.ok, err)
			}
			for _, want := range c.wants {
				if !strings.Contains(script, want) {
					t.Errorf("expected the script to contain %q", want)
				}
			}
		})
	}
}
