// Command demo runs the whole lifecycle of the example stack (Pulumi.dev.yaml)
// through the real Pulumi CLI and engine, offline: preview, up, a second up
// that changes nothing, an update that rolls the Nomad clients, and the
// README's teardown runbook.
// AWS is played by the stand-in provider of tests/standin; nothing is
// created in any AWS account. scripts/demo.sh builds the CLI and runs it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"

	"github.com/circleci-server-pulumi/installer/config"
	"github.com/circleci-server-pulumi/installer/internal/offline"
)

func main() {
	quiet := flag.Bool("quiet", false, "print only the outputs and the summary, not the engine's progress")
	flag.Parse()
	if err := run(*quiet); err != nil {
		fmt.Fprintln(os.Stderr, "demo failed:", err)
		os.Exit(1)
	}
}

func step(title string) {
	fmt.Printf("\n==================== %s ====================\n", title)
}

func run(quiet bool) error {
	ctx := context.Background()
	fmt.Println(`OFFLINE DEMO: the real Pulumi engine runs this program against a stand-in
for AWS (tests/standin) in this process. Nothing is created in any AWS account.
To install for real, see README.md ("Install"): pulumi stack init, pulumi config set, pulumi up.`)
	if hasAWSCredentials() {
		fmt.Println("\nAWS credentials were found in the environment; the demo still stays offline.")
	}

	tmp, err := os.MkdirTemp("", "circleci-server-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	env, err := offline.New(ctx, tmp, offline.Options{Stack: "dev"})
	if err != nil {
		return err
	}
	defer env.Close()

	var engine io.Writer = os.Stdout
	if quiet {
		engine = io.Discard
	}

	step("pulumi preview (the plan)")
	pre, err := env.Preview(ctx, engine)
	if err != nil {
		return fmt.Errorf("preview: %w", err)
	}
	plan := map[string]int{}
	for op, n := range pre.ChangeSummary {
		plan[string(op)] = n
	}
	fmt.Printf("plan: %s\n", changes(plan))

	step("pulumi up")
	up, err := env.Up(ctx, engine)
	if err != nil {
		return fmt.Errorf("up: %w", err)
	}
	printOutputs(up.Outputs)

	step("what this stack holds in AWS")
	state, err := env.State(ctx)
	if err != nil {
		return err
	}
	fmt.Print(offline.Summary(state))

	step("pulumi up again (nothing to change)")
	again, err := env.Up(ctx, io.Discard)
	if err != nil {
		return fmt.Errorf("second up: %w", err)
	}
	fmt.Printf("changes: %s\n", changes(summaryOf(again)))

	return upgradeAndDestroy(ctx, env, engine)
}

// upgradeAndDestroy rolls the Nomad clients onto a new Nomad release and
// shows how AWS replaced them, then tears the stack down as the README's
// runbook says and counts what is left.
func upgradeAndDestroy(ctx context.Context, env *offline.Env, engine io.Writer) error {
	group := (&config.Config{Prefix: "circleci"}).Names().NomadASG
	step("upgrade Nomad on the clients: pulumi config set " + config.KeyNomadVersion + " 0.9.4 && pulumi up")
	if err := env.Set(ctx, map[string]string{config.KeyNomadVersion: "0.9.4"}, nil); err != nil {
		return err
	}
	seen := len(env.AWS.GroupEvents(group))
	rolled, err := env.Up(ctx, engine)
	if err != nil {
		return fmt.Errorf("update: %w", err)
	}
	fmt.Printf("changes: %s (a new launch template version; the group rolls its clients)\n", changes(summaryOf(rolled)))
	fmt.Println("how AWS rolled them (simulated time; the stand-in's clients answer the hooks as the boot script and the drain watcher do):")
	fmt.Print(offline.Timeline(env.AWS.GroupEvents(group)[seen:]))

	step("teardown: drain the clients, allow the services box to go, pulumi destroy")
	for _, c := range []map[string]string{
		{config.KeyDesiredClientsCount: "0"},
		{config.KeyServicesAllowReplacement: "true"},
	} {
		if err := env.Set(ctx, c, nil); err != nil {
			return err
		}
		if _, err := env.Up(ctx, io.Discard); err != nil {
			return fmt.Errorf("teardown step %v: %w", c, err)
		}
	}
	if _, err := env.Destroy(ctx, engine); err != nil {
		return fmt.Errorf("destroy: %w", err)
	}
	left, err := env.State(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("AWS objects left in the stack: %d; in the stand-in: %d\n", len(offline.AWSObjects(left)), len(env.AWS.Inventory()))
	fmt.Println("\nDone. This ran offline against the stand-in; run it against AWS with README.md's \"Install\" steps.")
	return nil
}

func summaryOf(r auto.UpResult) map[string]int {
	if r.Summary.ResourceChanges == nil {
		return nil
	}
	return *r.Summary.ResourceChanges
}

func changes(m map[string]int) string {
	var parts []string
	for op, n := range m {
		parts = append(parts, fmt.Sprintf("%d %s", n, op))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

func printOutputs(outs auto.OutputMap) {
	keys := make([]string, 0, len(outs))
	for k := range outs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Println("outputs:")
	for _, k := range keys {
		v := outs[k]
		if v.Secret {
			fmt.Printf("  %-28s [secret]\n", k)
			continue
		}
		s := fmt.Sprint(v.Value)
		if strings.Contains(s, "\n") {
			s = "\n      " + strings.ReplaceAll(s, "\n", "\n      ")
		}
		fmt.Printf("  %-28s %s\n", k, s)
	}
}

func hasAWSCredentials() bool {
	for _, v := range []string{"AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE"} {
		if os.Getenv(v) != "" {
			return true
		}
	}
	home, _ := os.UserHomeDir()
	_, err := os.Stat(home + "/.aws/credentials")
	return err == nil
}
