package e2e

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/circleci-server-pulumi/installer/internal/offline"
	"github.com/circleci-server-pulumi/installer/tests/standin"
)

// Day-2 operations through the real engine: nothing a `pulumi up` does
// loses the services box's data or a running job.

const nomadGroup = "circleci_nomad_clients_asg"

// snapshotPolicy is the id of the stack's one DLM policy.
func (s *stack) snapshotPolicy() string {
	s.t.Helper()
	ps := s.inventory("aws:dlm/lifecyclePolicy:LifecyclePolicy")
	if len(ps) != 1 {
		s.t.Fatalf("want one snapshot policy, found %d: %v", len(ps), ps)
	}
	return ps[0].ID
}

// opsSince are the non-preview operations after the n-th, by resource name.
func (s *stack) opsSince(n int) map[string][]string {
	ops := map[string][]string{}
	for _, op := range s.AWS.Operations()[n:] {
		if !op.Preview {
			ops[op.Name] = append(ops[op.Name], op.Op)
		}
	}
	return ops
}

// (a) A key-pair change and an AMI change to a running installation whose
// EC2 termination protection is off (as in Pulumi.dev.yaml).
func TestDay2_ServicesBox_KeyChangeNotAppliedAMIChangeRefusedUntilAllowed(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil)
	before := s.up()
	policy := s.snapshotPolicy()
	box := before["services_instance_id"].(string)
	if targets := s.AWS.SnapshotPolicyTargets(policy); !slices.Equal(targets, []string{box}) {
		t.Errorf("the snapshot policy targets %v, want the services box %s", targets, box)
	}

	// A new key pair: not applied to the box, and said so.
	s.set(map[string]string{"aws_ssh_key_name": "ops"})
	ops := s.changed()
	if o := ops["services-instance"]; len(o) != 0 {
		t.Errorf("a new key pair changed the services instance (%v); it must not be applied", o)
	}
	if !strings.Contains(s.out.String(), "not applied to the running box") {
		t.Errorf("the key change was not reported as not applied:\n%s", s.out)
	}

	// A new AMI: refused at preview and at up, and nothing changes.
	s.set(map[string]string{"services_ami": "ami-0fedcba9876543210"})
	n := len(s.AWS.Operations())
	for what, run := range map[string]func() error{
		"preview": func() error { _, err := s.Preview(s.ctx, s.out); return err },
		"up":      func() error { _, err := s.Up(s.ctx, s.out); return err },
	} {
		err := run()
		if err == nil {
			t.Fatalf("%s of an AMI change succeeded; it must be refused", what)
		}
		for _, want := range []string{"would replace or delete the services box", "ami-0fedcba9876543210", "Nothing has been changed", "services_allow_replacement true"} {
			if !strings.Contains(err.Error()+s.out.String(), want) {
				t.Errorf("%s: the refusal does not say %q:\n%v", what, want, err)
			}
		}
	}
	if ops := s.opsSince(n); len(ops) != 0 {
		t.Errorf("the refused change still made operations: %v", ops)
	}
	if got := s.snapshotPolicy(); got != policy {
		t.Errorf("snapshot policy %s became %s", policy, got)
	}

	// Allowed: the box is replaced on its network interface.
	s.set(map[string]string{"services_allow_replacement": "true"})
	ops = s.changed()
	// The provider lifts termination protection before every terminate
	// (resourceInstanceDelete), then deletes; the new instance comes after,
	// because it needs the interface the old one held.
	if got := strings.Join(ops["services-instance"], ","); got != "disable-api-termination=false,delete,replace" {
		t.Errorf("allowed AMI change: services instance operations %q, want the protection lifted, delete, then the replacement", got)
	}
	for name, o := range ops {
		if name != "services-instance" {
			t.Errorf("%s changed (%v); only the services instance may", name, o)
		}
	}
	after := s.up()
	if after["services_instance_id"] == box {
		t.Error("the services instance was not replaced")
	}
	for _, k := range []string{"services_private_ip", "services_public_ip"} {
		if before[k] != after[k] {
			t.Errorf("%s changed from %v to %v", k, before[k], after[k])
		}
	}
	if got := s.snapshotPolicy(); got != policy {
		t.Errorf("snapshot policy %s became %s across the replacement", policy, got)
	}
	if targets := s.AWS.SnapshotPolicyTargets(policy); !slices.Equal(targets, []string{after["services_instance_id"].(string)}) {
		t.Errorf("after the replacement the policy targets %v, want the new box %v", targets, after["services_instance_id"])
	}

	// Protected again.
	s.set(map[string]string{"services_allow_replacement": "false"})
	if ops := s.changed(); len(ops) != 0 {
		t.Errorf("setting services_allow_replacement back changed %v", ops)
	}
	if _, err := s.Destroy(s.ctx, s.out); err == nil {
		t.Error("destroy of a protected installation succeeded")
	}
}

// rollTimeline logs a group's events and returns the lowest InService
// count they show.
func rollTimeline(t *testing.T, events []standin.GroupEvent) int {
	t.Helper()
	t.Log("\n" + offline.Timeline(events))
	return offline.LowestInService(events)
}

// drainedBeforeTerminated checks that every instance terminated (but for
// abandoned launches, which never ran jobs) had its drain completed first.
func drainedBeforeTerminated(t *testing.T, events []standin.GroupEvent) {
	t.Helper()
	drained := map[string]bool{}
	for _, e := range events {
		switch {
		case e.Kind == "complete" && e.Hook == "circleci_nomad_clients_drain":
			drained[e.InstanceID] = true
		case e.Kind == "terminated" && e.Note != "abandoned":
			if !drained[e.InstanceID] {
				t.Errorf("%s was terminated (%s) before its drain completed", e.InstanceID, e.Note)
			}
		}
	}
}

func eventsSince(s *stack, n int) []standin.GroupEvent {
	return s.AWS.GroupEvents(nomadGroup)[n:]
}

// (b) A Nomad version change with one client: the replacement runs jobs
// before the old client leaves, and the old one drains before it goes.
func TestDay2_NomadRoll_NeverBelowOneReadyClient(t *testing.T) {
	t.Parallel()
	s := newStack(t, nil)
	s.up()
	old := s.AWS.GroupInstances(nomadGroup)
	if len(old) != 1 {
		t.Fatalf("want one client before the roll, found %v", old)
	}
	n := len(s.AWS.GroupEvents(nomadGroup))
	s.set(map[string]string{"nomad_version": "0.9.4"})
	s.up()
	events := eventsSince(s, n)
	if lowest := rollTimeline(t, events); lowest < 1 {
		t.Errorf("during the roll the group had %d clients in service; want at least 1 throughout", lowest)
	}
	drainedBeforeTerminated(t, events)
	kinds := kindsOf(events, old[0].ID)
	want := []string{"terminating-wait", "complete", "terminated"}
	if !slices.Equal(kinds, want) {
		t.Errorf("old client %s: events %v, want %v", old[0].ID, kinds, want)
	}
	now := s.AWS.GroupInstances(nomadGroup)
	if len(now) != 1 || now[0].ID == old[0].ID || now[0].LaunchTemplateVersion != 2 || now[0].LifecycleState != "InService" {
		t.Errorf("after the roll: %+v; want one new InService client of version 2", now)
	}
	first := firstIndex(events, func(e standin.GroupEvent) bool { return e.Kind == "in-service" })
	leave := firstIndex(events, func(e standin.GroupEvent) bool { return e.Kind == "terminating-wait" })
	if first < 0 || leave < 0 || first > leave {
		t.Errorf("the replacement must be in service (event %d) before the old client starts leaving (event %d)", first, leave)
	}
	if i := firstIndex(events, func(e standin.GroupEvent) bool { return e.Kind == "refresh-successful" }); i < 0 {
		t.Error("the refresh did not succeed")
	}
}

// (c) Scaling from two clients to one drains the leaving client first.
func TestDay2_ScaleIn_DrainsTheLeavingClient(t *testing.T) {
	t.Parallel()
	s := newStack(t, map[string]string{"desired_clients_count": "2"})
	s.up()
	if got := len(s.AWS.GroupInstances(nomadGroup)); got != 2 {
		t.Fatalf("want two clients, found %d", got)
	}
	n := len(s.AWS.GroupEvents(nomadGroup))
	s.set(map[string]string{"desired_clients_count": "1"})
	s.up()
	events := eventsSince(s, n)
	rollTimeline(t, events)
	drainedBeforeTerminated(t, events)
	var left []string
	for _, e := range events {
		if e.Kind == "terminated" {
			left = append(left, e.InstanceID)
		}
	}
	if len(left) != 1 {
		t.Fatalf("want one client terminated, found %v", left)
	}
	if kinds := kindsOf(events, left[0]); !slices.Equal(kinds, []string{"terminating-wait", "complete", "terminated"}) {
		t.Errorf("leaving client %s: events %v, want terminating-wait, complete (drained), terminated", left[0], kinds)
	}
	if got := len(s.AWS.GroupInstances(nomadGroup)); got != 1 {
		t.Errorf("want one client left, found %d", got)
	}
}

// (d) A new client whose boot script fails is abandoned, the refresh stops,
// and the old client keeps running. Whether AWS gives up after some
// abandoned launches or only after its hour is not documented: both.
func TestDay2_BrokenBootScript_StopsTheRefresh(t *testing.T) {
	t.Parallel()
	for _, limit := range []int{0, 3} {
		t.Run(fmt.Sprintf("abandon limit %d", limit), func(t *testing.T) {
			s := newStack(t, nil)
			s.AWS.SetRefreshAbandonLimit(limit)
			s.AWS.SetAgent(nomadGroup, offline.NomadClients{Boot: offline.DefaultNomadClients.Boot, Drain: offline.DefaultNomadClients.Drain, BrokenFrom: 2}.Agent())
			s.up()
			old := s.AWS.GroupInstances(nomadGroup)
			n := len(s.AWS.GroupEvents(nomadGroup))
			s.set(map[string]string{"nomad_version": "0.9.4"})
			s.up()
			events := eventsSince(s, n)
			if lowest := rollTimeline(t, events); lowest < 1 {
				t.Errorf("the broken roll took the group to %d clients in service", lowest)
			}
			if kinds := kindsOf(events, old[0].ID); len(kinds) != 0 {
				t.Errorf("the old client %s was touched: %v", old[0].ID, kinds)
			}
			if i := firstIndex(events, func(e standin.GroupEvent) bool { return e.Kind == "refresh-failed" }); i < 0 {
				t.Error("the refresh did not stop (no refresh-failed event)")
			}
			abandoned := 0
			for _, e := range events {
				if e.Kind == "complete" && e.Result == "ABANDON" {
					abandoned++
				}
			}
			if abandoned == 0 {
				t.Error("no replacement abandoned its launch")
			}
			now := s.AWS.GroupInstances(nomadGroup)
			if len(now) != 1 || now[0].ID != old[0].ID || now[0].LifecycleState != "InService" {
				t.Errorf("after the failed refresh: %+v; want the old client alone, in service", now)
			}
		})
	}
}

// First install: the Nomad server is not up until the admin console setup
// is done. Whether the hooks, created after the group, catch its first
// clients is a race AWS does not document: either way `up` succeeds and
// the clients end in service, neither waited for nor relaunched.
func TestDay2_FirstInstall_ClientsNeitherWaitedForNorRelaunched(t *testing.T) {
	t.Parallel()
	for _, caught := range []bool{false, true} {
		t.Run(fmt.Sprintf("late hooks catch launches %v", caught), func(t *testing.T) {
			s := newStack(t, nil)
			s.AWS.SetLateHooksCatchLaunches(caught)
			// No server to join: the boot script completes after its bounded
			// wait anyway (nomad_lifecycle_behaviour_test.go).
			s.AWS.SetAgent(nomadGroup, offline.NomadClients{Boot: 12 * 60e9, Drain: offline.DefaultNomadClients.Drain}.Agent())
			s.up()
			events := s.AWS.GroupEvents(nomadGroup)
			rollTimeline(t, events)
			launches := 0
			for _, e := range events {
				switch e.Kind {
				case "launch":
					launches++
				case "terminated":
					t.Errorf("a client was terminated on the first install: %+v", e)
				}
			}
			if launches != 1 {
				t.Errorf("%d launches for one desired client; want 1", launches)
			}
			if now := s.AWS.GroupInstances(nomadGroup); len(now) != 1 || now[0].LifecycleState != "InService" {
				t.Errorf("after the first install: %+v; want one client in service", now)
			}
		})
	}
}

func kindsOf(events []standin.GroupEvent, id string) []string {
	var out []string
	for _, e := range events {
		if e.InstanceID == id && e.Kind != "heartbeat" {
			out = append(out, e.Kind)
		}
	}
	return out
}

func firstIndex(events []standin.GroupEvent, f func(standin.GroupEvent) bool) int {
	for i, e := range events {
		if f(e) {
			return i
		}
	}
	return -1
}

// A stack made by the release before services_allow_replacement has the
// earlier guard's name bound on its services instance, and the engine
// deletes a replaced instance with the hooks of its old state: an allowed
// replacement as the first run after the upgrade must still go through.
func TestDay2_AllowedReplacementRightAfterUpgrading(t *testing.T) {
	t.Parallel()
	s := newStack(t, map[string]string{"services_disable_api_termination": "true"})
	s.up()
	path, err := s.StateFile()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const now, earlier = "services_allow_replacement-is-false--snapshot-then-set-it-true-and-pulumi-up",
		"services_disable_api_termination-is-true--set-it-false-and-pulumi-up-first"
	if !bytes.Contains(b, []byte(now)) {
		t.Fatalf("the state does not bind %s", now)
	}
	if err := os.WriteFile(path, bytes.ReplaceAll(b, []byte(now), []byte(earlier)), 0o644); err != nil {
		t.Fatal(err)
	}
	s.set(map[string]string{"services_allow_replacement": "true", "services_ami": "ami-0fedcba9876543210"})
	if ops := s.changed(); !strings.Contains(strings.Join(ops["services-instance"], ","), "delete,replace") {
		t.Errorf("services instance operations %v, want the allowed replacement", ops["services-instance"])
	}
}
