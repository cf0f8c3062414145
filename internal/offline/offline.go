// Package offline runs the installer through the real Pulumi CLI and engine
// without AWS: the engine drives installer.Run as an Automation API inline
// program against a local file backend, and every AWS call goes to the
// stand-in provider of tests/standin, served in this process.
//
// The end-to-end tests and the offline demo (cmd/demo) both use it.
package offline

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/circleci-server-pulumi/installer/config"
	"github.com/circleci-server-pulumi/installer/installer"
	"github.com/circleci-server-pulumi/installer/tests/standin"
)

const (
	// Project is the project name of Pulumi.yaml.
	Project = "circleci-server"
	// DemoPassphrase decrypts the secrets of the committed example stack.
	DemoPassphrase = "circleci-dev-example"
	// CLIVersion is the Pulumi CLI the scripts build.
	CLIVersion = "v3.274.1"
)

// RepoRoot finds the repository root (the directory with Pulumi.yaml)
// from the working directory up.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "Pulumi.yaml")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no Pulumi.yaml above the working directory")
		}
		dir = parent
	}
}

// CLIRoot is where scripts/lib.sh builds the Pulumi CLI (<root>/bin/pulumi).
func CLIRoot(repo string) string {
	return filepath.Join(repo, ".cache", "pulumi")
}

// Options configures a stack.
type Options struct {
	Stack string // stack name; its Pulumi.<stack>.yaml is copied from the repository if it exists
	// Config is set on top of the committed stack file (bare keys).
	Config map[string]string
	// Secrets are set as secrets (bare keys).
	Secrets map[string]string
	// Fixtures and Region configure the stand-in; see standin.Options.
	Standin standin.Options
	// Program replaces installer.Run, for tests of the stand-in through the
	// engine with programs of their own.
	Program pulumi.RunFunc
}

// Env is one stack in a temporary project directory, with its own state,
// Pulumi home and stand-in provider.
type Env struct {
	Dir      string // the project copy: Pulumi.yaml and Pulumi.<stack>.yaml
	StateDir string // the file backend
	AWS      *standin.Server
	Stack    auto.Stack
}

// New copies the project files into a temporary directory under tmp and
// creates the stack there. The repository's own stack files are never
// touched: setting config rewrites the copy.
func New(ctx context.Context, tmp string, opts Options) (*Env, error) {
	repo, err := RepoRoot()
	if err != nil {
		return nil, err
	}
	if opts.Stack == "" {
		opts.Stack = "dev"
	}
	e := &Env{Dir: filepath.Join(tmp, "project"), StateDir: filepath.Join(tmp, "state")}
	home := filepath.Join(tmp, "home")
	for _, d := range []string{e.Dir, e.StateDir, home} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	for _, f := range []string{"Pulumi.yaml", "Pulumi." + opts.Stack + ".yaml"} {
		b, err := os.ReadFile(filepath.Join(repo, f))
		if os.IsNotExist(err) && f != "Pulumi.yaml" {
			continue
		}
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(e.Dir, f), b, 0o644); err != nil {
			return nil, err
		}
	}

	if e.AWS, err = standin.Start(opts.Standin); err != nil {
		return nil, fmt.Errorf("starting the AWS stand-in: %w", err)
	}
	// The Nomad clients answer their lifecycle hooks as the boot script
	// makes them; tests that want other clients call SetAgent again.
	prefix := opts.Config[config.KeyPrefix]
	if prefix == "" {
		prefix = "circleci"
	}
	e.AWS.SetAgent((&config.Config{Prefix: prefix}).Names().NomadASG, DefaultNomadClients.Agent())
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: CLIRoot(repo)})
	if err != nil {
		e.Close()
		return nil, fmt.Errorf("the Pulumi CLI %s is not built (run ./scripts/test.sh or ./scripts/demo.sh): %w", CLIVersion, err)
	}
	env := map[string]string{
		"PULUMI_BACKEND_URL":                          "file://" + e.StateDir,
		"PULUMI_CONFIG_PASSPHRASE":                    DemoPassphrase,
		"PULUMI_HOME":                                 home,
		"PULUMI_SKIP_UPDATE_CHECK":                    "true",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
		// The engine talks to the stand-in instead of launching a plugin.
		"PULUMI_DEBUG_PROVIDERS": e.AWS.DebugProviders(),
	}
	program := opts.Program
	if program == nil {
		program = installer.Run
	}
	e.Stack, err = auto.UpsertStackInlineSource(ctx, opts.Stack, Project, program,
		auto.WorkDir(e.Dir), auto.Pulumi(cmd), auto.EnvVars(env))
	if err != nil {
		e.Close()
		return nil, fmt.Errorf("creating stack %s: %w", opts.Stack, err)
	}
	if err := e.Set(ctx, opts.Config, opts.Secrets); err != nil {
		e.Close()
		return nil, err
	}
	return e, nil
}

// Set changes stack configuration (bare keys), as `pulumi config set` would.
func (e *Env) Set(ctx context.Context, plain, secret map[string]string) error {
	values := auto.ConfigMap{}
	for k, v := range plain {
		values[Project+":"+k] = auto.ConfigValue{Value: v}
	}
	for k, v := range secret {
		values[Project+":"+k] = auto.ConfigValue{Value: v, Secret: true}
	}
	if len(values) == 0 {
		return nil
	}
	if err := e.Stack.SetAllConfigWithOptions(ctx, values, &auto.ConfigOptions{Path: false}); err != nil {
		return fmt.Errorf("setting config: %w", err)
	}
	return nil
}

// Preview runs `pulumi preview`, writing the engine's output to out.
func (e *Env) Preview(ctx context.Context, out io.Writer) (auto.PreviewResult, error) {
	return e.Stack.Preview(ctx, optpreview.ProgressStreams(out), optpreview.ErrorProgressStreams(out), optpreview.Diff())
}

// Up runs `pulumi up`.
func (e *Env) Up(ctx context.Context, out io.Writer) (auto.UpResult, error) {
	return e.Stack.Up(ctx, optup.ProgressStreams(out), optup.ErrorProgressStreams(out))
}

// Destroy runs `pulumi destroy` (without running the program, as an
// administrator's plain `pulumi destroy` does).
func (e *Env) Destroy(ctx context.Context, out io.Writer) (auto.DestroyResult, error) {
	return e.Stack.Destroy(ctx, optdestroy.ProgressStreams(out), optdestroy.ErrorProgressStreams(out))
}

// StateFile is the stack's checkpoint in the file backend.
func (e *Env) StateFile() (string, error) {
	var found string
	err := filepath.WalkDir(filepath.Join(e.StateDir, ".pulumi", "stacks"), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".json") && !strings.Contains(path, ".bak") {
			found = path
		}
		return err
	})
	if found == "" && err == nil {
		err = fmt.Errorf("no state file under %s", e.StateDir)
	}
	return found, err
}

// Close stops the stand-in.
func (e *Env) Close() {
	if e.AWS != nil {
		e.AWS.Stop()
	}
}
