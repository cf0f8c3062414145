package installer_test

import (
	"strings"
	"testing"
)

func withRoutes(routes ...map[string]any) environment {
	env := publicAccount()
	env.routes = append([]map[string]any{{"cidrBlock": "10.0.0.0/16", "gatewayId": "local"}}, routes...)
	return env
}

func dnsOff() environment {
	env := publicAccount()
	env.dnsSupport = false
	return env
}

// The guide's requirements, checked at preview against what AWS says,
// before anything is created.
func TestPreflight_Environments(t *testing.T) {
	t.Parallel()
	private := map[string]string{"services_public_ip": "false"}
	cases := []struct {
		name      string
		env       environment
		config    map[string]string
		failures  []string // keys and words the error must name; none: it succeeds
		warnings  []string // check names that must warn
		noWarning []string // check names that must not warn
	}{
		{"example stack", publicAccount(), nil, nil, nil, []string{"services-size", "s3-endpoint", "nomad-client-count"}},
		{"services box below 32 GB", publicAccount(), map[string]string{"services_instance_type": "m5.xlarge"},
			[]string{"services_instance_type", "32 GB"}, nil, nil},
		{"Nomad client below 4 cores / 32 GB", publicAccount(), map[string]string{"nomad_client_instance_type": "m5.xlarge"},
			[]string{"nomad_client_instance_type", "32"}, nil, nil},
		{"Nomad client not x86_64", publicAccount(), map[string]string{"nomad_client_instance_type": "m6g.2xlarge"},
			[]string{"nomad_client_instance_type", "x86_64"}, nil, nil},
		{"1.0 builder not x86_64", publicAccount(), map[string]string{"desired_builders_count": "1", "builder_instance_type": "m6g.2xlarge"},
			[]string{"builder_instance_type", "x86_64"}, nil, nil},
		{"VPC without DNS support", dnsOff(), nil, []string{"aws_vpc_id", "enableDnsSupport"}, nil, nil},
		{"key pair of another region", publicAccount(), map[string]string{"aws_ssh_key_name": "admin-us-east-1"},
			[]string{"aws_ssh_key_name", "regional"}, nil, nil},
		{"private subnet without NAT", withRoutes(), private, []string{"aws_subnet_id", "NAT"}, nil, nil},
		{"Elastic IP on a private subnet", withRoutes(natRoute), nil, []string{"services_public_ip", "services_public_ip false"}, nil, nil},
		{"private subnet with NAT, no S3 endpoint", withRoutes(natRoute), private, nil, []string{"s3-endpoint"}, nil},
		{"private subnet with NAT and S3 endpoint", withRoutes(natRoute, s3Route), private, nil, nil, []string{"s3-endpoint"}},
		{"500 daily users on the default sizes", publicAccount(), map[string]string{"daily_active_users": "500"},
			nil, []string{"services-size", "nomad-client-count", "nomad-client-max"}, nil},
		{"preflight warn turns failures into warnings", dnsOff(), map[string]string{"preflight": "warn", "services_instance_type": "m5.xlarge"},
			nil, []string{"vpc-dns-support", "services-memory"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			cfg := with(t, c.config)
			r := deployIn(t, c.env, cfg, cfg["aws_vpc_id"])
			if len(c.failures) > 0 {
				if r.err == nil {
					t.Fatalf("preflight passed; want a failure naming %v", c.failures)
				}
				for _, w := range c.failures {
					if !strings.Contains(r.err.Error(), w) {
						t.Errorf("error lacks %q:\n%v", w, r.err)
					}
				}
				if n := len(r.custom()); n != 0 {
					t.Errorf("%d AWS objects registered before preflight failed", n)
				}
				return
			}
			if r.err != nil {
				t.Fatalf("program failed: %v", r.err)
			}
			warned := map[string]bool{}
			for _, w := range r.preflight.Warnings() {
				warned[w.Name] = true
			}
			for _, w := range c.warnings {
				if !warned[w] {
					t.Errorf("no %s warning; warnings: %v", w, r.preflight.Warnings())
				}
			}
			for _, w := range c.noWarning {
				if warned[w] {
					t.Errorf("unexpected %s warning", w)
				}
			}
		})
	}
}

// An undersized, private, DNS-less plan fails once, listing every problem
// with its fix.
func TestPreflight_EveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	env := withRoutes()
	env.dnsSupport = false
	cfg := with(t, map[string]string{"services_instance_type": "m5.xlarge", "nomad_client_instance_type": "m5.xlarge"})
	r := deployIn(t, env, cfg, cfg["aws_vpc_id"])
	if r.err == nil {
		t.Fatal("preflight passed")
	}
	for _, key := range []string{"services_instance_type", "nomad_client_instance_type", "aws_vpc_id", "aws_subnet_id", "services_public_ip"} {
		if !strings.Contains(r.err.Error(), "["+key+"]") {
			t.Errorf("the error does not list the problem with %s:\n%v", key, r.err)
		}
	}
	if strings.Count(r.err.Error(), "Fix: ") < 5 {
		t.Errorf("not every problem comes with its fix:\n%v", r.err)
	}
	if n := len(r.custom()); n != 0 {
		t.Errorf("%d AWS objects registered", n)
	}
}

func TestPreflight_CapacityOutputs(t *testing.T) {
	t.Parallel()
	r := mustDeploy(t, with(t, map[string]string{"desired_clients_count": "2"}))
	// m5.2xlarge: 32 GiB / 4 GiB = 8 medium jobs; CPU would allow 8 × 3.1 GHz / 2048 MHz = 12.1.
	want(t, "nomad_jobs_per_client", r.outputs["nomad_jobs_per_client"], any(8.0))
	want(t, "nomad_fleet_job_capacity", r.outputs["nomad_fleet_job_capacity"], any(16.0))
	if note, _ := r.outputs["nomad_capacity"].(string); !strings.Contains(strings.ToLower(note), "memory") {
		t.Errorf("nomad_capacity does not say memory is the bound: %q", note)
	}
}

func TestPreflight_CreatesTheS3GatewayEndpointWhenAsked(t *testing.T) {
	t.Parallel()
	cfg := with(t, map[string]string{"services_public_ip": "false", "create_s3_gateway_endpoint": "true"})
	r := deployIn(t, withRoutes(natRoute), cfg, cfg["aws_vpc_id"])
	if r.err != nil {
		t.Fatal(r.err)
	}
	ep := r.only(t, "aws:ec2/vpcEndpoint:VpcEndpoint")
	want(t, "service", ep.str("serviceName"), "com.amazonaws.eu-central-1.s3")
	want(t, "type", ep.str("vpcEndpointType"), "Gateway")
	want(t, "route table", strings.Join(strs(ep, "routeTableIds"), ","), "rtb-0a1b2c3d4e5f60002")
	// With someone else's already there, none is added.
	r = deployIn(t, withRoutes(natRoute, s3Route), cfg, cfg["aws_vpc_id"])
	if n := len(r.ofType("aws:ec2/vpcEndpoint:VpcEndpoint")); r.err != nil || n != 0 {
		t.Errorf("err %v, %d endpoints; want none added next to the existing one", r.err, n)
	}
	// The one this installation made on an earlier up stays managed.
	env := withRoutes(natRoute, s3Route)
	env.ownS3Endpoint = true
	r = deployIn(t, env, cfg, cfg["aws_vpc_id"])
	if n := len(r.ofType("aws:ec2/vpcEndpoint:VpcEndpoint")); r.err != nil || n != 1 {
		t.Errorf("err %v, %d endpoints; the installation's own endpoint must stay in the program", r.err, n)
	}
}

// S3's gateway service is asked of EC2, never built from the region: in
// China the gateway is com.amazonaws.<region>.s3 while the interface
// services are cn.com.amazonaws.<region>.<service>.
func TestS3GatewayService_IsLookedUp(t *testing.T) {
	t.Parallel()
	cfg := with(t, map[string]string{"aws_region": "cn-north-1", "services_public_ip": "false", "create_s3_gateway_endpoint": "true"})
	r := deployIn(t, withRoutes(natRoute), cfg, cfg["aws_vpc_id"])
	if r.err != nil {
		t.Fatal(r.err)
	}
	want(t, "endpoint service", r.only(t, "aws:ec2/vpcEndpoint:VpcEndpoint").str("serviceName"), "com.amazonaws.cn-north-1.s3")
	asked := false
	for _, inv := range r.invokes {
		if inv.Token != "aws:ec2/getVpcEndpointService:getVpcEndpointService" {
			continue
		}
		asked = true
		if got := inv.Args["serviceType"].StringValue(); got != "Gateway" {
			t.Errorf("serviceType: expected Gateway, found %q", got)
		}
		f := inv.Args["filters"].ArrayValue()[0].ObjectValue()
		if f["name"].StringValue() != "service-name" || f["values"].ArrayValue()[0].StringValue() != "*.s3" {
			t.Errorf("expected the filter service-name = *.s3, found %v", f)
		}
	}
	if !asked {
		t.Error("the S3 gateway service was not looked up")
	}
}
