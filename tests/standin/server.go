package standin

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
)

// Version is the version of the AWS provider the stand-in reports: the
// pulumi-aws SDK the installer's go.mod requires (github.com/pulumi/pulumi-aws/sdk/v6 v6.83.4).
const Version = "6.83.4"

// Account is the AWS account every resource lives in.
// Assumption: any account does; this is the one AWS's documentation uses.
const Account = "123456789012"

// Options configure a Server.
type Options struct {
	// Port to listen on, on 127.0.0.1; 0 picks a free one.
	Port int
	// Logf, if set, receives one line per resource operation (t.Logf fits).
	Logf func(format string, args ...any)
	// KeyPairs are EC2 key pair names that exist besides the fixtures' ones.
	KeyPairs []string
}

// Server is the stand-in provider. Its state lives as long as it does.
type Server struct {
	pulumirpc.UnimplementedResourceProviderServer

	opts   Options
	port   int
	cancel chan bool
	done   <-chan error
	fx     *fixtureSet

	mu      sync.Mutex
	st      *state
	configs map[string]*providerConfig // by client connection: one per provider instance of the engine
	last    *providerConfig            // the most recently configured, for connections that never configured
}

// Start serves a new stand-in on 127.0.0.1.
func Start(opts Options) (*Server, error) {
	fx, err := loadFixtures()
	if err != nil {
		return nil, err
	}
	s := &Server{opts: opts, fx: fx, st: newState(), configs: map[string]*providerConfig{}, cancel: make(chan bool)}
	h, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Port:   opts.Port,
		Cancel: s.cancel,
		Init: func(g *grpc.Server) error {
			pulumirpc.RegisterResourceProviderServer(g, s)
			return nil
		},
	})
	if err != nil {
		return nil, err
	}
	s.port, s.done = h.Port, h.Done
	return s, nil
}

// Port is the TCP port the stand-in listens on: PULUMI_DEBUG_PROVIDERS=aws:<Port>.
func (s *Server) Port() int { return s.port }

// DebugProviders is the PULUMI_DEBUG_PROVIDERS value that points the engine here.
func (s *Server) DebugProviders() string { return fmt.Sprintf("aws:%d", s.port) }

// Stop shuts the server down, waiting up to 10 s for calls in flight.
func (s *Server) Stop() {
	if s.cancel == nil {
		return
	}
	close(s.cancel)
	s.cancel = nil
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
	}
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf("standin: "+format, args...)
	}
}

// providerConfig is what Configure told one provider instance.
type providerConfig struct {
	region      string
	partition   partition
	defaultTags map[string]string
}

func connKey(ctx context.Context) string {
	if p, ok := peer.FromContext(ctx); ok && p.Addr != nil {
		return p.Addr.String()
	}
	return ""
}

// config returns the configuration of the calling provider instance.
// Callers hold s.mu.
// Assumption: the engine keeps one connection per provider instance, so the
// peer address tells the instances apart.
func (s *Server) config(ctx context.Context) (*providerConfig, error) {
	if c := s.configs[connKey(ctx)]; c != nil {
		return c, nil
	}
	if s.last != nil {
		return s.last, nil
	}
	return nil, status.Error(codes.FailedPrecondition, "the AWS stand-in was not configured: Configure must come first")
}

// Handshake tells the engine what the stand-in supports.
// Source: Pulumi provider protocol, ProviderHandshakeResponse (accept_secrets,
// accept_resources); pulumi-terraform-bridge providers accept both.
func (s *Server) Handshake(context.Context, *pulumirpc.ProviderHandshakeRequest) (*pulumirpc.ProviderHandshakeResponse, error) {
	return &pulumirpc.ProviderHandshakeResponse{AcceptSecrets: true, AcceptResources: true}, nil
}

// GetPluginInfo reports the provider version.
func (s *Server) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: Version}, nil
}

// GetSchema returns a minimal schema: the Go SDK needs none.
// Assumption: nothing the installer runs reads the schema from the provider.
func (s *Server) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	return &pulumirpc.GetSchemaResponse{Schema: `{"name":"aws","version":"` + Version + `"}`}, nil
}

// Attach is called when the engine attaches to an already running provider.
func (s *Server) Attach(context.Context, *pulumirpc.PluginAttach) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// Cancel has nothing to cancel: every call finishes at once.
func (s *Server) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// CheckConfig accepts the provider configuration as given.
func (s *Server) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

// DiffConfig replaces the provider (and so everything it manages) when the
// region changes, and updates it when anything else but its version does.
// Source: pulumi/pulumi-aws#4000, "Replace resources when the AWS region
// changes" (ForcesProviderReplace on region, in the v6 series).
func (s *Server) DiffConfig(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	olds, err := unmarshal(req.GetOldInputs())
	if err != nil {
		return nil, err
	}
	if len(olds) == 0 {
		if olds, err = unmarshal(req.GetOlds()); err != nil {
			return nil, err
		}
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	resp := &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}
	for _, k := range unionKeys(olds, news) {
		if k == "version" || equalValues(olds[resource.PropertyKey(k)], news[resource.PropertyKey(k)]) {
			continue
		}
		resp.Changes = pulumirpc.DiffResponse_DIFF_SOME
		resp.Diffs = append(resp.Diffs, k)
		if k == "region" {
			resp.Replaces = append(resp.Replaces, k)
		}
	}
	return resp, nil
}

var regionRE = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$`)

// Configure reads the region and default tags, from the arguments or the
// legacy variables.
// Source: Pulumi provider protocol, ConfigureRequest (args, and the
// deprecated variables keyed "aws:config:<name>"); pulumi-aws provider
// config "region" (from AWS_REGION or AWS_DEFAULT_REGION when unset) and
// provider/errors/no_region.txt ("Missing region information ...").
// Assumption: a malformed region is refused here. pulumi-aws skips the
// provider's region validation by default, so a real provider fails later,
// on its first call to AWS, with another message.
func (s *Server) Configure(ctx context.Context, req *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	args, err := unmarshal(req.GetArgs())
	if err != nil {
		return nil, err
	}
	region := str(args, "region")
	if region == "" {
		region = legacyVariable(req, "aws:config:region")
	}
	if region == "" {
		region = firstEnv("AWS_REGION", "AWS_DEFAULT_REGION")
	}
	if region == "" {
		return nil, status.Error(codes.InvalidArgument, "Missing region information\n"+
			"Make sure you have set your AWS region, e.g. `pulumi config set aws:region us-west-2`.")
	}
	if !regionRE.MatchString(region) {
		return nil, status.Errorf(codes.InvalidArgument, "invalid AWS Region: %s", region)
	}
	cfg := &providerConfig{region: region, partition: partitionOf(region), defaultTags: map[string]string{}}
	if dt := obj(args, "defaultTags"); dt != nil {
		cfg.defaultTags = stringMap(dt, "tags")
	} else if js := legacyVariable(req, "aws:config:defaultTags"); js != "" {
		var v struct{ Tags map[string]string }
		if err := json.Unmarshal([]byte(js), &v); err == nil && v.Tags != nil {
			cfg.defaultTags = v.Tags
		}
	}
	s.mu.Lock()
	s.configs[connKey(ctx)] = cfg
	s.last = cfg
	s.mu.Unlock()
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true, AcceptResources: true}, nil
}

func firstEnv(names ...string) string {
	for _, n := range names {
		if v := os.Getenv(n); v != "" {
			return v
		}
	}
	return ""
}

// legacyVariable reads the deprecated configuration variables, which the
// bridged provider still reads when the args lack a value.
// Source: Pulumi provider protocol, ConfigureRequest.variables (deprecated
// in favour of args, still sent by the engine).
func legacyVariable(req *pulumirpc.ConfigureRequest, key string) string {
	//lint:ignore SA1019 the legacy path is what this reads
	return req.GetVariables()[key]
}
