package preflight

import (
	"math"
	"slices"
	"sort"
	"strings"
	"testing"
)

// Instance types as ec2.GetInstanceType reports them.
var (
	m5_2xlarge  = InstanceType{Name: "m5.2xlarge", VCPUs: 8, Cores: 4, MemoryMiB: 32768, SustainedClockGHz: 3.1, Architectures: []string{"x86_64"}}
	m4_2xlarge  = InstanceType{Name: "m4.2xlarge", VCPUs: 8, Cores: 4, MemoryMiB: 32768, SustainedClockGHz: 2.3, Architectures: []string{"x86_64"}}
	m5_xlarge   = InstanceType{Name: "m5.xlarge", VCPUs: 4, Cores: 2, MemoryMiB: 16384, SustainedClockGHz: 3.1, Architectures: []string{"x86_64"}}
	r5_2xlarge  = InstanceType{Name: "r5.2xlarge", VCPUs: 8, Cores: 4, MemoryMiB: 65536, SustainedClockGHz: 3.1, Architectures: []string{"x86_64"}}
	m6g_2xlarge = InstanceType{Name: "m6g.2xlarge", VCPUs: 8, Cores: 8, MemoryMiB: 32768, SustainedClockGHz: 2.5, Architectures: []string{"arm64"}}
	t3_medium   = InstanceType{Name: "t3.medium", VCPUs: 2, Cores: 1, MemoryMiB: 4096, SustainedClockGHz: 2.5, Architectures: []string{"x86_64"}}
	m5_8xlarge  = InstanceType{Name: "m5.8xlarge", VCPUs: 32, Cores: 16, MemoryMiB: 131072, SustainedClockGHz: 3.1, Architectures: []string{"x86_64"}}
)

// Networks as the subnet, VPC and route table lookups report them.
var (
	public = Network{
		VPCID: "vpc-0a1b2c3d", SubnetID: "subnet-0a1b2c3d", SubnetVPCID: "vpc-0a1b2c3d",
		VPCCIDR: "10.0.0.0/16", SubnetCIDR: "10.0.1.0/24",
		DNSSupport: true, RouteToInternetGateway: true,
	}
	privateNAT   = with(public, func(n *Network) { n.RouteToInternetGateway, n.RouteToNAT, n.S3GatewayEndpoint = false, true, true })
	privateNoNAT = with(public, func(n *Network) { n.RouteToInternetGateway = false })
	dnsOff       = with(public, func(n *Network) { n.DNSSupport = false })
	wrongVPC     = with(public, func(n *Network) { n.SubnetVPCID = "vpc-0ffffeee" })
)

func with(n Network, f func(*Network)) Network { f(&n); return n }

// base is the installer's defaults on a public subnet.
func base() Input {
	return Input{
		Services: m5_2xlarge, NomadClient: m5_2xlarge, Builder: r5_2xlarge,
		NomadEnabled: true, NomadClients: 1, MaxNomadClients: 2,
		ServicesPublicIP: true, Network: public,
	}
}

var allChecks = []string{
	CheckServicesMemory, CheckServicesSize, CheckServicesArch,
	CheckNomadClientSize, CheckNomadClientArch, CheckNomadJobFit, CheckNomadClientCount, CheckNomadClientMax,
	CheckBuilderArch,
	CheckSubnetVPC, CheckVPCDNS, CheckSubnetOutbound, CheckServicesPublicIP, CheckS3Endpoint, CheckSubnetSize,
	CheckKeyPair,
	CheckServicesZone, CheckNomadClientZone, CheckBuilderZone,
	CheckFleetEgress,
}

// ids names checks as "name[key]".
func ids(cs []Check) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.Name+"["+c.Key+"]")
	}
	sort.Strings(out)
	return out
}

func sorted(s ...string) []string {
	out := append([]string{}, s...)
	sort.Strings(out)
	return out
}

func find(t *testing.T, r Result, name string) Check {
	t.Helper()
	for _, c := range r.Checks {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("check %q: expected in the result, found only %v", name, ids(r.Checks))
	return Check{}
}

func TestRun(t *testing.T) {
	cases := []struct {
		name       string
		edit       func(*Input)
		fail, warn []string
		// text: substrings expected in a check's Message.
		text map[string][]string
	}{
		{
			name: "installer defaults, public subnet",
			edit: func(*Input) {},
			text: map[string][]string{
				CheckServicesSize:     {"daily_active_users is not set", "<50 daily active users: 8 cores, 32 GB", "100GB"},
				CheckNomadClientCount: {"daily_active_users not set", "desired_clients_count = 1"},
			},
		},
		{
			name: "key pair found",
			edit: func(in *Input) { in.KeyPair = KeyPair{Name: "ops", Found: true} },
		},
		{
			name: "key pair missing in the region",
			edit: func(in *Input) { in.KeyPair = KeyPair{Name: "ops-us-east-1"} },
			fail: []string{"key-pair[aws_ssh_key_name]"},
			text: map[string][]string{
				CheckKeyPair: {"aws_ssh_key_name = ops-us-east-1", "regional", "pulumi config set aws_ssh_key_name"},
			},
		},
		{
			name: "m4.2xlarge everywhere, as the guide's Planning says",
			edit: func(in *Input) { in.Services, in.NomadClient = m4_2xlarge, m4_2xlarge },
		},
		{
			name: "t3.medium services box",
			edit: func(in *Input) { in.Services = t3_medium },
			fail: []string{"services-memory[services_instance_type]"},
			warn: []string{"services-size[services_instance_type]"},
			text: map[string][]string{
				CheckServicesMemory: {"services_instance_type = t3.medium", "4 GiB", "4096 MiB", "requires at least 32 GB of RAM",
					"pulumi config set services_instance_type t3.4xlarge", "by the t3 family's 2 GiB per vCPU", "m5.2xlarge (the guide's recommendation)"},
				CheckServicesSize: {"2 vCPUs (needs 8)"},
			},
		},
		{
			name: "m5.xlarge Nomad client",
			edit: func(in *Input) { in.NomadClient = m5_xlarge },
			fail: []string{"nomad-client-size[nomad_client_instance_type]"},
			text: map[string][]string{
				CheckNomadClientSize: {"nomad_client_instance_type = m5.xlarge", "16 GiB (needs 32 GB)", "4 cores", "32GB",
					"pulumi config set nomad_client_instance_type m5.2xlarge (a suggestion by the m5 family's 4 GiB per vCPU"},
			},
		},
		{
			name: "t3.medium Nomad client",
			edit: func(in *Input) { in.NomadClient = t3_medium },
			fail: []string{"nomad-client-size[nomad_client_instance_type]"},
			text: map[string][]string{
				CheckNomadClientSize: {"2 vCPUs (needs 4) and 4 GiB (needs 32 GB)", "t3.4xlarge", "or m5.2xlarge"},
			},
		},
		{
			name: "arm64 Nomad client",
			edit: func(in *Input) { in.NomadClient = m6g_2xlarge },
			fail: []string{"nomad-client-arch[nomad_client_instance_type]"},
			text: map[string][]string{
				CheckNomadClientArch: {"m6g.2xlarge is arm64, not x86_64", "pulumi config set nomad_client_instance_type m5.2xlarge"},
			},
		},
		{
			name: "arm64 services box",
			edit: func(in *Input) { in.Services = m6g_2xlarge },
			fail: []string{"services-arch[services_instance_type]"},
		},
		{
			name: "arm64 1.0 builders, enabled",
			edit: func(in *Input) { in.BuildersEnabled, in.Builder = true, m6g_2xlarge },
			fail: []string{"builder-arch[builder_instance_type]"},
			text: map[string][]string{CheckBuilderArch: {"builder_instance_type = m6g.2xlarge", "r5.2xlarge"}},
		},
		{
			name: "arm64 1.0 builders, disabled",
			edit: func(in *Input) { in.Builder = m6g_2xlarge },
			text: map[string][]string{CheckBuilderArch: {"desired_builders_count = 0"}},
		},
		{
			name: "Nomad disabled: its client type is not checked",
			edit: func(in *Input) { in.NomadEnabled, in.NomadClient = false, m6g_2xlarge; in.DailyActiveUsers = 30 },
			text: map[string][]string{CheckNomadClientSize: {"enable_nomad = 0"}, CheckNomadClientCount: {"enable_nomad = 0"}},
		},
		{
			name: "300 daily users on the defaults",
			edit: func(in *Input) { in.DailyActiveUsers = 300 },
			warn: []string{"services-size[services_instance_type]", "nomad-client-count[desired_clients_count]", "nomad-client-max[max_clients_count]"},
			text: map[string][]string{
				CheckServicesSize: {"8 vCPUs (needs 16) and 32 GiB (needs 128 GB)", "251-1000 daily active users: 16 cores, 128 GB",
					"daily_active_users = 300", "500GB", "pulumi config set services_instance_type m5.8xlarge"},
				CheckNomadClientCount: {"desired_clients_count = 1 is below", "recommends 10-15 Nomad clients (row 250-1000)", "pulumi config set desired_clients_count 10", "pulumi config set max_clients_count 15"},
				CheckNomadClientMax:   {"max_clients_count = 2", "minimum of 10", "pulumi config set max_clients_count 15"},
			},
		},
		{
			name: "300 daily users, sized as the guide says",
			edit: func(in *Input) {
				in.DailyActiveUsers, in.Services, in.NomadClients, in.MaxNomadClients = 300, m5_8xlarge, 10, 15
			},
		},
		{
			name: "100 daily users on an r5.2xlarge services box",
			edit: func(in *Input) {
				in.DailyActiveUsers, in.Services, in.NomadClients, in.MaxNomadClients = 100, r5_2xlarge, 5, 10
			},
			warn: []string{"services-size[services_instance_type]"},
			text: map[string][]string{
				CheckServicesSize: {"8 vCPUs (needs 12)", "50-250 daily active users: 12 cores, 64 GB", "r5.4xlarge"},
			},
		},
		{
			name: "30 daily users with 8 clients: above the range",
			edit: func(in *Input) { in.DailyActiveUsers, in.NomadClients, in.MaxNomadClients = 30, 8, 8 },
			warn: []string{"nomad-client-count[desired_clients_count]"},
			text: map[string][]string{CheckNomadClientCount: {"desired_clients_count = 8 is above", "1-5", "pulumi config set desired_clients_count 5"}},
		},
		{
			name: "2000 daily users: no row in the guide, treated as 15+",
			edit: func(in *Input) {
				in.DailyActiveUsers, in.Services, in.NomadClients, in.MaxNomadClients = 2000, m5_8xlarge, 15, 30
			},
			warn: []string{"services-size[services_instance_type]"},
			text: map[string][]string{
				CheckServicesSize:     {"has 128 GiB (needs 256 GB)", "1001-5000 daily active users: 20 cores, 256 GB", "m5.16xlarge"},
				CheckNomadClientCount: {"15+", "no row for 1001-5000"},
			},
		},
		{
			name: "10000 daily users: nothing on the m5 ladder fits 512 GB",
			edit: func(in *Input) {
				in.DailyActiveUsers, in.Services, in.NomadClients, in.MaxNomadClients = 10000, m5_8xlarge, 20, 40
			},
			warn: []string{"services-size[services_instance_type]"},
			text: map[string][]string{CheckServicesSize: {"5000+ daily active users: 24 cores, 512 GB", "<an x86_64 type with at least 24 vCPUs and 512 GiB>"}},
		},
		{
			name: "private subnet with NAT and S3 endpoint, Elastic IP planned",
			edit: func(in *Input) { in.Network = privateNAT },
			fail: []string{"services-public-ip[services_public_ip]"},
			text: map[string][]string{CheckServicesPublicIP: {"services_public_ip = true", "subnet-0a1b2c3d is private", "pulumi config set services_public_ip false"}},
		},
		{
			name: "private subnet with NAT, no public IP",
			edit: func(in *Input) { in.Network, in.ServicesPublicIP = privateNAT, false },
			text: map[string][]string{CheckSubnetOutbound: {"private", "NAT"}, CheckServicesPublicIP: {"load balancer"}},
		},
		{
			name: "private subnet without NAT or S3 endpoint",
			edit: func(in *Input) { in.Network, in.ServicesPublicIP = privateNoNAT, false },
			fail: []string{"subnet-outbound[aws_subnet_id]"},
			warn: []string{"s3-endpoint[create_s3_gateway_endpoint]"},
			text: map[string][]string{
				CheckSubnetOutbound: {"aws_subnet_id = subnet-0a1b2c3d", "The private subnet for builder boxes must be configured with a NAT gateway or an internet gateway", "nat-gateway-id"},
				CheckS3Endpoint:     {"create_s3_gateway_endpoint = false", "The VPC Endpoint for S3 should be enabled", "pulumi config set create_s3_gateway_endpoint true"},
			},
		},
		{
			name: "private subnet without NAT, the installation creates the S3 endpoint",
			edit: func(in *Input) {
				in.Network, in.ServicesPublicIP, in.CreateS3GatewayEndpoint = privateNoNAT, false, true
			},
			fail: []string{"subnet-outbound[aws_subnet_id]"},
		},
		{
			name: "S3 endpoint exists and another is to be created",
			edit: func(in *Input) { in.Network, in.ServicesPublicIP, in.CreateS3GatewayEndpoint = privateNAT, false, true },
			warn: []string{"s3-endpoint[create_s3_gateway_endpoint]"},
			text: map[string][]string{CheckS3Endpoint: {"already has", "pulumi config set create_s3_gateway_endpoint false"}},
		},
		{
			name: "VPC without DNS support",
			edit: func(in *Input) { in.Network = dnsOff },
			fail: []string{"vpc-dns-support[aws_vpc_id]"},
			text: map[string][]string{CheckVPCDNS: {"aws_vpc_id = vpc-0a1b2c3d has enableDnsSupport = false",
				"Set your VPC (enableDnsSupport) setting to true", "(here 10.0.0.2)", "modify-vpc-attribute --vpc-id vpc-0a1b2c3d"}},
		},
		{
			name: "subnet of another VPC",
			edit: func(in *Input) { in.Network = wrongVPC },
			fail: []string{"subnet-vpc[aws_subnet_id]"},
			text: map[string][]string{CheckSubnetVPC: {"aws_subnet_id = subnet-0a1b2c3d belongs to vpc-0ffffeee, not to aws_vpc_id = vpc-0a1b2c3d",
				"pulumi config set aws_vpc_id vpc-0ffffeee"}},
		},
		{
			name: "/28 subnet for 20 clients",
			edit: func(in *Input) { in.Network.SubnetCIDR, in.MaxNomadClients = "10.0.1.0/28", 20 },
			fail: []string{"subnet-size[aws_subnet_id]"},
			text: map[string][]string{CheckSubnetSize: {"10.0.1.0/28", "11 usable addresses", "20 Nomad clients", "never exhaust", "max_clients_count 10"}},
		},
		{
			name: "/27 subnet for 20 clients",
			edit: func(in *Input) { in.Network.SubnetCIDR, in.MaxNomadClients = "10.0.1.0/27", 20 },
			warn: []string{"subnet-size[aws_subnet_id]"},
		},
		{
			name: "jobs larger than a client",
			edit: func(in *Input) { in.NomadJobMemoryMiB = 65536 },
			fail: []string{"nomad-job-fit[nomad_client_instance_type]"},
			text: map[string][]string{CheckNomadJobFit: {"nomad_job_memory_mib = 65536", "memory bound 0.5", "m5.4xlarge", "pulumi config set nomad_job_memory_mib"}},
		},
		{
			name: "no clock from AWS",
			edit: func(in *Input) { in.NomadClient.SustainedClockGHz = 0 },
		},
		{
			name: "everything wrong, preflight = warn",
			edit: func(in *Input) {
				in.Services, in.NomadClient, in.Network, in.WarnOnly = t3_medium, m6g_2xlarge, privateNoNAT, true
			},
			warn: []string{
				"services-memory[services_instance_type]", "services-size[services_instance_type]",
				"nomad-client-arch[nomad_client_instance_type]", "subnet-outbound[aws_subnet_id]",
				"services-public-ip[services_public_ip]", "s3-endpoint[create_s3_gateway_endpoint]",
			},
			text: map[string][]string{
				CheckServicesMemory: {downgraded + "services_instance_type = t3.medium"},
				CheckSubnetOutbound: {downgraded},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := base()
			tc.edit(&in)
			r := Run(in)

			var names []string
			for _, c := range r.Checks {
				names = append(names, c.Name)
			}
			if !slices.Equal(names, allChecks) {
				t.Errorf("checks: expected %v, found %v", allChecks, names)
			}
			if got, want := ids(r.Failed()), sorted(tc.fail...); !slices.Equal(got, want) {
				t.Errorf("failed checks: expected %v, found %v\n%s", want, got, r.Summary())
			}
			if got, want := ids(r.Warnings()), sorted(tc.warn...); !slices.Equal(got, want) {
				t.Errorf("warnings: expected %v, found %v\n%s", want, got, r.Summary())
			}
			for name, subs := range tc.text {
				c := find(t, r, name)
				for _, s := range subs {
					if !strings.Contains(c.Message, s) {
						t.Errorf("%s message: expected it to contain %q, found %q", name, s, c.Message)
					}
				}
			}
			for _, c := range r.Checks {
				checkWording(t, c)
			}
			if in.WarnOnly && len(r.Failed()) != 0 {
				t.Errorf("preflight = warn: expected no failures, found %v", ids(r.Failed()))
			}
		})
	}
}

// checkWording: every message names its key; problems carry a fix at the
// end of the message, passes and skips none.
func checkWording(t *testing.T, c Check) {
	t.Helper()
	if !strings.Contains(c.Message, c.Key) {
		t.Errorf("%s: expected the message to name key %s, found %q", c.Name, c.Key, c.Message)
	}
	switch c.Status {
	case Warn, Fail:
		if c.Fix == "" || !strings.HasSuffix(c.Message, "Fix: "+c.Fix) {
			t.Errorf("%s (%s): expected a message ending in \"Fix: <fix>\", found fix %q in %q", c.Name, c.Status, c.Fix, c.Message)
		}
	case Pass, Skip:
		if c.Fix != "" {
			t.Errorf("%s (%s): expected no fix, found %q", c.Name, c.Status, c.Fix)
		}
	default:
		t.Errorf("%s: expected status pass, warn, fail or skip, found %q", c.Name, c.Status)
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestCapacity(t *testing.T) {
	guideM5 := m5_2xlarge
	guideM5.SustainedClockGHz = 2.4 // the guide's figure: 8 × 2.4 GHz = 19,200 MHz
	noClock := m5_2xlarge
	noClock.SustainedClockGHz = 0
	cases := []struct {
		name            string
		client          InstanceType
		cpus, mib, n    int
		want            Capacity
		wantLineContain []string
	}{
		{
			// The guide: 19200 MHz, "9.6 jobs" (it divides by 2,000); by
			// its 1024 MHz per CPU it is 9.375, and RAM limits to 8.
			name: "m5.2xlarge as in the guide, medium class", client: guideM5, n: 3,
			want:            Capacity{ClientMHz: 19200, CPUBound: 9.375, MemoryBound: 8, JobsPerClient: 8, Bound: "memory", FleetJobs: 24},
			wantLineContain: []string{"19200 MHz", "9.38", "the available RAM is the limiting factor", "24 jobs at desired_clients_count = 3"},
		},
		{
			name: "r5.2xlarge: the CPU limits", client: r5_2xlarge, n: 2,
			want:            Capacity{ClientMHz: 24800, CPUBound: 24800.0 / 2048, MemoryBound: 16, JobsPerClient: 24800.0 / 2048, Bound: "cpu", FleetJobs: 24},
			wantLineContain: []string{"the CPU is the limiting factor", "24 jobs at desired_clients_count = 2"},
		},
		{
			name: "small class of 1 CPU and 2 GiB", client: guideM5, cpus: 1, mib: 2048, n: 1,
			want: Capacity{ClientMHz: 19200, CPUBound: 18.75, MemoryBound: 16, JobsPerClient: 16, Bound: "memory", FleetJobs: 16},
		},
		{
			name: "no clock from AWS", client: noClock, n: 2,
			want:            Capacity{MemoryBound: 8, JobsPerClient: 8, Bound: "memory", FleetJobs: 16},
			wantLineContain: []string{"no sustained clock for m5.2xlarge", "CPU bound is unknown"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := base()
			in.NomadClient, in.NomadJobCPUs, in.NomadJobMemoryMiB, in.NomadClients, in.MaxNomadClients = tc.client, tc.cpus, tc.mib, tc.n, tc.n
			got := Run(in).Capacity
			w := tc.want
			if !near(got.ClientMHz, w.ClientMHz) || !near(got.CPUBound, w.CPUBound) || !near(got.MemoryBound, w.MemoryBound) ||
				!near(got.JobsPerClient, w.JobsPerClient) || got.Bound != w.Bound || !near(got.FleetJobs, w.FleetJobs) {
				t.Errorf("capacity: expected %+v, found %+v", w, got)
			}
			line := Run(in).CapacityLine()
			for _, s := range tc.wantLineContain {
				if !strings.Contains(line, s) {
					t.Errorf("capacity line: expected it to contain %q, found %q", s, line)
				}
			}
		})
	}
	t.Run("Nomad disabled", func(t *testing.T) {
		in := base()
		in.NomadEnabled = false
		r := Run(in)
		if r.Capacity != (Capacity{}) {
			t.Errorf("capacity: expected none, found %+v", r.Capacity)
		}
		if want := "enable_nomad = 0"; !strings.Contains(r.CapacityLine(), want) {
			t.Errorf("capacity line: expected %q in it, found %q", want, r.CapacityLine())
		}
	})
}

func TestSummaryListsEveryCheck(t *testing.T) {
	in := base()
	in.Services, in.Network = t3_medium, dnsOff
	r := Run(in)
	s := r.Summary()
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if want := len(allChecks) + 2; len(lines) != want {
		t.Errorf("summary: expected %d lines (a count, %d checks, capacity), found %d:\n%s", want, len(allChecks), len(lines), s)
	}
	if want := "2 failed, 1 warning, 9 passed, 8 skipped"; !strings.Contains(lines[0], want) {
		t.Errorf("summary head: expected %q, found %q", want, lines[0])
	}
	for i, c := range r.Checks {
		want := strings.ToUpper(string(c.Status)) + "  " + c.Name + " [" + c.Key + "]"
		if !strings.Contains(lines[i+1], want) {
			t.Errorf("summary line %d: expected %q, found %q", i+1, want, lines[i+1])
		}
	}
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "Capacity: m5.2xlarge runs 8 jobs") {
		t.Errorf("summary: expected the capacity line last, found %q", last)
	}
}

func TestErr(t *testing.T) {
	if err := Run(base()).Err(); err != nil {
		t.Errorf("defaults: expected no error, found %v", err)
	}
	in := base()
	in.Services, in.NomadClient, in.Network = t3_medium, m6g_2xlarge, wrongVPC
	r := Run(in)
	err := r.Err()
	if err == nil {
		t.Fatalf("expected an error for %v, found nil", ids(r.Failed()))
	}
	msg := err.Error()
	failed := r.Failed()
	if len(failed) != 3 {
		t.Errorf("failed checks: expected 3, found %v", ids(failed))
	}
	if want := "preflight: 3 checks failed"; !strings.HasPrefix(msg, want) {
		t.Errorf("error: expected it to start with %q, found %q", want, msg)
	}
	for _, c := range failed {
		for _, s := range []string{c.Name + " [" + c.Key + "]", "Fix: " + c.Fix} {
			if !strings.Contains(msg, s) {
				t.Errorf("error: expected %q in it, found %q", s, msg)
			}
		}
	}
	if want := "pulumi config set preflight warn"; !strings.Contains(msg, want) {
		t.Errorf("error: expected it to mention %q, found %q", want, msg)
	}

	in.WarnOnly = true
	if err := Run(in).Err(); err != nil {
		t.Errorf("preflight = warn: expected no error, found %v", err)
	}
}

func TestSuggestInstanceType(t *testing.T) {
	noName := m5_2xlarge
	noName.Name = "m5"
	cases := []struct {
		current      InstanceType
		vcpus, mem   int
		want         string
		wantBecauses string
	}{
		{m5_2xlarge, 12, 64 * 1024, "m5.4xlarge", "50-250 row"},
		{m5_2xlarge, 16, 128 * 1024, "m5.8xlarge", "251-1000 row"},
		{m5_2xlarge, 20, 256 * 1024, "m5.16xlarge", "1001-5000 row"},
		{m5_2xlarge, 24, 512 * 1024, "", "512 GiB needs 128 m5 vCPUs, beyond 24xlarge"},
		{r5_2xlarge, 24, 512 * 1024, "r5.16xlarge", "8 GiB per vCPU"},
		{m5_xlarge, 4, 32 * 1024, "m5.2xlarge", "Nomad minimum"},
		{t3_medium, 4, 32 * 1024, "t3.4xlarge", "2 GiB per vCPU"},
		{m5_8xlarge, 8, 32 * 1024, "m5.2xlarge", "smallest that fits, even below current"},
		{m5_2xlarge, 1, 1, "m5.large", "bottom of the ladder"},
		{m5_2xlarge, 128, 0, "", "beyond 96 vCPUs"},
		{noName, 8, 32 * 1024, "", "no size in the name"},
		{InstanceType{Name: "m5.2xlarge"}, 8, 32 * 1024, "", "no vCPUs or memory"},
	}
	for _, tc := range cases {
		if got := SuggestInstanceType(tc.current, tc.vcpus, tc.mem); got != tc.want {
			t.Errorf("SuggestInstanceType(%s, %d vCPUs, %d MiB) (%s): expected %q, found %q",
				tc.current.Name, tc.vcpus, tc.mem, tc.wantBecauses, tc.want, got)
		}
	}
}

func TestGuideTables(t *testing.T) {
	services := []struct {
		users int
		want  string
	}{
		{1, "<50 daily active users: 8 cores, 32 GB"},
		{49, "<50 daily active users: 8 cores, 32 GB"},
		{50, "50-250 daily active users: 12 cores, 64 GB"},
		{250, "50-250 daily active users: 12 cores, 64 GB"},
		{251, "251-1000 daily active users: 16 cores, 128 GB"},
		{5000, "1001-5000 daily active users: 20 cores, 256 GB"},
		{5001, "5000+ daily active users: 24 cores, 512 GB"},
	}
	for _, tc := range services {
		if got := servicesRowFor(tc.users).String(); got != tc.want {
			t.Errorf("services row for %d users: expected %q, found %q", tc.users, tc.want, got)
		}
	}
	clients := []struct {
		users int
		want  string
	}{{49, "1-5"}, {50, "5-10"}, {250, "5-10"}, {251, "10-15"}, {1000, "10-15"}, {1001, "15+"}, {9000, "15+"}}
	for _, tc := range clients {
		if got := clientRowFor(tc.users).rangeText(); got != tc.want {
			t.Errorf("client range for %d users: expected %q, found %q", tc.users, tc.want, got)
		}
	}
}

// The fleets' public IP follows the subnet's route unless clients_public_ip
// says otherwise, and a fleet with no way out fails before anything exists.
func TestFleetEgress(t *testing.T) {
	cases := []struct {
		name    string
		mode    string
		network Network
		proxy   bool
		public  bool   // FleetPublicIP
		status  Status // of fleet-egress
		says    string
	}{
		{"public subnet, auto", "auto", public, false, true, Pass, "get a public IP"},
		{"public subnet, unset (auto)", "", public, false, true, Pass, "clients_public_ip = auto"},
		{"public subnet, false", "false", public, false, false, Fail, "no way out"},
		{"public subnet, false, behind a proxy", "false", public, true, false, Pass, "through the proxy"},
		{"private subnet with NAT, auto", "auto", privateNAT, false, false, Pass, "through the NAT"},
		{"private subnet with NAT, true", "true", privateNAT, false, true, Warn, "cannot be reached"},
		{"private subnet without NAT", "auto", privateNoNAT, false, false, Skip, "no route out"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := FleetPublicIP(c.mode, c.network); got != c.public {
				t.Errorf("FleetPublicIP(%q): expected %v, found %v", c.mode, c.public, got)
			}
			in := base()
			in.ClientsPublicIP, in.Network, in.ProxyEnabled = c.mode, c.network, c.proxy
			ch := find(t, Run(in), CheckFleetEgress)
			if ch.Status != c.status || !strings.Contains(ch.Message, c.says) {
				t.Errorf("expected %s with %q, found %s: %s", c.status, c.says, ch.Status, ch.Message)
			}
		})
	}
	in := base()
	in.NomadEnabled, in.BuildersEnabled = false, false
	if ch := find(t, Run(in), CheckFleetEgress); ch.Status != Skip {
		t.Errorf("no fleets: expected skip, found %s: %s", ch.Status, ch.Message)
	}
}

// An instance type must be offered in the subnet's zone, not only in the region.
func TestInstanceTypeZones(t *testing.T) {
	inZone := func(zones ...string) InstanceType {
		it := m5_2xlarge
		it.Zones = append([]string{}, zones...)
		return it
	}
	cases := []struct {
		name     string
		services InstanceType
		zone     string
		status   Status
		says     string
	}{
		{"offered in the subnet's zone", inZone("eu-central-1a", "eu-central-1b"), "eu-central-1b", Pass, "is offered in eu-central-1b"},
		{"offered elsewhere only", inZone("eu-central-1a", "eu-central-1b"), "eu-central-1c", Fail, "it is offered in eu-central-1a, eu-central-1b"},
		{"offered nowhere", inZone(), "eu-central-1c", Fail, "offered in no zone of the region"},
		{"not looked up", m5_2xlarge, "eu-central-1c", Skip, "not looked up"},
		{"zone unknown", inZone("eu-central-1a"), "", Skip, "not looked up"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := base()
			in.Services, in.Network.SubnetZone = c.services, c.zone
			ch := find(t, Run(in), CheckServicesZone)
			if ch.Status != c.status || !strings.Contains(ch.Message, c.says) {
				t.Errorf("expected %s with %q, found %s: %s", c.status, c.says, ch.Status, ch.Message)
			}
			if c.status == Fail && !strings.Contains(ch.Fix, "pulumi config set aws_subnet_id") {
				t.Errorf("the fix does not say how: %s", ch.Fix)
			}
		})
	}
	in := base()
	in.BuildersEnabled, in.Builder = true, inZone("eu-central-1a")
	in.Network.SubnetZone = "eu-central-1c"
	if ch := find(t, Run(in), CheckBuilderZone); ch.Status != Fail || ch.Key != "builder_instance_type" {
		t.Errorf("builders in a zone without their type: expected a failure on builder_instance_type, found %s %s: %s", ch.Status, ch.Key, ch.Message)
	}
}
