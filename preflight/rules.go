package preflight

import (
	"fmt"
	"math"
	"net"
	"strings"

	"github.com/circleci-server-pulumi/installer/config"
)

// Check names, in the order Run reports them.
const (
	CheckServicesMemory   = "services-memory"
	CheckServicesSize     = "services-size"
	CheckServicesArch     = "services-arch"
	CheckNomadClientSize  = "nomad-client-size"
	CheckNomadClientArch  = "nomad-client-arch"
	CheckNomadJobFit      = "nomad-job-fit"
	CheckNomadClientCount = "nomad-client-count"
	CheckNomadClientMax   = "nomad-client-max"
	CheckBuilderArch      = "builder-arch"
	CheckSubnetVPC        = "subnet-vpc"
	CheckVPCDNS           = "vpc-dns-support"
	CheckSubnetOutbound   = "subnet-outbound"
	CheckServicesPublicIP = "services-public-ip"
	CheckS3Endpoint       = "s3-endpoint"
	CheckSubnetSize       = "subnet-size"
	CheckKeyPair          = "key-pair"
	CheckServicesZone     = "services-zone"
	CheckNomadClientZone  = "nomad-client-zone"
	CheckBuilderZone      = "builder-zone"
	CheckFleetEgress      = "fleet-egress"
)

type rule func(in Input, capacity Capacity) Check

var rules = []rule{
	servicesMemory, servicesSize, servicesArch,
	nomadClientSize, nomadClientArch, nomadJobFit, nomadClientCount, nomadClientMax,
	builderArch,
	subnetVPC, vpcDNS, subnetOutbound, servicesPublicIP, s3Endpoint, subnetSize,
	keyPair,
	servicesZone, nomadClientZone, builderZone,
	fleetEgress,
}

func pass(name, key, format string, args ...any) Check {
	return Check{Name: name, Key: key, Status: Pass, Message: fmt.Sprintf(format, args...)}
}

func skip(name, key, format string, args ...any) Check {
	return Check{Name: name, Key: key, Status: Skip, Message: fmt.Sprintf(format, args...)}
}

func problem(s Status, name, key, fix, format string, args ...any) Check {
	return Check{Name: name, Key: key, Status: s, Fix: fix, Message: fmt.Sprintf(format, args...) + ". Fix: " + fix}
}

func fail(name, key, fix, format string, args ...any) Check {
	return problem(Fail, name, key, fix, format, args...)
}

func warn(name, key, fix, format string, args ...any) Check {
	return problem(Warn, name, key, fix, format, args...)
}

// The keys the checks name, from their declarations.
const (
	servicesKey = config.KeyServicesInstanceType
	nomadKey    = config.KeyNomadClientInstanceType
	builderKey  = config.KeyBuilderInstanceType
	usersKey    = config.KeyDailyActiveUsers
	desiredKey  = config.KeyDesiredClientsCount
	maxKey      = config.KeyMaxClientsCount
	subnetKey   = config.KeyAWSSubnetID
	vpcKey      = config.KeyAWSVPCID
	publicIPKey = config.KeyServicesPublicIP
	s3Key       = config.KeyCreateS3GatewayEndpoint
	keyPairKey  = config.KeyAWSSSHKeyName
	jobMiBKey   = config.KeyNomadJobMemoryMiB
	fleetIPKey  = config.KeyClientsPublicIP
)

// The guide's "GB" are taken as GiB, as AWS sizes memory: its m5.2xlarge
// "32GB RAM" is 32768 MiB.
const gibMiB = 1024

// describe prints an instance type's size, e.g. "8 vCPUs/4 cores, 32 GiB".
func describe(t InstanceType) string {
	s := fmt.Sprintf("%d vCPUs", t.VCPUs)
	if t.Cores > 0 {
		s += fmt.Sprintf("/%d cores", t.Cores)
	}
	return s + ", " + gib(float64(t.MemoryMiB))
}

// --- Services machine --------------------------------------------------

// servicesRow is a row of the guide's Services Machine table (System
// Requirements). Its "cores" are compared with vCPUs: the guide's own
// recommendation for the first row, m4.2xlarge or m5.2xlarge (Planning;
// "8 vCPUs"), has 4 physical cores and 8 vCPUs, so the guide counts vCPUs.
type servicesRow struct {
	users    string // the row as the guide writes it
	maxUsers int    // inclusive; 0 for the last row
	cores    int
	ramGB    int
	disk     string
	nic      string
}

// The guide's rows "1001-5000" and "5000+" both hold 5000; it is taken as
// the former.
var servicesTable = []servicesRow{
	{"<50", 49, 8, 32, "100GB", "1Gbps"},
	{"50-250", 250, 12, 64, "200GB", "1Gbps"},
	{"251-1000", 1000, 16, 128, "500GB", "10Gbps"},
	{"1001-5000", 5000, 20, 256, "1TB", "10Gbps"},
	{"5000+", 0, 24, 512, "2TB", "10Gbps"},
}

func servicesRowFor(users int) servicesRow {
	for _, r := range servicesTable {
		if r.maxUsers == 0 || users <= r.maxUsers {
			return r
		}
	}
	return servicesTable[len(servicesTable)-1]
}

func (r servicesRow) String() string {
	return fmt.Sprintf("%s daily active users: %d cores, %d GB", r.users, r.cores, r.ramGB)
}

// minServicesMiB: "We now require a minimum 32GB of RAM for the Services
// Machine" (release notes), the first row of the Services Machine table.
const minServicesMiB = 32 * gibMiB

func servicesMemory(in Input, _ Capacity) Check {
	t := in.Services
	if t.MemoryMiB >= minServicesMiB {
		return pass(CheckServicesMemory, servicesKey, "%s = %s has %s of RAM; CircleCI Server 2.19 requires at least 32 GB",
			servicesKey, t.Name, gib(float64(t.MemoryMiB)))
	}
	row := servicesRowFor(in.DailyActiveUsers)
	return fail(CheckServicesMemory, servicesKey, instanceFix(servicesKey, t, row.cores, row.ramGB*gibMiB),
		"%s = %s has %s of RAM (%d MiB); CircleCI Server 2.19 requires at least 32 GB of RAM on the services machine (guide: release notes; System Requirements, Services Machine)",
		servicesKey, t.Name, gib(float64(t.MemoryMiB)), t.MemoryMiB)
}

// servicesSize compares the services machine with its row of the Services
// Machine table. Without daily_active_users it uses the first row, and only
// for the CPU: its 32 GB are services-memory's minimum already.
func servicesSize(in Input, _ Capacity) Check {
	t := in.Services
	users := in.DailyActiveUsers
	row := servicesRowFor(users)
	var short []string
	if t.VCPUs < row.cores {
		short = append(short, fmt.Sprintf("%d vCPUs (needs %d)", t.VCPUs, row.cores))
	}
	if users > 0 && t.MemoryMiB < row.ramGB*gibMiB {
		short = append(short, fmt.Sprintf("%s (needs %d GB)", gib(float64(t.MemoryMiB)), row.ramGB))
	}
	which := fmt.Sprintf("the row for %s = %d", usersKey, users)
	if users <= 0 {
		which = fmt.Sprintf("the smallest row, as %s is not set (pulumi config set %s <n> to compare with yours)", usersKey, usersKey)
	}
	advice := fmt.Sprintf("the row also asks for %s of disk (%s) and a %s NIC", row.disk, config.KeyServicesVolumeSize, row.nic)
	if len(short) == 0 {
		return pass(CheckServicesSize, servicesKey, "%s = %s (%s) meets the guide's Services Machine table, \"%s\", %s; cores counted as vCPUs; %s",
			servicesKey, t.Name, describe(t), row, which, advice)
	}
	minMiB := row.ramGB * gibMiB
	return warn(CheckServicesSize, servicesKey, instanceFix(servicesKey, t, row.cores, minMiB),
		"%s = %s has %s for the guide's Services Machine table, \"%s\", %s; cores counted as vCPUs; %s",
		servicesKey, t.Name, strings.Join(short, " and "), row, which, advice)
}

// --- Architectures ----------------------------------------------------

// archCheck: the installer boots Canonical's Ubuntu 16.04 amd64 image
// (ubuntu-xenial-16.04-amd64-server, architecture x86_64) on every
// instance, and the guide's Nomad client script installs Docker for
// arch=amd64 and nomad_0.9.3_linux_amd64; CircleCI Server 2.19's services
// and 1.0 builder images are x86_64 only. AWS refuses to launch an x86_64
// image on an arm64 type.
func archCheck(name, key string, t InstanceType, alt string) Check {
	switch archOf(t) {
	case archX86:
		return pass(name, key, "%s = %s is x86_64", key, t.Name)
	case archUnknown:
		return warn(name, key, fmt.Sprintf("make sure %s is x86_64, or pulumi config set %s %s", t.Name, key, alt),
			"%s = %s: AWS reported no architecture for it; the installation needs x86_64 (its Ubuntu 16.04 image and the guide's scripts are amd64)",
			key, t.Name)
	}
	return fail(name, key, fmt.Sprintf("pulumi config set %s %s, or another x86_64 type", key, alt),
		"%s = %s is %s, not x86_64: the installation boots an x86_64 (amd64) Ubuntu 16.04 image, which AWS does not launch on other architectures, and the guide's scripts install amd64 builds of Docker and Nomad",
		key, t.Name, strings.Join(t.Architectures, "/"))
}

func servicesArch(in Input, _ Capacity) Check {
	return archCheck(CheckServicesArch, servicesKey, in.Services, guideType.Name+" (the guide's recommendation)")
}

func nomadClientArch(in Input, _ Capacity) Check {
	if !in.NomadEnabled {
		return nomadOff(CheckNomadClientArch, nomadKey, in.NomadClient.Name)
	}
	return archCheck(CheckNomadClientArch, nomadKey, in.NomadClient, guideType.Name+" (the guide's recommendation)")
}

func builderArch(in Input, _ Capacity) Check {
	if !in.BuildersEnabled {
		return skip(CheckBuilderArch, builderKey, "%s = %s not checked: %s = 0, no 1.0 builders", builderKey, in.Builder.Name, config.KeyDesiredBuildersCount)
	}
	return archCheck(CheckBuilderArch, builderKey, in.Builder, "r5.2xlarge (this installer's default; the guide recommends an r3 instance)")
}

// --- Nomad clients ----------------------------------------------------

// The guide's minimum per Nomad client (System Requirements, Nomad
// Clients): "CPU: 4 cores", "RAM: 32GB". Cores are counted as vCPUs, as for
// the services machine: the recommended m5.2xlarge has 4 physical cores.
const (
	minNomadVCPUs = 4
	minNomadMiB   = 32 * gibMiB
)

func nomadClientSize(in Input, _ Capacity) Check {
	if !in.NomadEnabled {
		return nomadOff(CheckNomadClientSize, nomadKey, in.NomadClient.Name)
	}
	t := in.NomadClient
	var short []string
	if t.VCPUs < minNomadVCPUs {
		short = append(short, fmt.Sprintf("%d vCPUs (needs %d)", t.VCPUs, minNomadVCPUs))
	}
	if t.MemoryMiB < minNomadMiB {
		short = append(short, fmt.Sprintf("%s (needs 32 GB)", gib(float64(t.MemoryMiB))))
	}
	if len(short) == 0 {
		return pass(CheckNomadClientSize, nomadKey, "%s = %s (%s) meets the guide's minimum per Nomad client of 4 cores and 32GB",
			nomadKey, t.Name, describe(t))
	}
	return fail(CheckNomadClientSize, nomadKey, instanceFix(nomadKey, t, minNomadVCPUs, minNomadMiB),
		"%s = %s has %s; the guide's minimum per Nomad client is 4 cores (counted as vCPUs) and 32GB of RAM (System Requirements, Nomad Clients)",
		nomadKey, t.Name, strings.Join(short, " and "))
}

// nomadJobFit fails when not one job of the configured size fits on a
// client, since Nomad would never place it.
func nomadJobFit(in Input, c Capacity) Check {
	if !in.NomadEnabled {
		return nomadOff(CheckNomadJobFit, nomadKey, in.NomadClient.Name)
	}
	t := in.NomadClient
	job := fmt.Sprintf("a job of %d CPUs and %s = %d", in.NomadJobCPUs, jobMiBKey, in.NomadJobMemoryMiB)
	if whole := math.Floor(c.JobsPerClient); whole >= 1 {
		return pass(CheckNomadJobFit, nomadKey, "%s fits %s = %s %s times (see Capacity)", job, nomadKey, t.Name, num(whole))
	}
	minV, minMiB := minNomadVCPUs, max(minNomadMiB, in.NomadJobMemoryMiB)
	if t.SustainedClockGHz > 0 {
		need := int(math.Ceil(float64(mhzPerJobCPU*in.NomadJobCPUs) / (t.SustainedClockGHz * 1000)))
		minV = max(minV, need)
	}
	fix := instanceFix(nomadKey, t, minV, minMiB) + fmt.Sprintf("; or, if your jobs are smaller, pulumi config set %s <MiB below %d>", jobMiBKey, t.MemoryMiB)
	found := fmt.Sprintf("memory bound %s", num(c.MemoryBound))
	if c.ClientMHz > 0 {
		found = fmt.Sprintf("CPU bound %s (%s MHz / %d MHz per job), %s", num(c.CPUBound), num(c.ClientMHz), mhzPerJobCPU*in.NomadJobCPUs, found)
	}
	return fail(CheckNomadJobFit, nomadKey, fix,
		"%s does not fit on %s = %s (%s): %s; the guide allocates 1024 MHz per job CPU against vCPUs × clock, and the job's memory must fit too (System Requirements, Nomad Clients)",
		job, nomadKey, t.Name, describe(t), found)
}

// clientRow is a row of the guide's "Choosing Nomad Client Quantity" table.
type clientRow struct {
	users    string
	maxUsers int // inclusive; 0 for the last row
	min, max int // max 0: no upper bound ("15+")
	note     string
}

// The guide's rows "50-250" and "250-1000" both hold 250; it is taken as
// the former, as in the Services Machine table. The guide has no row for
// 1001-5000 daily active users: it is treated as "15+", the row above it.
var clientTable = []clientRow{
	{"<50", 49, 1, 5, ""},
	{"50-250", 250, 5, 10, ""},
	{"250-1000", 1000, 10, 15, ""},
	{"1001-5000", 5000, 15, 0, " (the guide has no row for 1001-5000 daily active users; its 5000+ row is used)"},
	{"5000+", 0, 15, 0, ""},
}

func clientRowFor(users int) clientRow {
	for _, r := range clientTable {
		if r.maxUsers == 0 || users <= r.maxUsers {
			return r
		}
	}
	return clientTable[len(clientTable)-1]
}

func (r clientRow) rangeText() string {
	if r.max == 0 {
		return fmt.Sprintf("%d+", r.min)
	}
	return fmt.Sprintf("%d-%d", r.min, r.max)
}

func (r clientRow) recommendation(users int) string {
	return fmt.Sprintf("for %s = %d the guide's \"Choosing Nomad Client Quantity\" recommends %s Nomad clients (row %s)%s",
		usersKey, users, r.rangeText(), r.users, r.note)
}

// nomadOff skips a Nomad check when enable_nomad = 0.
func nomadOff(name, key, value string) Check {
	return skip(name, key, "%s = %s not checked: %s = 0, no Nomad clients", key, value, config.KeyEnableNomad)
}

func countSkip(name, key string, in Input) (Check, bool) {
	if !in.NomadEnabled {
		return nomadOff(name, key, fmt.Sprint(countOf(in, key))), true
	}
	if in.DailyActiveUsers <= 0 {
		return skip(name, key, "%s not set, so %s = %d was not compared with the guide's \"Choosing Nomad Client Quantity\" (pulumi config set %s <n>)",
			usersKey, key, countOf(in, key), usersKey), true
	}
	return Check{}, false
}

func countOf(in Input, key string) int {
	if key == maxKey {
		return in.MaxNomadClients
	}
	return in.NomadClients
}

func nomadClientCount(in Input, _ Capacity) Check {
	if c, ok := countSkip(CheckNomadClientCount, desiredKey, in); ok {
		return c
	}
	users, n := in.DailyActiveUsers, in.NomadClients
	row := clientRowFor(users)
	rec := row.recommendation(users)
	switch {
	case n < row.min:
		fix := fmt.Sprintf("pulumi config set %s %d", desiredKey, row.min)
		if in.MaxNomadClients < row.min {
			fix += fmt.Sprintf(" and pulumi config set %s %d", maxKey, max(row.min, row.max))
		}
		return warn(CheckNomadClientCount, desiredKey, fix, "%s = %d is below the recommended range: %s", desiredKey, n, rec)
	case row.max > 0 && n > row.max:
		return warn(CheckNomadClientCount, desiredKey,
			fmt.Sprintf("pulumi config set %s %d, or keep %d if your load needs them (the guide: \"Scale up and down according to demand\")", desiredKey, row.max, n),
			"%s = %d is above the recommended range: %s", desiredKey, n, rec)
	}
	return pass(CheckNomadClientCount, desiredKey, "%s = %d is within the recommended range: %s", desiredKey, n, rec)
}

func nomadClientMax(in Input, _ Capacity) Check {
	if c, ok := countSkip(CheckNomadClientMax, maxKey, in); ok {
		return c
	}
	users, n := in.DailyActiveUsers, in.MaxNomadClients
	row := clientRowFor(users)
	rec := row.recommendation(users)
	if n < row.min {
		return warn(CheckNomadClientMax, maxKey, fmt.Sprintf("pulumi config set %s %d", maxKey, max(row.min, row.max)),
			"%s = %d: the group can never reach the recommended minimum of %d; %s", maxKey, n, row.min, rec)
	}
	return pass(CheckNomadClientMax, maxKey, "%s = %d reaches the recommended minimum of %d: %s", maxKey, n, row.min, rec)
}

// --- Network ----------------------------------------------------------

func subnetVPC(in Input, _ Capacity) Check {
	n := in.Network
	if n.SubnetVPCID == "" {
		return skip(CheckSubnetVPC, subnetKey, "AWS did not report the VPC of %s = %s", subnetKey, n.SubnetID)
	}
	if n.SubnetVPCID == n.VPCID {
		return pass(CheckSubnetVPC, subnetKey, "%s = %s belongs to %s = %s", subnetKey, n.SubnetID, vpcKey, n.VPCID)
	}
	return fail(CheckSubnetVPC, subnetKey,
		fmt.Sprintf("pulumi config set %s %s, or pulumi config set %s <a subnet of %s>", vpcKey, n.SubnetVPCID, subnetKey, n.VPCID),
		"%s = %s belongs to %s, not to %s = %s; the guide's Installation Prerequisites ask for a VPC ID and a subnet ID of that VPC, and security groups made in one VPC cannot be used by instances in another",
		subnetKey, n.SubnetID, n.SubnetVPCID, vpcKey, n.VPCID)
}

// vpcDNS: Installation Prerequisites.
func vpcDNS(in Input, _ Capacity) Check {
	n := in.Network
	vpc, which := n.VPCID, fmt.Sprintf("%s = %s", vpcKey, n.VPCID)
	if n.SubnetVPCID != "" && n.SubnetVPCID != n.VPCID {
		vpc, which = n.SubnetVPCID, fmt.Sprintf("%s (the VPC of %s = %s, not %s = %s)", n.SubnetVPCID, subnetKey, n.SubnetID, vpcKey, n.VPCID)
	}
	if n.DNSSupport {
		return pass(CheckVPCDNS, vpcKey, "%s has enableDnsSupport = true, as the guide's Installation Prerequisites require", which)
	}
	resolver := ""
	if ip := vpcResolver(n.VPCCIDR); ip != "" {
		resolver = fmt.Sprintf(" (here %s)", ip)
	}
	return fail(CheckVPCDNS, vpcKey,
		fmt.Sprintf(`aws ec2 modify-vpc-attribute --vpc-id %s --enable-dns-support '{"Value":true}', or pulumi config set %s <a VPC with DNS support>`, vpc, vpcKey),
		"%s has enableDnsSupport = false; the guide's Installation Prerequisites: \"Set your VPC (enableDnsSupport) setting to true to ensure that queries to the Amazon provided DNS server at the 169.254.169.253 IP address, or the reserved IP address at the base of the VPC IPv4 network range plus two will succeed\"%s",
		which, resolver)
}

// vpcResolver is the VPC's base address plus two, or "".
func vpcResolver(cidr string) string {
	_, ipnet, err := net.ParseCIDR(cidr)
	if err != nil {
		return ""
	}
	ip := ipnet.IP.To4()
	if ip == nil {
		return ""
	}
	r := make(net.IP, 4)
	copy(r, ip)
	r[3] += 2 // a VPC is /16 to /28: its base's last octet is a multiple of 16, so +2 cannot carry
	return r.String()
}

// private reports a subnet whose default route does not lead to an
// internet gateway.
func private(n Network) bool { return !n.RouteToInternetGateway }

func subnetOutbound(in Input, _ Capacity) Check {
	n := in.Network
	switch {
	case n.RouteToInternetGateway:
		return pass(CheckSubnetOutbound, subnetKey, "%s = %s is public: its route table sends 0.0.0.0/0 to an internet gateway", subnetKey, n.SubnetID)
	case n.RouteToNAT:
		return pass(CheckSubnetOutbound, subnetKey, "%s = %s is private and sends 0.0.0.0/0 to a NAT, as the guide's Private Subnet Requirements ask (\"Adequately power the NAT instance for heavy network operations\")", subnetKey, n.SubnetID)
	}
	return fail(CheckSubnetOutbound, subnetKey,
		fmt.Sprintf("add a 0.0.0.0/0 route to a NAT gateway to the route table of %s (aws ec2 create-route --route-table-id <rtb-...> --destination-cidr-block 0.0.0.0/0 --nat-gateway-id <nat-...>), or pulumi config set %s <a subnet with outbound access>", n.SubnetID, subnetKey),
		"%s = %s has no 0.0.0.0/0 route to an internet gateway or a NAT; the guide's Private Subnet Requirements: \"The private subnet for builder boxes must be configured with a NAT gateway or an internet gateway configured for the outbound traffic to the internet via attached route tables\" (instances must pull Docker containers and verify the license, Planning)",
		subnetKey, n.SubnetID)
}

func servicesPublicIP(in Input, _ Capacity) Check {
	n := in.Network
	if !private(n) {
		return pass(CheckServicesPublicIP, publicIPKey, "%s = %t on a public subnet", publicIPKey, in.ServicesPublicIP)
	}
	if !in.ServicesPublicIP {
		return pass(CheckServicesPublicIP, publicIPKey, "%s = false on a private subnet; for github.com webhooks set up a public load balancer that forwards to the services box (guide: Private Subnet Requirements)", publicIPKey)
	}
	return fail(CheckServicesPublicIP, publicIPKey, fmt.Sprintf("pulumi config set %s false (and, for github.com webhooks, a public load balancer), or pulumi config set %s <a public subnet>", publicIPKey, subnetKey),
		"%s = true, but %s = %s is private (its 0.0.0.0/0 route does not lead to an internet gateway): an Elastic IP cannot be reached without an internet gateway",
		publicIPKey, subnetKey, n.SubnetID)
}

// s3Endpoint: "The VPC Endpoint for S3 should be enabled" (Private Subnet
// Requirements). A route table takes the S3 prefix-list route of one
// gateway endpoint only, so creating a second one where one exists fails.
func s3Endpoint(in Input, _ Capacity) Check {
	n := in.Network
	if n.S3GatewayEndpoint && in.CreateS3GatewayEndpoint {
		return warn(CheckS3Endpoint, s3Key, fmt.Sprintf("pulumi config set %s false: the existing endpoint serves the installation", s3Key),
			"%s = true, but the route table of %s = %s already has a gateway VPC endpoint for S3, and a route table takes the S3 route of one gateway endpoint only: creating another would fail",
			s3Key, subnetKey, n.SubnetID)
	}
	switch {
	case n.S3GatewayEndpoint:
		return pass(CheckS3Endpoint, s3Key, "%s = false: the route table of %s = %s has a gateway VPC endpoint for S3 already", s3Key, subnetKey, n.SubnetID)
	case in.CreateS3GatewayEndpoint:
		return pass(CheckS3Endpoint, s3Key, "%s = true: the installation adds a gateway VPC endpoint for S3 to the route table of %s = %s", s3Key, subnetKey, n.SubnetID)
	case !private(n):
		return skip(CheckS3Endpoint, s3Key, "%s = false on a public subnet (%s = %s); the guide asks for the VPC endpoint for S3 on private subnets", s3Key, subnetKey, n.SubnetID)
	}
	return warn(CheckS3Endpoint, s3Key, fmt.Sprintf("pulumi config set %s true", s3Key),
		"%s = false and the route table of private subnet %s = %s has no gateway VPC endpoint for S3; the guide's Private Subnet Requirements: \"The VPC Endpoint for S3 should be enabled. Enabling the VPC endpoint for S3 should significantly improve S3 operations for CircleCI and other nodes within your subnet\"",
		s3Key, subnetKey, n.SubnetID)
}

// awsReserved is how many addresses AWS keeps in every subnet.
const awsReserved = 5

// subnetSize: "The subnet should be large enough to never exhaust the
// addresses" (Private Subnet Requirements). It fails when the planned
// instances do not fit, and warns when they would take more than half of
// the subnet: the VM service's machines (Remote Docker, machine executor)
// and 1.0 builders need addresses too, and a group may launch before it
// terminates.
func subnetSize(in Input, _ Capacity) Check {
	n := in.Network
	_, ipnet, err := net.ParseCIDR(n.SubnetCIDR)
	if err != nil || ipnet.IP.To4() == nil {
		return skip(CheckSubnetSize, subnetKey, "the IPv4 CIDR of %s = %s is not known", subnetKey, n.SubnetID)
	}
	ones, bits := ipnet.Mask.Size()
	total := 1 << (bits - ones)
	usable := total - awsReserved
	planned, what := 1, "1 services box"
	if in.NomadEnabled {
		clients := max(in.NomadClients, in.MaxNomadClients)
		planned += clients
		what += fmt.Sprintf(" and up to %d Nomad clients (%s)", clients, maxKey)
	}
	found := fmt.Sprintf("%s = %s (%s) has %d usable addresses (AWS reserves %d of %d) for %s", subnetKey, n.SubnetID, n.SubnetCIDR, usable, awsReserved, total, what)
	quote := "the guide's Private Subnet Requirements: \"The subnet should be large enough to never exhaust the addresses\""
	switch {
	case usable < planned:
		return fail(CheckSubnetSize, subnetKey, fmt.Sprintf("pulumi config set %s <a larger subnet>, or pulumi config set %s %d", subnetKey, maxKey, max(usable-1, 0)),
			"%s: too few; %s", found, quote)
	case usable < 2*planned:
		return warn(CheckSubnetSize, subnetKey, fmt.Sprintf("pulumi config set %s <a subnet with at least %d usable addresses>", subnetKey, 2*planned),
			"%s: less than twice that, leaving little room for the VM service's machines, 1.0 builders and replacements; %s", found, quote)
	}
	return pass(CheckSubnetSize, subnetKey, "%s", found)
}

// keyPair: Installation Prerequisites ("Name of your AWS EC2 key pair").
// Key pairs are regional: one made in another region is the usual miss.
func keyPair(in Input, _ Capacity) Check {
	if in.KeyPair.Name == "" {
		return skip(CheckKeyPair, keyPairKey, "%s was not looked up", keyPairKey)
	}
	if in.KeyPair.Found {
		return pass(CheckKeyPair, keyPairKey, "%s = %s exists in the region", keyPairKey, in.KeyPair.Name)
	}
	return fail(CheckKeyPair, keyPairKey,
		fmt.Sprintf("import or create it in this region (aws ec2 import-key-pair --key-name %s ...), or pulumi config set %s <an existing key pair>", in.KeyPair.Name, keyPairKey),
		"%s = %s: AWS has no such EC2 key pair in this region (key pairs are regional), so no instance could be launched with it", keyPairKey, in.KeyPair.Name)
}

// --- Availability zone -------------------------------------------------

// GetInstanceType says a type exists in the region, not in the subnet's
// zone; RunInstances then fails with Unsupported, and an auto scaling group
// retries forever. DescribeInstanceTypeOfferings per zone settles it.
func zoneCheck(name, key string, t InstanceType, n Network) Check {
	switch {
	case t.Name == "":
		return skip(name, key, "%s was not looked up", key)
	case t.Zones == nil || n.SubnetZone == "":
		return skip(name, key, "%s = %s: the zones that offer it were not looked up", key, t.Name)
	}
	for _, z := range t.Zones {
		if z == n.SubnetZone {
			return pass(name, key, "%s = %s is offered in %s, the zone of %s", key, t.Name, n.SubnetZone, n.SubnetID)
		}
	}
	offered := "no zone of the region"
	if len(t.Zones) > 0 {
		offered = strings.Join(t.Zones, ", ")
	}
	return fail(name, key,
		fmt.Sprintf("pulumi config set %s <a subnet in %s>, or pulumi config set %s <a type offered in %s>", subnetKey, offered, key, n.SubnetZone),
		"%s = %s is not offered in %s, the availability zone of %s = %s (it is offered in %s): EC2 would refuse every launch (Unsupported)",
		key, t.Name, n.SubnetZone, subnetKey, n.SubnetID, offered)
}

func servicesZone(in Input, _ Capacity) Check {
	return zoneCheck(CheckServicesZone, servicesKey, in.Services, in.Network)
}

func nomadClientZone(in Input, _ Capacity) Check {
	if !in.NomadEnabled {
		return nomadOff(CheckNomadClientZone, nomadKey, in.NomadClient.Name)
	}
	return zoneCheck(CheckNomadClientZone, nomadKey, in.NomadClient, in.Network)
}

func builderZone(in Input, _ Capacity) Check {
	if !in.BuildersEnabled {
		return skip(CheckBuilderZone, builderKey, "%s = %s not checked: %s = 0, no 1.0 builders", builderKey, in.Builder.Name, config.KeyDesiredBuildersCount)
	}
	return zoneCheck(CheckBuilderZone, builderKey, in.Builder, in.Network)
}

// --- Egress of the fleets ----------------------------------------------

// FleetPublicIP decides whether Nomad clients and 1.0 builders get a public
// IPv4 address: clients_public_ip, where "auto" means exactly when the
// subnet's 0.0.0.0/0 route goes to an internet gateway. Their launch
// template says so explicitly, because AWS assigns none on its own on a
// subnet that is not a default subnet (mapPublicIpOnLaunch is false), and
// without one such a subnet gives them no way out.
func FleetPublicIP(mode string, n Network) bool {
	switch mode {
	case "true":
		return true
	case "false":
		return false
	}
	return n.RouteToInternetGateway
}

// fleetEgress: the fleets' boot scripts install Docker and Nomad from the
// internet under set -e, so a client without egress never joins.
func fleetEgress(in Input, _ Capacity) Check {
	if !in.NomadEnabled && !in.BuildersEnabled {
		return skip(CheckFleetEgress, fleetIPKey, "%s not checked: no Nomad clients and no 1.0 builders", fleetIPKey)
	}
	n, mode := in.Network, in.ClientsPublicIP
	if mode == "" {
		mode = "auto"
	}
	public := FleetPublicIP(mode, n)
	switch {
	case n.RouteToInternetGateway && public:
		return pass(CheckFleetEgress, fleetIPKey, "%s = %s: Nomad clients and 1.0 builders get a public IP, their way out through the internet gateway of %s", fleetIPKey, mode, n.SubnetID)
	case n.RouteToInternetGateway && in.ProxyEnabled:
		return pass(CheckFleetEgress, fleetIPKey, "%s = false on the public subnet %s: Nomad clients and 1.0 builders get no public IP and go out through the proxy", fleetIPKey, n.SubnetID)
	case n.RouteToInternetGateway:
		return fail(CheckFleetEgress, fleetIPKey,
			fmt.Sprintf("pulumi config set %s auto, or pulumi config set %s <a subnet with a NAT gateway>, or set %s", fleetIPKey, subnetKey, config.KeyHTTPProxy),
			"%s = false, but %s = %s sends 0.0.0.0/0 to an internet gateway: Nomad clients and 1.0 builders without a public IP have no way out there, their boot scripts fail at the first download and no Nomad client ever joins",
			fleetIPKey, subnetKey, n.SubnetID)
	case public:
		return warn(CheckFleetEgress, fleetIPKey,
			fmt.Sprintf("pulumi config set %s auto", fleetIPKey),
			"%s = true, but %s = %s has no route to an internet gateway: the public IPs cannot be reached and only cost money",
			fleetIPKey, subnetKey, n.SubnetID)
	case n.RouteToNAT:
		return pass(CheckFleetEgress, fleetIPKey, "%s = %s: Nomad clients and 1.0 builders get no public IP and go out through the NAT of %s", fleetIPKey, mode, n.SubnetID)
	}
	return skip(CheckFleetEgress, fleetIPKey, "%s not checked: %s has no route out at all (see %s)", fleetIPKey, n.SubnetID, CheckSubnetOutbound)
}
