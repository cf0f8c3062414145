package installer

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/circleci-server-pulumi/installer/config"
	"github.com/circleci-server-pulumi/installer/preflight"
)

// runPreflight checks the plan against the install guide's requirements
// before anything is created. It reports every check once per preview and
// every warning on each run; failures stop the program unless the stack
// says preflight: warn.
func runPreflight(ctx *pulumi.Context, cfg *config.Config, net *network, opts ...pulumi.InvokeOption) (preflight.Result, error) {
	in := preflight.Input{
		NomadEnabled:            cfg.EnableNomad,
		BuildersEnabled:         cfg.DesiredBuildersCount > 0,
		DailyActiveUsers:        cfg.DailyActiveUsers,
		NomadClients:            cfg.DesiredClientsCount,
		MaxNomadClients:         cfg.MaxClientsCount,
		NomadJobMemoryMiB:       cfg.NomadJobMemoryMiB,
		ServicesPublicIP:        cfg.ServicesPublicIP,
		ClientsPublicIP:         cfg.ClientsPublicIP,
		ProxyEnabled:            cfg.Proxy().Enabled(),
		CreateS3GatewayEndpoint: cfg.CreateS3GatewayEndpoint,
		Network:                 net.Network,
		WarnOnly:                cfg.PreflightWarnOnly(),
	}
	var err error
	if in.KeyPair, err = lookupKeyPair(ctx, cfg.AWSSSHKeyName, opts...); err != nil {
		return preflight.Result{}, err
	}
	if in.Services, err = lookupInstanceType(ctx, config.KeyServicesInstanceType, cfg.ServicesInstanceType, opts...); err != nil {
		return preflight.Result{}, err
	}
	if in.NomadEnabled {
		if in.NomadClient, err = lookupInstanceType(ctx, config.KeyNomadClientInstanceType, cfg.NomadClientInstanceType, opts...); err != nil {
			return preflight.Result{}, err
		}
	}
	if in.BuildersEnabled {
		if in.Builder, err = lookupInstanceType(ctx, config.KeyBuilderInstanceType, cfg.BuilderInstanceType, opts...); err != nil {
			return preflight.Result{}, err
		}
	}
	result := preflight.Run(in)
	if ctx.DryRun() {
		_ = ctx.Log.Info(result.Summary(), nil)
	}
	for _, w := range result.Warnings() {
		_ = ctx.Log.Warn(w.String(), nil)
	}
	return result, result.Err()
}
