package offline

import (
	"fmt"
	"strings"
	"time"

	"github.com/circleci-server-pulumi/installer/tests/standin"
)

// NomadClients stands in for what the software the Nomad client boot script
// installs does with the group's lifecycle hooks, so that the offline
// engine sees what AWS would see from real clients. The scripts themselves
// (components/scripts/nomad-client.sh.tmpl and nomad-lifecycle.sh.tmpl) are
// proven to do this in a shell with stub commands
// (components/nomad_lifecycle_behaviour_test.go):
//   - the boot script completes the launch hook with CONTINUE once its node
//     is ready in Nomad, Boot after launch, and with ABANDON when it fails;
//   - the drain watcher, at the target lifecycle state Terminated, drains
//     the node (recording heartbeats) and completes the terminate hook with
//     CONTINUE, Drain later.
type NomadClients struct {
	Boot, Drain time.Duration
	// BrokenFrom, when above 0, is the first launch template version whose
	// boot script fails: its instances abandon their launch.
	BrokenFrom int
}

// DefaultNomadClients is how long a client takes in the demo and the
// end-to-end tests: a few minutes to boot and join, a few to drain.
var DefaultNomadClients = NomadClients{Boot: 6 * time.Minute, Drain: 4 * time.Minute}

// Agent is the stand-in agent for the clients' auto scaling group.
func (n NomadClients) Agent() standin.Agent {
	return func(_ string, inst standin.LaunchedInstance, _, transition string) standin.AgentAnswer {
		switch transition {
		case "autoscaling:EC2_INSTANCE_LAUNCHING":
			if n.BrokenFrom > 0 && inst.LaunchTemplateVersion >= n.BrokenFrom {
				return standin.AgentAnswer{Result: "ABANDON", After: n.Boot / 2, Note: "boot script failed"}
			}
			return standin.AgentAnswer{Result: "CONTINUE", After: n.Boot, Note: "node ready"}
		case "autoscaling:EC2_INSTANCE_TERMINATING":
			if n.BrokenFrom > 0 && inst.LaunchTemplateVersion >= n.BrokenFrom {
				// The boot script failed before it installed the watcher:
				// nothing answers, and the hook's timeout lets it go.
				return standin.AgentAnswer{}
			}
			return standin.AgentAnswer{Result: "CONTINUE", After: n.Drain, Heartbeats: true, Note: "drained"}
		}
		return standin.AgentAnswer{}
	}
}

// LowestInService is the lowest count of instances in service the events
// show, or -1 for none.
func LowestInService(events []standin.GroupEvent) int {
	lowest := -1
	for _, e := range events {
		if lowest < 0 || e.InService < lowest {
			lowest = e.InService
		}
	}
	return lowest
}

// Timeline is a readable list of a group's events, one per line, ending
// with the lowest count of clients in service it shows.
func Timeline(events []standin.GroupEvent) string {
	var b strings.Builder
	for _, e := range events {
		what := e.Kind
		if e.Hook != "" {
			what += " " + e.Hook
		}
		if e.Result != "" {
			what += " " + e.Result
		}
		if e.Note != "" {
			what += " (" + e.Note + ")"
		}
		fmt.Fprintf(&b, "  %8v  %-20s %s; in service: %d\n", e.At, e.InstanceID, what, e.InService)
	}
	fmt.Fprintf(&b, "  lowest number of clients in service: %d\n", LowestInService(events))
	return b.String()
}
