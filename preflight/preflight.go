// Package preflight checks an installation's plan against the CircleCI
// Server v2.19.6 installation guide before anything is created, so that
// `pulumi preview` says what is wrong instead of `pulumi up` building an
// installation that cannot work.
//
// The program looks the facts up from AWS (ec2.GetInstanceType, the subnet,
// its VPC and its route table) and hands them over in an Input; Run decides
// what is wrong. Every message names the config key to change, the value
// found (by its name in config, never retyped), what the guide requires,
// and a fix. The rules are pure functions of the Input, so they are tested
// on their own and in a second.
package preflight

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/circleci-server-pulumi/installer/config"
)

// InstanceType is what AWS says about an instance type (ec2.GetInstanceType).
type InstanceType struct {
	Name              string
	VCPUs             int
	Cores             int // physical cores
	MemoryMiB         int
	SustainedClockGHz float64  // 0 when AWS does not say
	Architectures     []string // e.g. ["x86_64"], ["arm64"]
	// Zones are the availability zones of the region that offer the type
	// (ec2.GetInstanceTypeOfferings); nil when they were not looked up.
	Zones []string
}

// Network is what AWS says about the configured subnet and its VPC.
type Network struct {
	VPCID, SubnetID        string // as configured (aws_vpc_id, aws_subnet_id)
	SubnetVPCID            string // the VPC the subnet really belongs to; "" if AWS did not say
	SubnetZone             string // the subnet's availability zone; "" if AWS did not say
	VPCCIDR, SubnetCIDR    string // IPv4 CIDRs; "" if not known
	DNSSupport             bool   // enableDnsSupport of the subnet's VPC
	RouteToInternetGateway bool   // the subnet's route table has 0.0.0.0/0 -> igw-
	RouteToNAT             bool   // 0.0.0.0/0 -> nat- (NAT gateway) or a NAT instance
	S3GatewayEndpoint      bool   // a gateway VPC endpoint for S3 on the subnet's route table
}

// Input is the installation's plan: its configuration and the facts AWS
// gave about the instance types and the network.
type Input struct {
	Services, NomadClient, Builder InstanceType
	NomadEnabled                   bool   // enable_nomad = 1
	BuildersEnabled                bool   // desired_builders_count > 0
	DailyActiveUsers               int    // daily_active_users; 0: not given
	NomadClients                   int    // desired_clients_count
	MaxNomadClients                int    // max_clients_count
	NomadJobMemoryMiB              int    // nomad_job_memory_mib; 0: DefaultJobMemoryMiB
	NomadJobCPUs                   int    // CPUs of that resource class; 0: DefaultJobCPUs
	ServicesPublicIP               bool   // services_public_ip: an Elastic IP is planned
	ClientsPublicIP                string // clients_public_ip: "auto", "true" or "false"
	ProxyEnabled                   bool   // http_proxy or https_proxy is set
	CreateS3GatewayEndpoint        bool   // create_s3_gateway_endpoint
	Network                        Network
	KeyPair                        KeyPair
	WarnOnly                       bool // preflight = "warn": failures become warnings
}

// KeyPair is whether AWS knows the configured EC2 key pair.
type KeyPair struct {
	Name  string // aws_ssh_key_name
	Found bool
}

// Defaults for the job size that capacity is counted in: CircleCI's medium
// resource class (2 CPUs, 4 GB).
const (
	DefaultJobMemoryMiB = 4096
	DefaultJobCPUs      = 2
)

// Status is the outcome of one check.
type Status string

const (
	Pass Status = "pass"
	Warn Status = "warn"
	Fail Status = "fail"
	Skip Status = "skip" // the check does not apply to this plan, or lacks a fact
)

// Check is the outcome of one rule.
type Check struct {
	Name    string // stable identifier, one of the Check* constants
	Key     string // the config key concerned
	Status  Status
	Message string // the value found and what the guide requires; for warn and fail it ends with "Fix: " and Fix
	Fix     string // the fix alone; "" for pass and skip
}

func (c Check) String() string {
	return fmt.Sprintf("%s [%s]: %s", c.Name, c.Key, c.Message)
}

// Capacity is how many jobs of the configured size fit on the Nomad
// clients, counted the way the guide's "Nomad Clients" section does.
type Capacity struct {
	ClientMHz     float64 // vCPUs × sustained clock; 0 when AWS gives no clock
	CPUBound      float64 // ClientMHz / (1024 × job CPUs); 0 when unknown
	MemoryBound   float64 // client MiB / job MiB
	JobsPerClient float64 // the smaller of the known bounds
	Bound         string  // "cpu" or "memory": the limiting factor
	// FleetJobs is whole jobs per client × desired_clients_count: Nomad
	// places each job on one client, so fractions do not add up across
	// clients.
	FleetJobs float64
}

// Result is every check, in a fixed order, and the Nomad capacity.
type Result struct {
	Checks   []Check
	Capacity Capacity

	nomad                      bool // capacity was computed
	clientType                 string
	clientMiB                  int
	jobCPUs, jobMiB            int
	desiredClients, maxClients int
}

// Run checks the plan against the guide.
func Run(in Input) Result {
	if in.NomadJobMemoryMiB <= 0 {
		in.NomadJobMemoryMiB = DefaultJobMemoryMiB
	}
	if in.NomadJobCPUs <= 0 {
		in.NomadJobCPUs = DefaultJobCPUs
	}
	r := Result{
		nomad:          in.NomadEnabled,
		clientType:     in.NomadClient.Name,
		clientMiB:      in.NomadClient.MemoryMiB,
		jobCPUs:        in.NomadJobCPUs,
		jobMiB:         in.NomadJobMemoryMiB,
		desiredClients: in.NomadClients,
		maxClients:     in.MaxNomadClients,
	}
	if in.NomadEnabled {
		r.Capacity = capacityOf(in.NomadClient, in.NomadJobCPUs, in.NomadJobMemoryMiB, in.NomadClients)
	}
	for _, rule := range rules {
		c := rule(in, r.Capacity)
		if c.Status == Fail && in.WarnOnly {
			c.Status = Warn
			c.Message = downgraded + c.Message
		}
		r.Checks = append(r.Checks, c)
	}
	return r
}

// downgraded prefixes a failure that `preflight: warn` turned into a warning.
const downgraded = "[would fail; downgraded to a warning by " + config.KeyPreflight + " = warn] "

// capacityOf counts jobs per client as the guide's "Nomad Clients" section
// does: Nomad allocates 1024 MHz per job CPU, and a client's capacity is
// "number of cores * clock speed" (m5.2xlarge: 8 vCPUs × 2.4 GHz = 19,200
// MHz). With a 2-CPU job that is 19200 / 2048 = 9.375 jobs; the guide says
// "9.6 jobs", which is 19,200 / 2,000, i.e. 1000 MHz per CPU, not the 1024
// it states. Memory: 32768 MiB / 4096 MiB = 8 jobs, so "the available RAM
// is the limiting factor", as the guide says.
func capacityOf(t InstanceType, jobCPUs, jobMiB, clients int) Capacity {
	c := Capacity{Bound: "memory"}
	c.MemoryBound = float64(t.MemoryMiB) / float64(jobMiB)
	c.JobsPerClient = c.MemoryBound
	if t.SustainedClockGHz > 0 {
		// Whole MHz: 2.4 GHz is not exact in binary.
		c.ClientMHz = math.Round(float64(t.VCPUs) * t.SustainedClockGHz * 1000)
		c.CPUBound = c.ClientMHz / float64(mhzPerJobCPU*jobCPUs)
		if c.CPUBound < c.MemoryBound {
			c.JobsPerClient, c.Bound = c.CPUBound, "cpu"
		}
	}
	c.FleetJobs = math.Floor(c.JobsPerClient) * float64(clients)
	return c
}

// mhzPerJobCPU is what Nomad allocates per job CPU (guide, "Nomad Clients").
const mhzPerJobCPU = 1024

func (r Result) with(s Status) []Check {
	var out []Check
	for _, c := range r.Checks {
		if c.Status == s {
			out = append(out, c)
		}
	}
	return out
}

// Failed returns the checks that failed.
func (r Result) Failed() []Check { return r.with(Fail) }

// Warnings returns the checks that warn, including failures downgraded by
// preflight = warn.
func (r Result) Warnings() []Check { return r.with(Warn) }

// Summary is one screen: a count, every check with its status, and the
// capacity line.
func (r Result) Summary() string {
	var b strings.Builder
	warns := len(r.with(Warn))
	fmt.Fprintf(&b, "Preflight against the CircleCI Server v2.19.6 install guide: %d failed, %d warning%s, %d passed, %d skipped\n",
		len(r.with(Fail)), warns, plural(warns), len(r.with(Pass)), len(r.with(Skip)))
	for _, c := range r.Checks {
		fmt.Fprintf(&b, "  %-4s  %s\n", strings.ToUpper(string(c.Status)), c)
	}
	b.WriteString(r.CapacityLine())
	b.WriteString("\n")
	return b.String()
}

// CapacityLine describes Capacity in one line, in whole jobs.
func (r Result) CapacityLine() string {
	if !r.nomad {
		return "Capacity: no Nomad clients (" + config.KeyEnableNomad + " = 0)."
	}
	c := r.Capacity
	job := fmt.Sprintf("jobs of %d CPUs and %d MiB (%s)", r.jobCPUs, r.jobMiB, config.KeyNomadJobMemoryMiB)
	memory := fmt.Sprintf("memory bound %s = %d MiB / %d MiB", num(c.MemoryBound), r.clientMiB, r.jobMiB)
	var bounds string
	if c.ClientMHz > 0 {
		bounds = fmt.Sprintf("CPU bound %s = %s MHz / %d MHz per job, %s; %s",
			num(c.CPUBound), num(c.ClientMHz), mhzPerJobCPU*r.jobCPUs, memory, boundPhrase(c.Bound))
	} else {
		bounds = fmt.Sprintf("%s; AWS gives no sustained clock for %s, so the CPU bound is unknown and memory alone is counted",
			memory, r.clientType)
	}
	return fmt.Sprintf("Capacity: %s runs %s %s per client: %s. %s jobs at %s = %d, %s at %s = %d.",
		r.clientType, num(math.Floor(c.JobsPerClient)), job, bounds,
		num(c.FleetJobs), config.KeyDesiredClientsCount, r.desiredClients,
		num(math.Floor(c.JobsPerClient)*float64(r.maxClients)), config.KeyMaxClientsCount, r.maxClients)
}

func boundPhrase(bound string) string {
	if bound == "cpu" {
		return "the CPU is the limiting factor"
	}
	return "the available RAM is the limiting factor"
}

// Err is nil when no check failed, or one error listing every failed check
// with its fix.
func (r Result) Err() error {
	failed := r.Failed()
	if len(failed) == 0 {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "preflight: %d check%s failed against the CircleCI Server v2.19.6 install guide:", len(failed), plural(len(failed)))
	for _, c := range failed {
		b.WriteString("\n  - ")
		b.WriteString(c.String())
	}
	b.WriteString("\nTo go ahead anyway (not recommended): pulumi config set " + config.KeyPreflight + " warn")
	return errors.New(b.String())
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// num prints a figure with at most two decimals and no trailing zeros.
func num(f float64) string {
	s := fmt.Sprintf("%.2f", f)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// gib prints MiB as GiB.
func gib(mib float64) string {
	return num(mib/1024) + " GiB"
}
