package standin_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/circleci-server-pulumi/installer/tests/standin"
)

// What an auto scaling group does over time: lifecycle hooks answered by
// the software on its instances, instance refreshes, waits for capacity,
// and deletes. The group is the Nomad clients' as the program will write
// it: a join hook on launch (30 minutes, ABANDON) and a drain hook on
// termination (10 minutes, CONTINUE).

const (
	nomadASG  = "circleci_nomad_clients_asg"
	joinHook  = "circleci_nomad_join"
	drainHook = "circleci_nomad_drain"
	launchTr  = "autoscaling:EC2_INSTANCE_LAUNCHING"
	termTr    = "autoscaling:EC2_INSTANCE_TERMINATING"
)

// fleet is a Nomad client group under test.
type fleet struct {
	t       *testing.T
	h       *harness
	lt      *live
	ltProps map[string]any
	group   map[string]any
}

// newFleet creates the group with desired instances (no hooks yet, so they
// go straight into service) and waitForCapacityTimeout "0".
func newFleet(t *testing.T, desired int, extra map[string]any) *fleet {
	t.Helper()
	h := newHarness(t, "eu-central-1")
	sg := h.sg("nomad")
	props := nodeLT("circleci_nomad_clients", map[string]any{"deviceIndex": 0, "securityGroups": []string{sg.id}})
	lt := h.up(tLT, "lt", props)
	group := nodeGroup(nomadASG, lt.id, "1", desired, subnetID, privateSubnet)
	group["waitForCapacityTimeout"] = "0"
	for k, v := range extra {
		group[k] = v
	}
	f := &fleet{t: t, h: h, lt: lt, ltProps: props, group: group}
	if _, err := h.tryUp(tGroup, "group", group); err != nil {
		t.Fatalf("create group: %v", err)
	}
	return f
}

// hooks adds the join and drain hooks, the drain hook with the given
// heartbeat timeout.
func (f *fleet) hooks(drainTimeout int) {
	f.t.Helper()
	f.h.up(tHook, "join-hook", map[string]any{"name": joinHook, "autoscalingGroupName": nomadASG,
		"lifecycleTransition": launchTr, "heartbeatTimeout": 1800, "defaultResult": "ABANDON"})
	f.h.up(tHook, "drain-hook", map[string]any{"name": drainHook, "autoscalingGroupName": nomadASG,
		"lifecycleTransition": termTr, "heartbeatTimeout": drainTimeout, "defaultResult": "CONTINUE"})
}

// newVersion makes launch template version 2 and points the group at it.
func (f *fleet) newVersion() {
	f.t.Helper()
	f.ltProps["userData"] = "IyEvYmluL2Jhc2gKZWNobyB2Mgo="
	if _, err := f.h.update("lt", f.ltProps, false); err != nil {
		f.t.Fatal(err)
	}
	f.group["launchTemplate"] = map[string]any{"id": f.lt.id, "version": "2"}
}

func (f *fleet) apply() error {
	f.t.Helper()
	_, err := f.h.update("group", f.group, false)
	return err
}

func (f *fleet) events() []standin.GroupEvent { return f.h.srv.GroupEvents(nomadASG) }

// answers is an agent that gives every launch one answer and every
// termination another.
func answers(launch, term standin.AgentAnswer) standin.Agent {
	return func(_ string, _ standin.LaunchedInstance, _, transition string) standin.AgentAnswer {
		if transition == launchTr {
			return launch
		}
		return term
	}
}

// lines renders events as "<time since from> kind hook result note".
func lines(evs []standin.GroupEvent, from time.Duration) []string {
	var out []string
	for _, e := range evs {
		out = append(out, strings.Join(strings.Fields(fmt.Sprintf("%v %s %s %s %s", e.At-from, e.Kind, e.Hook, e.Result, e.Note)), " "))
	}
	return out
}

func countKind(evs []standin.GroupEvent, kind string) int {
	n := 0
	for _, e := range evs {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

func findEvent(evs []standin.GroupEvent, kind string) (int, standin.GroupEvent) {
	for i, e := range evs {
		if e.Kind == kind {
			return i, e
		}
	}
	return -1, standin.GroupEvent{}
}

func states(is []standin.LaunchedInstance) []string {
	var out []string
	for _, i := range is {
		out = append(out, fmt.Sprintf("v%d %s", i.LaunchTemplateVersion, i.LifecycleState))
	}
	return out
}

// A launch waits in Pending:Wait for the join hook: CONTINUE puts the
// instance in service, ABANDON terminates it (through the drain hook) and
// the group tries again; without an answer, or an answer that comes after
// the heartbeat timeout, the hook's default result (ABANDON) applies;
// heartbeats keep the instance waiting, up to the global timeout.
func TestLaunchHookOutcomes(t *testing.T) {
	drained := standin.AgentAnswer{Result: "CONTINUE", After: time.Minute, Note: "drained"}
	for _, tc := range []struct {
		name    string
		launch  standin.AgentAnswer
		first   []string // the first events after the scale-out
		last    string   // the last lifecycle event of the first instance ("" not checked)
		launchN int      // launches in all
		want    []string // the instances afterwards
	}{
		{name: "joined", launch: standin.AgentAnswer{Result: "CONTINUE", After: 5 * time.Minute, Note: "joined"},
			first:   []string{"0s launch scale-out", "0s pending-wait " + joinHook, "5m0s complete " + joinHook + " CONTINUE joined", "5m0s in-service"},
			launchN: 1, want: []string{"v1 InService"}},
		{name: "boot failed", launch: standin.AgentAnswer{Result: "ABANDON", After: 2 * time.Minute, Note: "boot failed"},
			first: []string{"0s launch scale-out", "0s pending-wait " + joinHook, "2m0s complete " + joinHook + " ABANDON boot failed",
				"2m0s terminating-wait " + drainHook, "2m10s launch replace", "2m10s pending-wait " + joinHook,
				"3m0s complete " + drainHook + " CONTINUE drained", "3m0s terminated abandoned"},
			launchN: 3, want: nil},
		{name: "no answer", launch: standin.AgentAnswer{},
			first:   []string{"0s launch scale-out", "0s pending-wait " + joinHook, "30m0s heartbeat-timeout " + joinHook + " ABANDON default result"},
			launchN: 3, want: nil},
		{name: "joined after the timeout, no heartbeats", launch: standin.AgentAnswer{Result: "CONTINUE", After: 2 * time.Hour},
			first:   []string{"0s launch scale-out", "0s pending-wait " + joinHook, "30m0s heartbeat-timeout " + joinHook + " ABANDON default result"},
			launchN: 3, want: nil},
		{name: "joined after the timeout, heartbeats", launch: standin.AgentAnswer{Result: "CONTINUE", After: 2 * time.Hour, Heartbeats: true, Note: "joined"},
			first: []string{"0s launch scale-out", "0s pending-wait " + joinHook, "27m0s heartbeat " + joinHook, "54m0s heartbeat " + joinHook,
				"1h21m0s heartbeat " + joinHook, "1h48m0s heartbeat " + joinHook, "2h0m0s complete " + joinHook + " CONTINUE joined", "2h0m0s in-service"},
			launchN: 1, want: []string{"v1 InService"}},
		{name: "heartbeats forever", launch: standin.AgentAnswer{After: 100 * time.Hour, Heartbeats: true},
			first:   []string{"0s launch scale-out", "0s pending-wait " + joinHook, "27m0s heartbeat " + joinHook},
			last:    "48h0m0s global-timeout " + joinHook + " ABANDON default result",
			launchN: 3, want: nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFleet(t, 0, nil)
			f.hooks(600)
			f.h.srv.SetAgent(nomadASG, answers(tc.launch, drained))
			n0 := len(f.events())
			f.group["desiredCapacity"] = 1
			if err := f.apply(); err != nil {
				t.Fatalf("scale-out: expected no error (waitForCapacityTimeout 0), found %v", err)
			}
			evs := f.events()[n0:]
			got := lines(evs, evs[0].At)
			if len(got) < len(tc.first) || !reflect.DeepEqual(got[:len(tc.first)], tc.first) {
				t.Errorf("events: expected them to start with\n%s\nfound\n%s", strings.Join(tc.first, "\n"), strings.Join(got, "\n"))
			}
			if tc.last != "" {
				var firstID []standin.GroupEvent
				for _, e := range evs {
					if e.InstanceID == evs[0].InstanceID && e.Kind != "terminating-wait" && e.Kind != "terminated" && e.Hook != drainHook {
						firstID = append(firstID, e)
					}
				}
				if l := lines(firstID, evs[0].At); l[len(l)-1] != tc.last {
					t.Errorf("last event of the first launch: expected %q, found %q", tc.last, l[len(l)-1])
				}
			}
			if n := countKind(evs, "launch"); n != tc.launchN {
				t.Errorf("launches: expected %d, found %d\n%s", tc.launchN, n, strings.Join(got, "\n"))
			}
			if got := states(f.h.srv.GroupInstances(nomadASG)); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("instances afterwards: expected %v, found %v", tc.want, got)
			}
		})
	}
}

// Scale-in goes through the drain hook: the instance waits in
// Terminating:Wait (out of service) until the agent completes the action or
// the timeout runs out; either result terminates it.
func TestScaleInThroughDrainHook(t *testing.T) {
	for _, tc := range []struct {
		name  string
		drain standin.AgentAnswer
		want  []string
	}{
		{"drained", standin.AgentAnswer{Result: "CONTINUE", After: 3 * time.Minute, Note: "drained"},
			[]string{"0s terminating-wait " + drainHook, "3m0s complete " + drainHook + " CONTINUE drained", "3m0s terminated scale-in"}},
		{"drain failed", standin.AgentAnswer{Result: "ABANDON", After: time.Minute, Note: "drain failed"},
			[]string{"0s terminating-wait " + drainHook, "1m0s complete " + drainHook + " ABANDON drain failed", "1m0s terminated scale-in"}},
		{"no answer", standin.AgentAnswer{},
			[]string{"0s terminating-wait " + drainHook, "10m0s heartbeat-timeout " + drainHook + " CONTINUE default result", "10m0s terminated scale-in"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFleet(t, 2, nil)
			f.hooks(600)
			before := f.h.srv.GroupInstances(nomadASG)
			f.h.srv.SetAgent(nomadASG, answers(standin.AgentAnswer{Result: "CONTINUE"}, tc.drain))
			n0 := len(f.events())
			f.group["desiredCapacity"] = 1
			if err := f.apply(); err != nil {
				t.Fatal(err)
			}
			evs := f.events()[n0:]
			if got := lines(evs, evs[0].At); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("events: expected\n%s\nfound\n%s", strings.Join(tc.want, "\n"), strings.Join(got, "\n"))
			}
			// The default termination policy: zones tie, versions tie, the first launched goes.
			if evs[0].InstanceID != before[0].ID {
				t.Errorf("terminated: expected %s, found %s", before[0].ID, evs[0].InstanceID)
			}
			if evs[0].InService != 1 {
				t.Errorf("InService while the instance drains: expected 1, found %d", evs[0].InService)
			}
			if after := f.h.srv.GroupInstances(nomadASG); len(after) != 1 || after[0].ID != before[1].ID || after[0].LifecycleState != "InService" {
				t.Errorf("instances afterwards: expected %s InService, found %+v", before[1].ID, after)
			}
		})
	}
}

// refreshPrefs is the instance_refresh block the program will write.
func refreshBlock(minHealthy, maxHealthy int, warmup string) map[string]any {
	return map[string]any{"strategy": "Rolling", "preferences": map[string]any{
		"minHealthyPercentage": minHealthy, "maxHealthyPercentage": maxHealthy, "instanceWarmup": warmup}}
}

// refreshed runs an instance refresh of a fleet of desired instances and
// returns the instances before, the events of the refresh and the instances after.
func refreshed(t *testing.T, desired int, block map[string]any, agent standin.Agent, setup func(*fleet)) (*fleet, []standin.LaunchedInstance, []standin.GroupEvent, []standin.LaunchedInstance) {
	t.Helper()
	f := newFleet(t, desired, map[string]any{"instanceRefresh": block})
	f.hooks(600)
	if setup != nil {
		setup(f)
	}
	f.h.srv.SetAgent(nomadASG, agent)
	before := f.h.srv.GroupInstances(nomadASG)
	n0 := len(f.events())
	f.newVersion()
	if err := f.apply(); err != nil {
		t.Fatalf("update starting the refresh: expected it to succeed (the provider only starts the refresh), found %v", err)
	}
	return f, before, f.events()[n0:], f.h.srv.GroupInstances(nomadASG)
}

func isOld(before []standin.LaunchedInstance, id string) bool {
	for _, i := range before {
		if i.ID == id {
			return true
		}
	}
	return false
}

// With a minimum healthy percentage of 100 and a maximum of 200 the refresh
// launches before it terminates: no old instance leaves before a
// replacement is in service and warmed up, and the group never has fewer
// instances in service than it should.
func TestRefreshLaunchesBeforeTerminating(t *testing.T) {
	agent := answers(standin.AgentAnswer{Result: "CONTINUE", After: 4 * time.Minute, Note: "joined"},
		standin.AgentAnswer{Result: "CONTINUE", After: 2 * time.Minute, Note: "drained"})
	for _, desired := range []int{1, 2} {
		t.Run(fmt.Sprintf("desired %d", desired), func(t *testing.T) {
			f, before, evs, after := refreshed(t, desired, refreshBlock(100, 200, "300"), agent, nil)
			if ops := opsOf(f.h, "group"); ops[len(ops)-1] != "instance-refresh" {
				t.Errorf("operations: expected the last to be instance-refresh, found %v", ops)
			}
			start, _ := findEvent(evs, "refresh-start")
			end, _ := findEvent(evs, "refresh-successful")
			if start < 0 || end < 0 {
				t.Fatalf("events: expected refresh-start and refresh-successful, found\n%s", strings.Join(lines(evs, 0), "\n"))
			}
			want := make([]string, desired)
			for i := range want {
				want[i] = "v2 InService"
			}
			if got := states(after); !reflect.DeepEqual(got, want) {
				t.Errorf("instances after the refresh: expected %v, found %v", want, got)
			}
			for _, i := range after {
				if isOld(before, i.ID) {
					t.Errorf("instances after the refresh: expected none of %v, found %s", idsOf(before), i.ID)
				}
			}
			lowest := desired
			for _, e := range evs[start : end+1] {
				lowest = min(lowest, e.InService)
			}
			if lowest < desired {
				t.Errorf("lowest InService during the refresh: expected at least %d, found %d\n%s", desired, lowest, strings.Join(lines(evs, 0), "\n"))
			}
			// Each old instance starts to leave only once more replacements
			// are in service and warmed up than old instances have left.
			warmed := map[string]time.Duration{}
			left := 0
			for _, e := range evs {
				switch {
				case e.Kind == "warmed-up":
					warmed[e.InstanceID] = e.At
				case e.Kind == "terminating-wait" && isOld(before, e.InstanceID):
					left++
					if len(warmed) < left {
						t.Errorf("old %s left at %v with %d replacements warmed up: expected at least %d", e.InstanceID, e.At, len(warmed), left)
					}
				}
			}
			// The order for the first replacement and the first old instance.
			var newID, oldID string
			for _, e := range evs {
				if e.Kind == "in-service" && newID == "" {
					newID = e.InstanceID
				}
				if e.Kind == "terminating-wait" && oldID == "" {
					oldID = e.InstanceID
				}
			}
			order := []struct{ kind, id, hook, result string }{
				{"complete", newID, joinHook, "CONTINUE"}, {"in-service", newID, "", ""},
				{"terminating-wait", oldID, drainHook, ""}, {"complete", oldID, drainHook, "CONTINUE"}, {"terminated", oldID, "", ""},
			}
			at := 0
			var seen []time.Duration
			for _, e := range evs {
				if at < len(order) && e.Kind == order[at].kind && e.InstanceID == order[at].id && e.Hook == order[at].hook && e.Result == order[at].result {
					seen = append(seen, e.At)
					at++
				}
			}
			if at != len(order) || !isOld(before, oldID) || isOld(before, newID) {
				t.Errorf("event order: expected replacement complete(CONTINUE) → in-service → old terminating-wait → old complete → old terminated, found %d of 5 in\n%s",
					at, strings.Join(lines(evs, 0), "\n"))
			} else if seen[2]-seen[1] < 300*time.Second {
				t.Errorf("instance warmup: expected the old instance to leave 300s or more after the replacement's in-service, found %v", seen[2]-seen[1])
			}
		})
	}
}

// When the replacements are abandoned (the new version does not boot), the
// refresh fails and the old instances stay in service: at once with an
// abandon limit of 1, after the one-hour timeout without a limit; with or
// without the drain hook for abandoned launches.
func TestRefreshWithAbandonedReplacements(t *testing.T) {
	agent := answers(standin.AgentAnswer{Result: "ABANDON", After: 5 * time.Minute, Note: "boot failed"},
		standin.AgentAnswer{Result: "CONTINUE", After: time.Minute, Note: "drained"})
	for _, tc := range []struct {
		name       string
		limit      int
		termHooks  bool
		note       string
		atLeast    time.Duration // refresh-failed this long after refresh-start
		before     time.Duration // and sooner than this
		drainWaits bool
	}{
		{"one-hour rule", 0, true, "no instance replaced for an hour", time.Hour, time.Hour + 6*time.Minute, true},
		{"limit 1", 1, true, "1 replacement launches abandoned", 5 * time.Minute, 5*time.Minute + 1, true},
		{"limit 3", 3, true, "3 replacement launches abandoned", 10 * time.Minute, 10*time.Minute + 11*time.Second, true},
		{"one-hour rule, no drain hook for abandoned launches", 0, false, "no instance replaced for an hour", time.Hour, time.Hour + 6*time.Minute, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, before, evs, after := refreshed(t, 2, refreshBlock(100, 200, "300"), agent, func(f *fleet) {
				f.h.srv.SetRefreshAbandonLimit(tc.limit)
				f.h.srv.SetAbandonedLaunchTerminateHooks(tc.termHooks)
			})
			_ = f
			if !reflect.DeepEqual(idsOf(after), idsOf(before)) || !reflect.DeepEqual(states(after), []string{"v1 InService", "v1 InService"}) {
				t.Errorf("instances after the failed refresh: expected the old %v in service, found %v %v", idsOf(before), idsOf(after), states(after))
			}
			_, st := findEvent(evs, "refresh-start")
			i, failed := findEvent(evs, "refresh-failed")
			if i < 0 {
				t.Fatalf("events: expected refresh-failed, found\n%s", strings.Join(lines(evs, st.At), "\n"))
			}
			if failed.Note != tc.note || failed.At-st.At < tc.atLeast || failed.At-st.At >= tc.before {
				t.Errorf("refresh-failed: expected %q between %v and %v after the start, found %q at %v", tc.note, tc.atLeast, tc.before, failed.Note, failed.At-st.At)
			}
			if countKind(evs, "refresh-successful") != 0 {
				t.Errorf("events: expected no refresh-successful")
			}
			for _, e := range evs {
				if isOld(before, e.InstanceID) && e.Kind != "refresh-start" {
					t.Errorf("old instance %s: expected nothing to happen to it, found %s at %v", e.InstanceID, e.Kind, e.At-st.At)
				}
				if e.InService < 2 {
					t.Errorf("InService: expected 2 throughout, found %d at %v (%s)", e.InService, e.At-st.At, e.Kind)
				}
			}
			if waits := countKind(evs, "terminating-wait") > 0; waits != tc.drainWaits {
				t.Errorf("drain hook for abandoned replacements: expected %v, found %v", tc.drainWaits, waits)
			}
		})
	}
}

// A minimum healthy percentage of 50 lets the refresh terminate before it
// launches, but never below half the group.
func TestRefreshMinHealthy50(t *testing.T) {
	agent := answers(standin.AgentAnswer{Result: "CONTINUE", After: 4 * time.Minute, Note: "joined"},
		standin.AgentAnswer{Result: "CONTINUE", After: time.Minute, Note: "drained"})
	_, before, evs, after := refreshed(t, 2, refreshBlock(50, 100, "60"), agent, nil)
	if got := states(after); !reflect.DeepEqual(got, []string{"v2 InService", "v2 InService"}) {
		t.Errorf("instances after the refresh: expected two of v2 in service, found %v", got)
	}
	firstLeave, _ := findEvent(evs, "terminating-wait")
	firstIn, _ := findEvent(evs, "in-service")
	if firstLeave < 0 || firstIn < 0 || firstLeave > firstIn || !isOld(before, evs[firstLeave].InstanceID) {
		t.Errorf("terminate before launch: expected an old instance to leave before any replacement is in service, found\n%s", strings.Join(lines(evs, 0), "\n"))
	}
	start, _ := findEvent(evs, "refresh-start")
	end, _ := findEvent(evs, "refresh-successful")
	if end < 0 {
		t.Fatalf("events: expected refresh-successful, found\n%s", strings.Join(lines(evs, 0), "\n"))
	}
	lowest := 2
	for _, e := range evs[start : end+1] {
		lowest = min(lowest, e.InService)
	}
	if lowest != 1 {
		t.Errorf("lowest InService during the refresh: expected 1 (50%% of 2), found %d", lowest)
	}
}

// The provider waits for capacity unless waitForCapacityTimeout is "0", and
// fails when the instances are not in service in time (AWS goes on all the
// same).
func TestWaitForCapacity(t *testing.T) {
	initialJoin := []any{map[string]any{"name": joinHook, "lifecycleTransition": launchTr, "heartbeatTimeout": 1800, "defaultResult": "ABANDON"}}
	join := func(after time.Duration) standin.Agent {
		return answers(standin.AgentAnswer{Result: "CONTINUE", After: after}, standin.AgentAnswer{})
	}
	for _, tc := range []struct {
		name    string
		timeout string
		agent   standin.Agent
		err     string
		inAt    time.Duration // when the last instance entered service
	}{
		{"in service in time", "10m", join(5 * time.Minute), "", 5 * time.Minute},
		{"too late", "10m", join(15 * time.Minute),
			"waiting for Auto Scaling Group (" + nomadASG + ") capacity satisfied: timeout while waiting for state to become 'ok' " +
				"(last state: 'want at least 2 healthy instance(s) in Auto Scaling Group, have 0', timeout: 10m0s)", 15 * time.Minute},
		{"no wait", "0", join(15 * time.Minute), "", 15 * time.Minute},
	} {
		t.Run("create, "+tc.name, func(t *testing.T) {
			h := newHarness(t, "eu-central-1")
			sg := h.sg("nomad")
			lt := h.up(tLT, "lt", nodeLT("circleci_nomad_clients", map[string]any{"deviceIndex": 0, "securityGroups": []string{sg.id}}))
			group := nodeGroup(nomadASG, lt.id, "1", 2, subnetID)
			group["waitForCapacityTimeout"], group["initialLifecycleHooks"] = tc.timeout, initialJoin
			h.srv.SetAgent(nomadASG, tc.agent)
			_, err := h.tryUp(tGroup, "group", group)
			if tc.err == "" && err != nil {
				t.Fatalf("create: expected success, found %v", err)
			}
			if tc.err != "" {
				wantErr(t, err, tc.err)
				if n := len(h.srv.Find(tGroup)); n != 1 {
					t.Errorf("a group that failed to reach its capacity: expected it recorded, found %d groups", n)
				}
			}
			if got := states(h.srv.GroupInstances(nomadASG)); !reflect.DeepEqual(got, []string{"v1 InService", "v1 InService"}) {
				t.Errorf("instances: expected two in service in the end, found %v", got)
			}
			evs := h.srv.GroupEvents(nomadASG)
			if e := evs[len(evs)-1]; e.Kind != "in-service" || e.At != tc.inAt {
				t.Errorf("last event: expected in-service at %v, found %s at %v", tc.inAt, e.Kind, e.At)
			}
		})
	}
	t.Run("update, never in service", func(t *testing.T) {
		f := newFleet(t, 1, map[string]any{"waitForCapacityTimeout": "10m"})
		f.hooks(600)
		f.group["desiredCapacity"] = 2
		err := f.apply()
		wantErr(t, err, "waiting for Auto Scaling Group ("+nomadASG+") capacity satisfied: timeout while waiting for state to become 'ok' "+
			"(last state: 'want exactly 2 healthy instance(s) in Auto Scaling Group, have 1', timeout: 10m0s)")
		if got := states(f.h.srv.GroupInstances(nomadASG)); !reflect.DeepEqual(got, []string{"v1 InService"}) {
			t.Errorf("instances: expected the first alone, found %v", got)
		}
	})
	t.Run("update, no wait", func(t *testing.T) {
		f := newFleet(t, 1, nil)
		f.hooks(600)
		f.group["desiredCapacity"] = 2
		if err := f.apply(); err != nil {
			t.Errorf("update with waitForCapacityTimeout 0: expected success, found %v", err)
		}
	})
}

// A forced delete terminates the instances without their hooks; a delete
// without force drains the group through the drain hook, and fails when the
// drain outlasts the provider's ten minutes.
func TestGroupDeleteAndHooks(t *testing.T) {
	for _, tc := range []struct {
		name         string
		force        bool
		drainTimeout int
		agent        standin.Agent
		err          string
		want         []string
	}{
		{"force delete", true, 600, answers(standin.AgentAnswer{}, standin.AgentAnswer{Result: "CONTINUE", After: time.Minute}), "",
			[]string{"0s terminated force-delete", "0s terminated force-delete"}},
		{"drained", false, 600, answers(standin.AgentAnswer{}, standin.AgentAnswer{Result: "CONTINUE", After: time.Minute, Note: "drained"}), "",
			[]string{"0s terminating-wait " + drainHook, "0s terminating-wait " + drainHook,
				"1m0s complete " + drainHook + " CONTINUE drained", "1m0s terminated delete",
				"1m0s complete " + drainHook + " CONTINUE drained", "1m0s terminated delete"}},
		{"drain hook of an hour, no answer", false, 3600, nil,
			"waiting for Auto Scaling Group (" + nomadASG + ") drain: timeout while waiting for state to become '0' (last state: '2', timeout: 10m0s)",
			[]string{"0s terminating-wait " + drainHook, "0s terminating-wait " + drainHook,
				"1h0m0s heartbeat-timeout " + drainHook + " CONTINUE default result", "1h0m0s terminated delete",
				"1h0m0s heartbeat-timeout " + drainHook + " CONTINUE default result", "1h0m0s terminated delete"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFleet(t, 2, map[string]any{"forceDelete": tc.force})
			f.hooks(tc.drainTimeout)
			f.h.srv.SetAgent(nomadASG, tc.agent)
			n0 := len(f.events())
			err := f.h.delete("group")
			if tc.err == "" && err != nil {
				t.Fatalf("delete: expected success, found %v", err)
			}
			if tc.err != "" {
				wantErr(t, err, tc.err)
			}
			evs := f.events()[n0:]
			if got := lines(evs, evs[0].At); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("events: expected\n%s\nfound\n%s", strings.Join(tc.want, "\n"), strings.Join(got, "\n"))
			}
			if got := f.h.srv.GroupInstances(nomadASG); len(got) != 0 {
				t.Errorf("instances: expected all terminated in the end, found %v", got)
			}
			// The hooks go with the group; a refused delete leaves both.
			groups, hooks := len(f.h.srv.Find(tGroup)), len(f.h.srv.Find(tHook))
			if wantN := map[bool]int{true: 1, false: 0}[tc.err != ""]; groups != wantN || hooks != 2*wantN {
				t.Errorf("after the delete: expected %d groups and %d hooks, found %d and %d", wantN, 2*wantN, groups, hooks)
			}
		})
	}
}

// The provider's checks of the refresh preferences, and what
// StartInstanceRefresh refuses.
func TestRefreshPreferenceChecks(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	base := map[string]any{"name": "g", "minSize": 0, "maxSize": 1, "vpcZoneIdentifiers": []string{subnetID},
		"launchTemplate": map[string]any{"id": "lt-0123456789abcdef0"}}
	with := func(prefs map[string]any) map[string]any {
		p := map[string]any{}
		for k, v := range base {
			p[k] = v
		}
		p["instanceRefresh"] = map[string]any{"strategy": "Rolling", "preferences": prefs}
		return p
	}
	for _, tc := range []struct {
		name  string
		prefs map[string]any
		want  string
	}{
		{"the program's", map[string]any{"minHealthyPercentage": 100, "maxHealthyPercentage": 200, "instanceWarmup": "300"}, ""},
		{"warmup empty", map[string]any{"instanceWarmup": ""}, ""},
		{"warmup zero", map[string]any{"instanceWarmup": "0"}, ""},
		{"warmup not a number", map[string]any{"instanceWarmup": "5m"},
			"instance_refresh.0.preferences.0.instance_warmup: cannot parse '5m' as int"},
		{"warmup negative", map[string]any{"instanceWarmup": "-1"},
			"expected instance_refresh.0.preferences.0.instance_warmup to be at least (0), got -1"},
		{"min above 100", map[string]any{"minHealthyPercentage": 101},
			"expected instance_refresh.0.preferences.0.min_healthy_percentage to be in the range (0 - 100), got 101"},
		{"max below 100", map[string]any{"maxHealthyPercentage": 99},
			"expected instance_refresh.0.preferences.0.max_healthy_percentage to be in the range (100 - 200), got 99"},
		{"max above 200", map[string]any{"maxHealthyPercentage": 201}, "range (100 - 200), got 201"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, failures, err := h.check(tGroup, "g", with(tc.prefs))
			if err != nil {
				t.Fatal(err)
			}
			var reasons []string
			for _, f := range failures {
				reasons = append(reasons, f.Reason)
			}
			found := strings.Join(reasons, "; ")
			if tc.want == "" && len(failures) > 0 || tc.want != "" && !strings.Contains(found, tc.want) {
				t.Errorf("failures: expected %q, found %q", tc.want, found)
			}
		})
	}
	for _, tc := range []struct {
		name  string
		block map[string]any
		err   []string
	}{
		{"max - min above 100", refreshBlock(50, 200, "300"), []string{"starting Auto Scaling Group (" + nomadASG + ") instance refresh: " +
			"operation error Auto Scaling: StartInstanceRefresh, https response error StatusCode: 400",
			"api error ValidationError: The difference between MinHealthyPercentage and MaxHealthyPercentage cannot be greater than 100."}},
		{"skip matching", map[string]any{"strategy": "Rolling", "preferences": map[string]any{"skipMatching": true}},
			[]string{"does not model instance refresh preference skipMatching"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFleet(t, 1, map[string]any{"instanceRefresh": tc.block})
			before := f.h.srv.GroupInstances(nomadASG)
			f.newVersion()
			wantErr(t, f.apply(), tc.err...)
			if after := f.h.srv.GroupInstances(nomadASG); !reflect.DeepEqual(after, before) {
				t.Errorf("instances after a refused refresh: expected %v, found %v", before, after)
			}
		})
	}
}

// Hooks created after the group reach only what launches later, unless the
// group does not wait for capacity and the hooks win the race
// (SetLateHooksCatchLaunches).
func TestLateLaunchHooks(t *testing.T) {
	for _, catch := range []bool{false, true} {
		t.Run(fmt.Sprintf("catch %v", catch), func(t *testing.T) {
			h := newHarness(t, "eu-central-1")
			h.srv.SetLateHooksCatchLaunches(catch)
			h.srv.SetAgent(nomadASG, answers(standin.AgentAnswer{Result: "CONTINUE", After: time.Minute, Note: "joined"}, standin.AgentAnswer{}))
			sg := h.sg("nomad")
			lt := h.up(tLT, "lt", nodeLT("circleci_nomad_clients", map[string]any{"deviceIndex": 0, "securityGroups": []string{sg.id}}))
			group := nodeGroup(nomadASG, lt.id, "1", 2, subnetID)
			group["waitForCapacityTimeout"] = "0"
			h.up(tGroup, "group", group)
			f := &fleet{t: t, h: h}
			f.hooks(600)
			if got := states(h.srv.GroupInstances(nomadASG)); !reflect.DeepEqual(got, []string{"v1 InService", "v1 InService"}) {
				t.Errorf("instances: expected two in service, found %v", got)
			}
			evs := h.srv.GroupEvents(nomadASG)
			want := []string{"0s launch create", "0s in-service", "0s launch create", "0s in-service"}
			if catch {
				want = []string{"0s launch create", "0s launch create", "0s pending-wait " + joinHook, "0s pending-wait " + joinHook,
					"1m0s complete " + joinHook + " CONTINUE joined", "1m0s in-service", "1m0s complete " + joinHook + " CONTINUE joined", "1m0s in-service"}
			}
			got := lines(evs, 0)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("events: expected\n%s\nfound\n%s", strings.Join(want, "\n"), strings.Join(got, "\n"))
			}
		})
	}
}
