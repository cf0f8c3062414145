package standin

import (
	"container/heap"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// This file is what an auto scaling group does over time once it has been
// asked to launch or terminate instances: its lifecycle hooks and the
// software on the instances that answers them, instance refreshes, and the
// provider's waits for capacity. AWS does this over minutes or hours, after
// the API call returns; the stand-in runs it to its end inside the call that
// starts it, on a simulated clock of the group's own, and never sleeps.
//
// Assumption (the simulation's frame, no AWS behaviour): a group's clock
// moves only with its own activity; no time passes between two calls. Every
// call settles what it started (an instance in a wait state is completed or
// times out within the call), because AWS goes on after the provider has
// returned; so between calls a group's instances are InService, except those
// SetLateHooksCatchLaunches holds.

// Lifecycle transitions.
// Source: Auto Scaling API Reference, PutLifecycleHook, LifecycleTransition.
const (
	launching   = "autoscaling:EC2_INSTANCE_LAUNCHING"
	terminating = "autoscaling:EC2_INSTANCE_TERMINATING"
)

// The Auto Scaling lifecycle states the stand-in's instances pass through.
// Pending:Proceed and Terminating:Proceed take no simulated time, so no
// instance is ever seen in them.
// Source: Auto Scaling API Reference, Instance, LifecycleState; Auto Scaling
// User Guide, "Amazon EC2 Auto Scaling instance lifecycle" (Pending,
// Pending:Wait, Pending:Proceed, InService; Terminating, Terminating:Wait,
// Terminating:Proceed, Terminated).
const (
	statePending         = "Pending"
	statePendingWait     = "Pending:Wait"
	stateInService       = "InService"
	stateTerminating     = "Terminating"
	stateTerminatingWait = "Terminating:Wait"
)

// AgentAnswer is what the software on an instance does with one lifecycle
// action.
type AgentAnswer struct {
	Result     string        // "CONTINUE" or "ABANDON"; "" never completes (the heartbeat timeout applies)
	After      time.Duration // simulated time from the action's start to the completion
	Heartbeats bool          // records a heartbeat before each heartbeat timeout runs out, until After
	Note       string        // recorded with the completion, e.g. "drained" or "joined"
}

// Agent is the software on a group's instances: asked once for each
// lifecycle action, when the action starts (inst.LifecycleState is then
// Pending:Wait or Terminating:Wait), it says how the action ends. It runs
// while the stand-in is busy with a call: it must not call the Server.
type Agent func(group string, inst LaunchedInstance, hook, transition string) AgentAnswer

// GroupEvent is one thing that happened in an auto scaling group. Kind is one of
//
//	launch             the group launched InstanceID (Note: why: create, scale-out, refresh, replace)
//	pending-wait       InstanceID waits in Pending:Wait for Hook
//	terminating-wait   InstanceID waits in Terminating:Wait for Hook
//	heartbeat          the agent recorded a heartbeat for Hook
//	complete           the agent completed Hook with Result (Note: the agent's)
//	heartbeat-timeout  Hook's heartbeat timeout ran out: Result is its default result
//	global-timeout     the 48-hour / 100-heartbeat limit ran out: Result is the default result
//	in-service         InstanceID entered InService
//	warmed-up          a replacement's instance warmup passed: the refresh counts it as replaced
//	terminated         InstanceID was terminated (Note: why: scale-in, abandoned, refresh, delete, force-delete)
//	refresh-start      an instance refresh started (Note: its preferences)
//	refresh-successful the refresh replaced every instance
//	refresh-failed     the refresh stopped (Note: why); the instances it had not replaced stay
//
// There is no refresh-cancelled: a refresh ends within the update that
// starts it, so the provider never finds one in progress to cancel.
type GroupEvent struct {
	At         time.Duration // simulated time since the group was created
	Kind       string
	InstanceID string
	Hook       string
	Result     string // CONTINUE or ABANDON for completions and timeouts
	Note       string
	InService  int // the group's InService instances just after the event
}

// SetAgent says what runs on the instances of the named group; nil (the
// default) is software that never answers, so every lifecycle action ends
// with its hook's default result when its heartbeat timeout runs out. An
// agent stays until Reset, whether or not the group exists.
func (s *Server) SetAgent(group string, a Agent) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := side(s.st)
	if a == nil {
		delete(cs.agents, group)
		return
	}
	cs.agents[group] = a
}

// GroupEvents lists what happened in the named group, in order, since a
// group of that name was first created (a group created again under the
// same name continues the list and the clock). Like GroupInstances, it first
// settles instances that SetLateHooksCatchLaunches holds.
func (s *Server) GroupEvents(group string) []GroupEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleHeld(group)
	return append([]GroupEvent(nil), side(s.st).events[group]...)
}

// activityKnobs choose between answers no source settles. Like agents, they
// last until Reset.
type activityKnobs struct {
	refreshAbandonLimit               int
	noTerminateHooksOnAbandonedLaunch bool
	lateHooksCatchLaunches            bool
}

// SetRefreshAbandonLimit sets when an instance refresh whose replacement
// launches are abandoned fails. With 0 (the default) only the one-hour rule
// applies: the refresh fails when a replacement is abandoned an hour or more
// after the refresh last counted an instance as replaced (or started). With
// n > 0 it also fails at the n-th abandoned replacement.
//
// Source: Auto Scaling User Guide, "Replacing Auto Scaling instances based on
// an instance refresh", Limitations, "One-hour timeout" ("When an instance
// refresh is unable to continue making replacements because your application
// doesn't pass health checks ..., it keeps retrying for an hour. ... If the
// problem persists after an hour, the operation fails"); StartInstanceRefresh
// ("An instance refresh might fail for several reasons, such as EC2 launch
// failures").
// Assumption: an abandoned launch counts as a replacement that does not pass
// its health checks, the hour is measured at abandonments, and whether AWS
// gives up after a number of abandoned launches: this knob.
func (s *Server) SetRefreshAbandonLimit(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	side(s.st).knobs.refreshAbandonLimit = n
}

// SetAbandonedLaunchTerminateHooks says whether an instance whose launch was
// abandoned goes through the group's TERMINATING hooks before it is
// terminated (true, the default) or is terminated at once.
// Assumption: no source settles it. The User Guide says only that ABANDON
// on launch lets Auto Scaling terminate the instance ("Add lifecycle hooks",
// Default result), and that termination hooks apply to "all launches and
// terminations" except attach, detach, standby and force delete ("Amazon EC2
// Auto Scaling lifecycle hooks", Lifecycle hook availability).
func (s *Server) SetAbandonedLaunchTerminateHooks(run bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	side(s.st).knobs.noTerminateHooksOnAbandonedLaunch = !run
}

// SetLateHooksCatchLaunches says whether LAUNCHING hooks that the program
// creates after a group catch the instances the group's creation launched.
// With false (the default) they do not: those instances were launched before
// the hooks existed and go straight to InService. With true, a group created
// with waitForCapacityTimeout "0" and no LAUNCHING initialLifecycleHooks
// leaves its first instances in Pending; the group's next update or delete,
// or GroupInstances or GroupEvents, lets them on, through the LAUNCHING
// hooks that exist by then.
//
// Source: pulumi-aws LifecycleHook docs ("Hooks added via this resource will
// not be added until the autoscaling group has been created, and depending
// on your capacity settings, after the initial instances have been launched
// ... If you need hooks to run on all instances, add them with
// initialLifecycleHook"); resourceGroupCreate (without
// wait_for_capacity_timeout the provider returns as soon as
// CreateAutoScalingGroup does, and the hooks are created while EC2 still
// launches the instances); Auto Scaling User Guide, "Amazon EC2 Auto Scaling
// instance lifecycle", Lifecycle hooks (an instance moves from Pending to
// Pending:Wait if the group has a LAUNCHING hook).
// Assumption: which wins that race: this knob. A group that waits for
// capacity has its instances in service before the hooks can be created.
func (s *Server) SetLateHooksCatchLaunches(catch bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	side(s.st).knobs.lateHooksCatchLaunches = catch
}

// settleHeld lets on the instances a group holds for hooks created after it
// (SetLateHooksCatchLaunches). Callers hold the server's lock.
func (s *Server) settleHeld(group string) {
	cs := side(s.st)
	r := s.st.get(tGroup, group)
	if r == nil || s.last == nil || !cs.holds(group) {
		return
	}
	c := &call{s: s, st: s.st, cfg: s.last, typ: tGroup, urn: r.urn}
	g := c.groupSim(group, r.inputs)
	d, _ := num(r.outputs, "desiredCapacity")
	g.desired = int(d)
	if err := g.run(); err != nil {
		s.logf("settling group %s: %v", group, err)
	}
}

// holds says whether a group holds instances for hooks to come.
func (cs *computeSide) holds(group string) bool {
	for _, i := range cs.launched[group] {
		if cs.held[i.ID] {
			return true
		}
	}
	return false
}

// hookSpec is one lifecycle hook of a group.
type hookSpec struct {
	name, defaultResult string
	heartbeat           time.Duration
}

// groupHooks are a group's hooks for a transition: its initial lifecycle
// hooks, then the LifecycleHook resources naming it, oldest first; a later
// hook of the same name replaces an earlier one, as PutLifecycleHook does.
// Source: Auto Scaling API Reference, PutLifecycleHook ("Creates or updates
// a lifecycle hook"; DefaultResult "The default value is ABANDON";
// HeartbeatTimeout "The default value is 3600 seconds"); group.go
// resourceGroupCreate (initial_lifecycle_hook: PutLifecycleHook before the
// group gets its capacity).
func (st *state) groupHooks(group string, ins resource.PropertyMap, transition string) []hookSpec {
	var out []hookSpec
	put := func(name, tr, def string, hb float64) {
		if tr != transition {
			return
		}
		if def == "" {
			def = "ABANDON"
		}
		if hb == 0 {
			hb = 3600
		}
		h := hookSpec{name: name, defaultResult: def, heartbeat: time.Duration(hb) * time.Second}
		for i := range out {
			if out[i].name == name {
				out[i] = h
				return
			}
		}
		out = append(out, h)
	}
	for _, h := range objs(ins, "initialLifecycleHooks") {
		hb, _ := num(h, "heartbeatTimeout")
		put(str(h, "name"), str(h, "lifecycleTransition"), str(h, "defaultResult"), hb)
	}
	for _, r := range st.all(tLifecycleHook) {
		if str(r.outputs, "autoscalingGroupName") != group {
			continue
		}
		hb, _ := num(r.outputs, "heartbeatTimeout")
		put(r.id, str(r.outputs, "lifecycleTransition"), str(r.outputs, "defaultResult"), hb)
	}
	return out
}

// step is one moment of a lifecycle action.
type step struct {
	at     time.Duration
	kind   string // heartbeat, complete, heartbeat-timeout, global-timeout
	result string
	note   string
}

// actionTimeline is how one lifecycle action that starts at start goes,
// given the agent's answer: heartbeats, then a completion or a timeout.
// Source: Auto Scaling User Guide, "Amazon EC2 Auto Scaling lifecycle hooks",
// Keeping instances in a wait state (the instance waits until the action is
// completed or the heartbeat timeout ends; a heartbeat restarts the timeout
// period; "The maximum amount of time that you can keep an instance in a wait
// state is 48 hours or 100 times the heartbeat timeout, whichever is
// smaller"), and Add lifecycle hooks, Default result (what the group does
// "when the lifecycle hook timeout elapses").
// Assumption: the agent's heartbeats come at nine tenths of the timeout; a
// completion at the very moment the timeout runs out is in time.
func actionTimeline(start time.Duration, h hookSpec, a AgentAnswer) []step {
	hb := h.heartbeat
	end := start + min(48*time.Hour, 100*hb)
	deadline := start + hb
	var out []step
	if a.Heartbeats {
		every := hb * 9 / 10
		for t := start + every; t < start+a.After && t < end; t += every {
			out = append(out, step{at: t, kind: "heartbeat"})
			deadline = t + hb
		}
	}
	if done := start + a.After; a.Result != "" && done <= deadline && done <= end {
		return append(out, step{at: done, kind: "complete", result: a.Result, note: a.Note})
	}
	if deadline <= end {
		return append(out, step{at: deadline, kind: "heartbeat-timeout", result: h.defaultResult, note: "default result"})
	}
	return append(out, step{at: end, kind: "global-timeout", result: h.defaultResult, note: "default result"})
}

// Simulation bounds, not AWS behaviour.
const (
	// relaunchDelay: Assumption: Auto Scaling launches the replacement for
	// an abandoned launch 10 seconds after it abandons it (AWS retries with
	// a backoff it does not document).
	relaunchDelay = 10 * time.Second
	// abandonsInARow: Assumption: after 3 abandoned launches in a row
	// (replacements of a refresh included), a call stops replacing them
	// (AWS keeps retrying; the group's next call picks up again). An
	// instance that enters InService resets the count.
	abandonsInARow = 3
	// maxSimSteps guards against a simulation that does not settle.
	maxSimSteps = 200000
)

// simInst is an instance of a group during a simulation.
type simInst struct {
	LaunchedInstance
	fresh bool // launched by the running refresh
	ready bool // a fresh instance whose warmup has passed
	wait  *waitState
}

type waitState struct {
	pending map[string]bool // hooks still waiting
	ended   bool
}

type simItem struct {
	at  time.Duration
	seq int
	fn  func()
}

type simQueue []simItem

func (q simQueue) Len() int { return len(q) }
func (q simQueue) Less(i, j int) bool {
	return q[i].at < q[j].at || q[i].at == q[j].at && q[i].seq < q[j].seq
}
func (q simQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *simQueue) Push(x any)   { *q = append(*q, x.(simItem)) }
func (q *simQueue) Pop() any {
	old := *q
	it := old[len(old)-1]
	*q = old[:len(old)-1]
	return it
}

// waiter is one of the provider's waits, checked against the simulated
// timeline: ok says whether the group's counts satisfy it.
type waiter struct {
	deadline  time.Duration
	ok        func(inService, all int) bool
	satisfied bool
	last      string // the waiter's state at its deadline
	state     func(inService, all int) string
}

// refreshRun is an instance refresh in progress.
type refreshRun struct {
	minH, maxH   int
	warmup       time.Duration
	lastProgress time.Duration
	abandoned    int
}

// groupSimulation is one call's worth of a group's activity.
type groupSimulation struct {
	c       *call
	cs      *computeSide
	group   string
	ins     resource.PropertyMap
	tmpl    *record
	version int
	data    resource.PropertyMap
	subnets []*subnetFixture

	desired      int
	hold         bool   // launches wait for hooks to come (SetLateHooksCatchLaunches)
	launchNote   string // why the group launches: create, scale-out
	scaleInNote  string // why it terminates: scale-in, delete
	now          time.Duration
	queue        simQueue
	seq          int
	insts        []*simInst
	refresh      *refreshRun
	inARow       int
	relaunchAt   time.Duration
	wakeAt       time.Duration
	waiters      []*waiter
	launchErr    error
	err          error
	steps        int
	stopLaunches bool
}

// groupSim loads a group's instances for a simulation under the group's
// inputs ins.
func (c *call) groupSim(group string, ins resource.PropertyMap) *groupSimulation {
	cs := side(c.st)
	g := &groupSimulation{c: c, cs: cs, group: group, ins: ins, now: cs.clocks[group], launchNote: "scale-out",
		scaleInNote: "scale-in", subnets: c.groupSubnets(ins), wakeAt: -1}
	lt := obj(ins, "launchTemplate")
	ref := str(lt, "id")
	if ref == "" {
		ref = str(lt, "name")
	}
	if tmpl := c.st.launchTemplate(ref); tmpl != nil {
		if n, data := c.st.launchTemplateVersion(tmpl, str(lt, "version")); n > 0 {
			g.tmpl, g.version, g.data = tmpl, n, data
		}
	}
	for _, i := range cs.launched[group] {
		g.insts = append(g.insts, &simInst{LaunchedInstance: i})
	}
	g.desired = len(g.alive())
	return g
}

// sync writes the instances back, terminated ones left out.
func (g *groupSimulation) sync() {
	out := []LaunchedInstance{}
	for _, i := range g.insts {
		out = append(out, i.LaunchedInstance)
	}
	g.cs.launched[g.group] = out
}

func (g *groupSimulation) at(t time.Duration, fn func()) {
	g.seq++
	heap.Push(&g.queue, simItem{at: t, seq: g.seq, fn: fn})
}

// wake makes sure the simulation looks again at t.
func (g *groupSimulation) wake(t time.Duration) {
	if g.wakeAt == t {
		return
	}
	g.wakeAt = t
	g.at(t, func() {})
}

func (g *groupSimulation) countInService() int {
	n := 0
	for _, i := range g.insts {
		if i.LifecycleState == stateInService {
			n++
		}
	}
	return n
}

// alive are the instances that count toward the desired capacity: all but
// those terminating.
// Source: Auto Scaling User Guide, "Amazon EC2 Auto Scaling instance
// lifecycle" (an instance that enters Terminating "can't be put back into
// service"; InService instances are counted against the desired capacity).
func (g *groupSimulation) alive() []*simInst {
	var out []*simInst
	for _, i := range g.insts {
		if i.LifecycleState != stateTerminating && i.LifecycleState != stateTerminatingWait {
			out = append(out, i)
		}
	}
	return out
}

func (g *groupSimulation) record(kind string, inst *simInst, hook, result, note string) {
	e := GroupEvent{At: g.now, Kind: kind, Hook: hook, Result: result, Note: note, InService: g.countInService()}
	if inst != nil {
		e.InstanceID = inst.ID
	}
	g.cs.events[g.group] = append(g.cs.events[g.group], e)
	g.observe()
}

// observe checks the provider's waits after a change.
func (g *groupSimulation) observe() {
	n, all := g.countInService(), len(g.insts)
	for _, w := range g.waiters {
		if w.satisfied || g.now > w.deadline {
			continue
		}
		w.last = w.state(n, all)
		if w.ok(n, all) {
			w.satisfied = true
		}
	}
}

// run works the queue until the group settles.
func (g *groupSimulation) run() error {
	for _, i := range g.insts {
		if g.cs.held[i.ID] {
			delete(g.cs.held, i.ID)
			g.arrived(i)
		}
	}
	g.observe()
	g.control()
	for g.queue.Len() > 0 && g.launchErr == nil {
		if g.steps++; g.steps > maxSimSteps {
			g.err = fmt.Errorf("standin: the activity of Auto Scaling group %s did not settle", g.group)
			break
		}
		it := heap.Pop(&g.queue).(simItem)
		g.now = it.at
		it.fn()
		g.control()
	}
	g.sync()
	g.cs.clocks[g.group] = g.now
	if g.launchErr != nil {
		return g.launchErr
	}
	return g.err
}

// ask consults the group's agent about one lifecycle action.
func (g *groupSimulation) ask(inst *simInst, h hookSpec, transition string) AgentAnswer {
	agent := g.cs.agents[g.group]
	if agent == nil {
		return AgentAnswer{}
	}
	a := agent(g.group, inst.LaunchedInstance, h.name, transition)
	if a.Result != "" && a.Result != "CONTINUE" && a.Result != "ABANDON" {
		// Source: Auto Scaling API Reference, CompleteLifecycleAction,
		// LifecycleActionResult ("CONTINUE or ABANDON").
		g.err = fmt.Errorf("standin: the agent of group %s answered %q for hook %s: a lifecycle action result is CONTINUE or ABANDON",
			g.group, a.Result, h.name)
		return AgentAnswer{}
	}
	return a
}

// startWait puts an instance in a wait state for hooks; then runs with the
// outcome: ABANDON as soon as one action ends with ABANDON, CONTINUE when all
// have ended with CONTINUE.
// Source: Auto Scaling User Guide, "Amazon EC2 Auto Scaling lifecycle hooks"
// (an instance can have several hooks; Add lifecycle hooks, Default result:
// "If the instance is terminating, both ABANDON and CONTINUE allow the
// instance to terminate. However, ABANDON stops any remaining actions, such
// as other lifecycle hooks, and CONTINUE allows any other lifecycle hooks to
// complete"; on launch, "ABANDON indicates that your custom actions were
// unsuccessful, and that Auto Scaling can terminate the instance").
// Assumption: a launch's hooks run at the same time, and its first ABANDON
// stops the others too.
func (g *groupSimulation) startWait(inst *simInst, transition string, hooks []hookSpec, then func(result string)) {
	kind := "pending-wait"
	inst.LifecycleState = statePendingWait
	if transition == terminating {
		kind = "terminating-wait"
		inst.LifecycleState = stateTerminatingWait
	}
	g.sync()
	w := &waitState{pending: map[string]bool{}}
	inst.wait = w
	for _, h := range hooks {
		w.pending[h.name] = true
		g.record(kind, inst, h.name, "", "")
	}
	for _, h := range hooks {
		h := h
		for _, st := range actionTimeline(g.now, h, g.ask(inst, h, transition)) {
			st := st
			g.at(st.at, func() {
				if w.ended {
					return
				}
				if st.kind == "heartbeat" {
					g.record("heartbeat", inst, h.name, "", "")
					return
				}
				g.record(st.kind, inst, h.name, st.result, st.note)
				delete(w.pending, h.name)
				if st.result == "ABANDON" || len(w.pending) == 0 {
					w.ended = true
					inst.wait = nil
					res := "CONTINUE"
					if st.result == "ABANDON" {
						res = "ABANDON"
					}
					then(res)
				}
			})
		}
	}
}

// launch starts one instance of the group and sends it on its way.
func (g *groupSimulation) launch(fresh bool, note string) bool {
	if g.tmpl == nil || len(g.subnets) == 0 {
		// Assumption: a group placed by availability zones alone (no
		// vpcZoneIdentifiers) launches into the default VPC, which is not
		// modelled, so no instances are recorded; nor does a group whose
		// template has gone launch any.
		g.stopLaunches = true
		return false
	}
	inst, err := g.c.newInstance(g.tmpl, g.version, g.data, g.subnets, g.alive())
	if err != nil {
		// Source: resourceGroupCreate/resourceGroupUpdate wait for the
		// capacity ("waiting for Auto Scaling Group (%s) capacity
		// satisfied: %s") and fail on a failed scaling activity.
		// Assumption: the activity's message is EC2's, and it fails the
		// call whether or not the provider waits.
		g.launchErr = fmt.Errorf("waiting for Auto Scaling Group (%s) capacity satisfied: %w", g.group, err)
		return false
	}
	inst.LifecycleState = statePending
	si := &simInst{LaunchedInstance: inst, fresh: fresh}
	g.insts = append(g.insts, si)
	g.sync()
	g.record("launch", si, "", "", note)
	if g.hold {
		g.cs.held[si.ID] = true
		return true
	}
	g.arrived(si)
	return true
}

// arrived is an instance that has launched: it waits for the LAUNCHING
// hooks there are, then enters InService or is terminated.
// Source: Auto Scaling User Guide, "Amazon EC2 Auto Scaling instance
// lifecycle", Lifecycle hooks (from Pending to Pending:Wait with a
// LAUNCHING hook; after the lifecycle action, Pending:Proceed, then
// InService); "Amazon EC2 Auto Scaling lifecycle hooks", Lifecycle hook
// availability (hooks apply to every launch: scale-out, instance refresh
// replacements, and so on). A hook acts on that transition only, so it
// reaches only instances that launch after it exists.
// Assumption: an instance reaches Pending:Wait or InService the moment it is
// launched (the agent's After includes its boot).
func (g *groupSimulation) arrived(inst *simInst) {
	hooks := g.c.st.groupHooks(g.group, g.ins, launching)
	if len(hooks) == 0 {
		g.toInService(inst)
		return
	}
	g.startWait(inst, launching, hooks, func(result string) {
		if result == "CONTINUE" {
			g.toInService(inst)
			return
		}
		g.abandoned(inst)
	})
}

func (g *groupSimulation) toInService(inst *simInst) {
	inst.LifecycleState = stateInService
	g.inARow = 0
	g.sync()
	g.record("in-service", inst, "", "", "")
	if inst.fresh && g.refresh != nil {
		r := g.refresh
		g.at(g.now+r.warmup, func() {
			if g.refresh != r || inst.LifecycleState != stateInService {
				return
			}
			inst.ready = true
			r.lastProgress = g.now
			g.record("warmed-up", inst, "", "", "")
		})
	}
}

// abandoned is a launch that ended with ABANDON: the instance is terminated
// and, after a while, replaced.
// Source: Auto Scaling User Guide, "Troubleshoot issues in Amazon EC2 Auto
// Scaling" (an abandoned launch is a scaling activity with StatusCode
// "Cancelled": "Instance failed to complete user's Lifecycle Action:
// Lifecycle Action with token ... was abandoned: Lifecycle Action Completed
// with ABANDON Result"), and "Add lifecycle hooks", Default result.
func (g *groupSimulation) abandoned(inst *simInst) {
	g.inARow++
	g.relaunchAt = g.now + relaunchDelay
	g.terminate(inst, "abandoned")
	r := g.refresh
	if !inst.fresh || r == nil {
		return
	}
	r.abandoned++
	limit := g.cs.knobs.refreshAbandonLimit
	switch {
	case limit > 0 && r.abandoned >= limit:
		g.failRefresh(fmt.Sprintf("%d replacement launches abandoned", r.abandoned))
	case g.now-r.lastProgress >= time.Hour:
		g.failRefresh("no instance replaced for an hour")
	}
}

// terminate takes an instance out of the group: through the TERMINATING
// hooks, unless the group is force-deleted (or, per
// SetAbandonedLaunchTerminateHooks, its launch was abandoned).
// Source: Auto Scaling User Guide, "Amazon EC2 Auto Scaling instance
// lifecycle" (Terminating, Terminating:Wait with a TERMINATING hook,
// Terminating:Proceed, Terminated); "Amazon EC2 Auto Scaling lifecycle
// hooks", Lifecycle hook availability (not when the group is deleted with
// force delete) and Considerations ("If a termination lifecycle hook times
// out or is abandoned, Amazon EC2 Auto Scaling terminates the instance").
func (g *groupSimulation) terminate(inst *simInst, cause string) {
	var hooks []hookSpec
	if cause != "force-delete" && (cause != "abandoned" || !g.cs.knobs.noTerminateHooksOnAbandonedLaunch) {
		hooks = g.c.st.groupHooks(g.group, g.ins, terminating)
	}
	if inst.wait != nil {
		inst.wait.ended = true // a wait in progress ends with the instance
		inst.wait = nil
	}
	inst.LifecycleState = stateTerminating
	if len(hooks) == 0 {
		g.gone(inst, cause)
		return
	}
	g.startWait(inst, terminating, hooks, func(string) { g.gone(inst, cause) })
}

func (g *groupSimulation) gone(inst *simInst, cause string) {
	for j, i := range g.insts {
		if i == inst {
			g.insts = append(g.insts[:j:j], g.insts[j+1:]...)
			break
		}
	}
	delete(g.cs.held, inst.ID)
	g.sync()
	g.record("terminated", inst, "", "", cause)
}

// control does what the group does next: the refresh's next replacement,
// or launches and terminations toward the desired capacity.
func (g *groupSimulation) control() {
	for g.launchErr == nil && g.step() {
	}
}

func (g *groupSimulation) step() bool {
	if g.refresh != nil {
		return g.refreshStep()
	}
	alive := g.alive()
	switch {
	case len(alive) > g.desired:
		// Assumption: a group scales in only once none of its instances is
		// still launching, so that a launch in flight is not outlived by
		// the instance it was to join.
		for _, i := range alive {
			if i.LifecycleState == statePending || i.LifecycleState == statePendingWait {
				return false
			}
		}
		g.terminate(pickScaleIn(alive, alive), g.scaleInNote)
		return true
	case len(alive) < g.desired:
		if g.stopLaunches || g.inARow >= abandonsInARow {
			return false
		}
		if g.now < g.relaunchAt {
			g.wake(g.relaunchAt)
			return false
		}
		note := g.launchNote
		if g.inARow > 0 {
			note = "replace"
		}
		return g.launch(false, note)
	}
	return false
}

// pickScaleIn is the instance the default termination policy terminates:
// from the Availability Zone with the most instances, the one launched from
// the oldest launch template version.
// Source: Auto Scaling User Guide, "Configure termination policies for
// Amazon EC2 Auto Scaling", "Default termination policy" (balance across
// Availability Zones first, then the oldest launch template or
// configuration, then the instance closest to the next billing hour).
// Assumption: versions of one template count as older by number; among
// equals the instance launched first goes.
func pickScaleIn(cands, all []*simInst) *simInst {
	perAZ := map[string]int{}
	for _, i := range all {
		perAZ[i.AvailabilityZone]++
	}
	var pick *simInst
	for _, i := range cands {
		switch {
		case pick == nil:
			pick = i
		case perAZ[i.AvailabilityZone] > perAZ[pick.AvailabilityZone]:
			pick = i
		case perAZ[i.AvailabilityZone] == perAZ[pick.AvailabilityZone] && i.LaunchTemplateVersion < pick.LaunchTemplateVersion:
			pick = i
		}
	}
	return pick
}

// refreshPrefs are the preferences an instance refresh runs with.
type refreshPrefs struct {
	min, max int
	warmup   time.Duration
}

// refreshPreferences reads the instance_refresh preferences the provider
// sends to StartInstanceRefresh and what StartInstanceRefresh refuses.
// Source: group.go expandStartInstanceRefreshInput and expandRefreshPreferences
// (with a preferences block the schema defaults min_healthy_percentage 90 and
// max_healthy_percentage 100 are sent; instance_warmup only when set);
// startInstanceRefresh ("starting Auto Scaling Group (%s) instance refresh:
// %w"); Auto Scaling User Guide, "Understand the default values for an
// instance refresh" (without preferences: minimum 90, maximum 100 percent
// without an instance maintenance policy; instance warmup: the default
// instance warmup, if defined, or the health check grace period).
func (c *call) refreshPreferences(group string, ins resource.PropertyMap) (refreshPrefs, error) {
	doing, op := "starting Auto Scaling Group ("+group+") instance refresh", "Auto Scaling: StartInstanceRefresh"
	p := obj(ins, "instanceRefresh", "preferences")
	out := refreshPrefs{min: 90, max: 100}
	if v, ok := num(p, "minHealthyPercentage"); ok {
		out.min = int(v)
	}
	if v, ok := num(p, "maxHealthyPercentage"); ok {
		out.max = int(v)
	}
	grace, _ := num(ins, "healthCheckGracePeriod")
	out.warmup = time.Duration(grace) * time.Second
	if v, ok := num(ins, "defaultInstanceWarmup"); ok {
		out.warmup = time.Duration(v) * time.Second
	}
	if w := str(p, "instanceWarmup"); w != "" {
		n, _ := strconv.Atoi(w)
		out.warmup = time.Duration(n) * time.Second
	}
	// The stand-in runs only the preferences above; a refresh that asks for
	// more would not do here what it does on AWS.
	for _, k := range []string{"checkpointPercentages", "checkpointDelay", "alarmSpecification"} {
		if has(p, k) {
			return out, fmt.Errorf("standin: %s: the AWS stand-in does not model instance refresh preference %s", doing, k)
		}
	}
	for _, kd := range [][2]string{{"skipMatching", "false"}, {"autoRollback", "false"},
		{"scaleInProtectedInstances", "Ignore"}, {"standbyInstances", "Ignore"}} {
		if v := get(p, kd[0]); !v.IsNull() && fmt.Sprint(plain(v)) != kd[1] {
			return out, fmt.Errorf("standin: %s: the AWS stand-in does not model instance refresh preference %s = %v", doing, kd[0], plain(v))
		}
	}
	// Source: Auto Scaling API Reference, InstanceMaintenancePolicy,
	// MaxHealthyPercentage ("the difference between them cannot be greater
	// than 100"). The schema (0-100 and 100-200) leaves no minimum above the
	// maximum.
	// Assumption: StartInstanceRefresh refuses the same in its preferences,
	// and the text.
	if out.max-out.min > 100 {
		return out, awsErr(doing, op, 400, "ValidationError",
			"The difference between MinHealthyPercentage and MaxHealthyPercentage cannot be greater than 100.")
	}
	return out, nil
}

// startRefresh starts a Rolling instance refresh that replaces every
// instance the group has.
// Source: Auto Scaling User Guide, "Replacing Auto Scaling instances based on
// an instance refresh" (a rolling replacement: instances are taken out of
// service and terminated, new ones launched, and it "waits until the
// instances pass your health checks and complete warmup before it moves on";
// without skip matching any instance can be replaced; Considerations: "the
// warm-up period does not start until the lifecycle hook actions are
// complete and the instance enters the InService state"); "Instance
// maintenance policy for Auto Scaling group", Core concepts (the minimum
// healthy percentage of the desired capacity stays "in service, healthy,
// and ready to use", an instance counting once its warmup has passed; the
// maximum healthy percentage bounds the instances "in service and healthy,
// or pending"; Launch before terminating: "A new instance must be
// provisioned first before an existing instance can be terminated");
// RefreshPreferences MinHealthyPercentage ("rounded up to the nearest
// integer"; 100 percent replaces one instance at a time, 0 all at once).
// Assumption: the maximum rounds down, but allows one instance above the
// desired capacity whenever it is above 100 percent; with a maximum of 100
// percent at least one instance may be out of service (as the User Guide's
// Limitations say of a group of one: "Amazon EC2 Auto Scaling terminates an
// instance and then launches a new instance").
func (g *groupSimulation) startRefresh(p refreshPrefs) {
	for _, i := range g.insts {
		i.fresh, i.ready = false, false
	}
	d := g.desired
	r := &refreshRun{warmup: p.warmup, lastProgress: g.now,
		minH: int(math.Ceil(float64(d) * float64(p.min) / 100)),
		maxH: d * p.max / 100}
	if p.max > 100 && r.maxH <= d {
		r.maxH = d + 1
	}
	if r.maxH <= d && r.minH >= d {
		r.minH = d - 1
	}
	g.refresh = r
	g.record("refresh-start", nil, "", "", fmt.Sprintf("min healthy %d%% (%d), max healthy %d%% (%d), warmup %s",
		p.min, r.minH, p.max, r.maxH, p.warmup))
}

// refreshStep makes the refresh's next move: terminate an instance it may
// spare, or launch a replacement it has room for.
func (g *groupSimulation) refreshStep() bool {
	r := g.refresh
	alive := g.alive()
	var old, fresh []*simInst
	healthy, ready := 0, 0
	for _, i := range alive {
		if i.fresh {
			fresh = append(fresh, i)
			if i.ready {
				ready++
			}
		} else {
			old = append(old, i)
		}
		if i.LifecycleState == stateInService && (!i.fresh || i.ready) {
			healthy++
		}
	}
	if len(old) == 0 && len(fresh) >= g.desired && ready >= g.desired {
		g.refresh = nil
		g.record("refresh-successful", nil, "", "", "")
		return true
	}
	if len(old) > 0 && healthy-1 >= r.minH {
		g.terminate(pickScaleIn(old, alive), "refresh")
		return true
	}
	if len(alive) < r.maxH && len(fresh) < g.desired {
		if g.now < g.relaunchAt {
			g.wake(g.relaunchAt)
			return false
		}
		return g.launch(true, "refresh")
	}
	return false
}

// failRefresh ends the refresh as Failed; the instances it has not replaced
// keep running, and those it launched stay.
// Source: Auto Scaling User Guide, "Replacing Auto Scaling instances based on
// an instance refresh", Limitations, "No rollback" ("If an instance refresh
// fails, any instances that were already replaced are not rolled back to
// their previous configuration"). Auto rollback is not modelled
// (refreshPreferences refuses autoRollback).
func (g *groupSimulation) failRefresh(why string) {
	g.refresh = nil
	g.record("refresh-failed", nil, "", "", why)
}

// waitCapacity adds the provider's wait for capacity after a create (at
// least) or an update (exactly) to a simulation.
// Source: group.go resourceGroupCreate ("want at least %d healthy
// instance(s) in Auto Scaling Group, have %d") and resourceGroupUpdate
// ("want exactly %d healthy instance(s) in Auto Scaling Group, have %d"),
// the target being the desired capacity or the minimum size, whichever is
// larger; statusGroupCapacity (it counts the InService instances);
// waitGroupCapacitySatisfied (a StateChangeConf with Target "ok" and the
// wait_for_capacity_timeout; "0" does not wait). statusGroupCapacity fails
// early only on a scaling activity whose StatusCode is Failed; an abandoned
// launch is Cancelled (see abandoned), so the wait runs to its timeout.
func (g *groupSimulation) waitCapacity(timeout time.Duration, target int, exactly bool) *waiter {
	w := &waiter{deadline: g.now + timeout,
		ok: func(n, _ int) bool { return n == target || !exactly && n > target },
		state: func(n, _ int) string {
			if exactly {
				return fmt.Sprintf("want exactly %d healthy instance(s) in Auto Scaling Group, have %d", target, n)
			}
			return fmt.Sprintf("want at least %d healthy instance(s) in Auto Scaling Group, have %d", target, n)
		}}
	g.waiters = append(g.waiters, w)
	return w
}

// waitDrained is drainGroup's wait for no instances (statusGroupInstanceCount
// counts every instance the group still has, terminating ones too).
// Source: group.go drainGroup, waitGroupDrained (Target "0", the delete
// timeout: 10 minutes by default, resourceGroup Timeouts).
// Assumption: a custom delete timeout is not modelled (crud.go does not
// pass it on).
func (g *groupSimulation) waitDrained(timeout time.Duration) *waiter {
	w := &waiter{deadline: g.now + timeout,
		ok:    func(_, all int) bool { return all == 0 },
		state: func(_, all int) string { return strconv.Itoa(all) }}
	g.waiters = append(g.waiters, w)
	return w
}

// timedOut is the provider's error for a wait that the timeline did not
// satisfy by its deadline.
// Source: terraform-plugin-sdk helper/retry/error.go, TimeoutError.Error
// ("timeout while waiting for state to become '%s' (last state: '%s',
// timeout: %s)").
func (w *waiter) timedOut(target string, timeout time.Duration) error {
	if w.satisfied {
		return nil
	}
	return fmt.Errorf("timeout while waiting for state to become '%s' (last state: '%s', timeout: %s)", target, w.last, timeout)
}

// forceDelete terminates every instance at once, without hooks.
// Source: Auto Scaling API Reference, DeleteAutoScalingGroup, ForceDelete
// ("Specifies that the group is to be deleted along with all instances
// associated with the group, without waiting for all instances to be
// terminated. This action also deletes any outstanding lifecycle actions
// associated with the group").
func (g *groupSimulation) forceDelete() {
	g.desired = 0
	for len(g.insts) > 0 {
		g.gone(g.insts[0], "force-delete")
	}
	g.sync()
	g.cs.clocks[g.group] = g.now
}

// waitTimeout reads wait_for_capacity_timeout (validated at Check).
func waitTimeout(ins resource.PropertyMap) time.Duration {
	d, err := time.ParseDuration(strings.TrimSpace(str(ins, "waitForCapacityTimeout")))
	if err != nil {
		return 10 * time.Minute
	}
	return d
}
