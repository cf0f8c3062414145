package config

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

var (
	regionRE       = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]+$`)
	isolatedRE     = regexp.MustCompile(`^[a-z]{2}-iso[a-z]?-`)
	vpcIDRE        = regexp.MustCompile(`^vpc-([0-9a-f]{8}|[0-9a-f]{17})$`)
	subnetIDRE     = regexp.MustCompile(`^subnet-([0-9a-f]{8}|[0-9a-f]{17})$`)
	amiRE          = regexp.MustCompile(`^ami-([0-9a-f]{8}|[0-9a-f]{17})$`)
	instanceTypeRE = regexp.MustCompile(`^[a-z][a-z0-9-]*\.[a-z0-9]+$`)
	prefixRE       = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)
	zoneIDRE       = regexp.MustCompile(`^Z[A-Z0-9]{1,31}$`)
	hostnameRE     = regexp.MustCompile(`^(\*\.)?([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.?$`)
	accessKeyRE    = regexp.MustCompile(`^[A-Z0-9]{16,128}$`)
	passphraseRE   = regexp.MustCompile(`^[A-Za-z0-9]+$`)
	nomadVersionRE = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+$`)
	debVersionRE   = regexp.MustCompile(`^[A-Za-z0-9.+:~_-]+$`)
	spotPriceRE    = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)
	// Source: terraform-provider-aws internal/service/dlm/lifecycle_policy.go,
	// create_rule times ("^(0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]$").
	snapshotTimeRE = regexp.MustCompile(`^(0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]$`)

	// AWS's own name rules for the objects named from the prefix.
	iamNameRE      = regexp.MustCompile(`^[\w+=,.@-]+$`)
	sqsNameRE      = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	bucketRE       = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*[a-z0-9]$`)
	sgNameRE       = regexp.MustCompile(`^[A-Za-z0-9 ._\-:/()#,@\[\]+=&;{}!$*]+$`)
	templateNameRE = regexp.MustCompile(`^[A-Za-z0-9().\-/_]+$`)
	hookNameRE     = regexp.MustCompile(`^[A-Za-z0-9\-_/]+$`)
	ssmNameRE      = regexp.MustCompile(`^[A-Za-z0-9_.\-/]+$`)
)

// KnownRegions are the regions this program has been reasoned about. Others
// are allowed with a warning, since AWS adds regions faster than releases.
var KnownRegions = []string{
	"us-east-1", "us-east-2", "us-west-1", "us-west-2",
	"ca-central-1", "ca-west-1", "sa-east-1", "mx-central-1",
	"eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3",
	"eu-north-1", "eu-south-1", "eu-south-2",
	"ap-east-1", "ap-south-1", "ap-south-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
	"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7",
	"me-south-1", "me-central-1", "il-central-1", "af-south-1",
	"us-gov-east-1", "us-gov-west-1", "cn-north-1", "cn-northwest-1",
}

var volumeTypes = []string{"gp3", "gp2", "io1", "io2"}

type validator struct {
	problems []Problem
	warnings []string
}

func (v *validator) fail(key, value, format string, args ...any) {
	if k, ok := KeyNamed(key); ok && k.Secret && value != "" {
		value = "[secret]"
	}
	v.problems = append(v.problems, Problem{Key: key, Value: value, Message: fmt.Sprintf(format, args...)})
}

func (v *validator) warn(format string, args ...any) {
	v.warnings = append(v.warnings, fmt.Sprintf(format, args...))
}

func (v *validator) required(key, value string) bool {
	if value == "" {
		v.fail(key, "", "is required and must not be blank (pulumi config set %s <value>)", key)
		return false
	}
	return true
}

func (v *validator) match(key, value string, re *regexp.Regexp, valid string) {
	if value != "" && !re.MatchString(value) {
		v.fail(key, value, "must be %s", valid)
	}
}

func (v *validator) intRange(key string, n, lo, hi int) {
	if n < lo || n > hi {
		v.fail(key, strconv.Itoa(n), "must be between %d and %d", lo, hi)
	}
}

func (c *Config) validate(v *validator) {
	c.validateAWS(v)
	c.validateCircleCI(v)
	c.validateCounts(v)
	c.validatePrefix(v)
	c.validateRoute(v)
	c.validateProxies(v)
	c.validateNetworkAccess(v)
	c.validateInstances(v)
	c.validateTags(v)
	c.validateDay2(v)
	if c.Preflight != "error" && c.Preflight != "warn" {
		v.fail(KeyPreflight, c.Preflight, "must be error or warn")
	}
}

func (c *Config) validateAWS(v *validator) {
	if c.AWSAccessKey != "" || c.AWSSecretKey != "" {
		if c.AWSAccessKey == "" {
			v.fail(KeyAWSAccessKey, "", "must be set together with %s, or leave both unset to use the AWS credential chain", KeyAWSSecretKey)
		}
		if c.AWSSecretKey == "" {
			v.fail(KeyAWSSecretKey, "", "must be set together with %s, or leave both unset to use the AWS credential chain", KeyAWSAccessKey)
		}
		v.match(KeyAWSAccessKey, c.AWSAccessKey, accessKeyRE, "an access key ID such as AKIA... (16 or more uppercase letters and digits)")
	}
	if v.required(KeyAWSRegion, c.AWSRegion) {
		if !regionRE.MatchString(c.AWSRegion) {
			v.fail(KeyAWSRegion, c.AWSRegion, "must be an AWS region code such as eu-central-1, us-gov-west-1 or cn-north-1")
		} else if isolatedRE.MatchString(c.AWSRegion) {
			// The isolated partitions (aws-iso, aws-iso-b, aws-iso-e, aws-iso-f)
			// have ARN prefixes, service principals, endpoints and images of
			// their own that are not public, so this program cannot get them right.
			v.fail(KeyAWSRegion, c.AWSRegion, "is in one of AWS's isolated partitions (aws-iso*), which this program does not support: "+
				"their ARNs, service endpoints and Ubuntu images are not public. Use a region of the aws, aws-us-gov or aws-cn partition")
		} else if !contains(KnownRegions, c.AWSRegion) {
			v.warn("%s %q is not one this program knows; check the spelling (known: %s)", KeyAWSRegion, c.AWSRegion, strings.Join(KnownRegions, ", "))
		}
		gov := strings.HasPrefix(c.AWSRegion, "us-gov-")
		if c.EnableGovCloud && !gov {
			v.fail(KeyEnableGovCloud, "true", "is true but %s %q is not a GovCloud region; use us-gov-west-1 or us-gov-east-1, or set %s false", KeyAWSRegion, c.AWSRegion, KeyEnableGovCloud)
		}
		if gov && !c.EnableGovCloud {
			v.warn("%s %q is a GovCloud region: installing into the aws-us-gov partition although %s is false", KeyAWSRegion, c.AWSRegion, KeyEnableGovCloud)
		}
	}
	if v.required(KeyAWSVPCID, c.AWSVPCID) {
		v.match(KeyAWSVPCID, c.AWSVPCID, vpcIDRE, "a VPC ID: vpc- followed by 8 or 17 hexadecimal digits")
	}
	if v.required(KeyAWSSubnetID, c.AWSSubnetID) {
		v.match(KeyAWSSubnetID, c.AWSSubnetID, subnetIDRE, "a subnet ID: subnet- followed by 8 or 17 hexadecimal digits")
	}
	if v.required(KeyAWSSSHKeyName, c.AWSSSHKeyName) && len(c.AWSSSHKeyName) > 255 {
		v.fail(KeyAWSSSHKeyName, c.AWSSSHKeyName, "must be at most 255 characters, the limit of EC2 key pair names")
	}
}

func (c *Config) validateCircleCI(v *validator) {
	if v.required(KeyCircleSecretPassphrase, c.CircleSecretPassphrase) {
		if c.CircleSecretPassphrase == "..." {
			v.fail(KeyCircleSecretPassphrase, c.CircleSecretPassphrase, "is still the tfvars template's placeholder; set a real passphrase with pulumi config set --secret %s", KeyCircleSecretPassphrase)
		} else if !passphraseRE.MatchString(c.CircleSecretPassphrase) {
			v.fail(KeyCircleSecretPassphrase, c.CircleSecretPassphrase, "must be letters and digits only, as the install guide asks")
		}
	}
	v.match(KeyNomadVersion, c.NomadVersion, nomadVersionRE, "a Nomad release such as 0.9.3")
	v.required(KeyNomadVersion, c.NomadVersion)
	v.match(KeyDockerVersion, c.DockerVersion, debVersionRE, "a Debian package version such as 5:18.09.9~3-0~ubuntu-xenial")
	v.required(KeyDockerVersion, c.DockerVersion)
}

func (c *Config) validateCounts(v *validator) {
	pairs := []struct {
		max, desired   string
		maxN, desiredN int
	}{
		{KeyMaxBuildersCount, KeyDesiredBuildersCount, c.MaxBuildersCount, c.DesiredBuildersCount},
		{KeyMaxClientsCount, KeyDesiredClientsCount, c.MaxClientsCount, c.DesiredClientsCount},
	}
	for _, p := range pairs {
		if p.maxN < 0 {
			v.fail(p.max, strconv.Itoa(p.maxN), "must be 0 or more")
		}
		if p.desiredN < 0 {
			v.fail(p.desired, strconv.Itoa(p.desiredN), "must be 0 or more")
		}
		if p.maxN >= 0 && p.desiredN > p.maxN {
			v.fail(p.desired, strconv.Itoa(p.desiredN), "must not exceed %s (%d); raise %s or lower %s", p.max, p.maxN, p.max, p.desired)
		}
	}
	v.intRange(KeyNomadMinHealthyPercentage, c.NomadMinHealthyPercentage, 0, 100)
	v.intRange(KeyNomadMaxHealthyPercentage, c.NomadMaxHealthyPercentage, 100, 200)
	if d := c.NomadMaxHealthyPercentage - c.NomadMinHealthyPercentage; d > 100 {
		// Source: Auto Scaling API Reference, InstanceMaintenancePolicy,
		// MaxHealthyPercentage ("Both MinHealthyPercentage and
		// MaxHealthyPercentage must be specified, and the difference between
		// them cannot be greater than 100"); RefreshPreferences says the same.
		v.fail(KeyNomadMaxHealthyPercentage, strconv.Itoa(c.NomadMaxHealthyPercentage),
			"must be at most 100 above %s (%d); AWS refuses a wider range", KeyNomadMinHealthyPercentage, c.NomadMinHealthyPercentage)
	}
	v.intRange(KeyDailyActiveUsers, c.DailyActiveUsers, 0, 1000000)
	v.intRange(KeyNomadJobMemoryMiB, c.NomadJobMemoryMiB, 256, 1048576)
	if c.LegacyBuilderSpotPrice != "" {
		if !spotPriceRE.MatchString(c.LegacyBuilderSpotPrice) {
			v.fail(KeyLegacyBuilderSpotPrice, c.LegacyBuilderSpotPrice, "must be a price in USD per hour such as 0.25, or empty for on-demand")
		} else if f, _ := strconv.ParseFloat(c.LegacyBuilderSpotPrice, 64); f <= 0 {
			v.fail(KeyLegacyBuilderSpotPrice, c.LegacyBuilderSpotPrice, "must be greater than 0, or empty for on-demand")
		}
	}
}

// validatePrefix checks the prefix itself and then every AWS name derived
// from it against the limits of the object it names, so that a long or odd
// prefix fails at preview instead of half-way through `pulumi up`.
func (c *Config) validatePrefix(v *validator) {
	if !v.required(KeyPrefix, c.Prefix) {
		return
	}
	if !prefixRE.MatchString(c.Prefix) {
		v.fail(KeyPrefix, c.Prefix, "must start with a lowercase letter or digit and contain only lowercase letters, digits, '-' and '_' (it names an S3 bucket)")
		return
	}
	lower := strings.ToLower(c.Prefix)
	if strings.HasPrefix(lower, "aws") || strings.HasPrefix(lower, "ssm") {
		v.fail(KeyPrefix, c.Prefix, "must not start with \"aws\" or \"ssm\": AWS reserves those for SSM parameter names")
	}
	if strings.HasPrefix(lower, "xn--") || strings.HasPrefix(lower, "sthree-") {
		v.fail(KeyPrefix, c.Prefix, "must not start with \"xn--\" or \"sthree-\": AWS reserves those for S3 bucket names")
	}
	n := c.Names()
	type rule struct {
		what, name string
		min, max   int
		re         *regexp.Regexp
	}
	rules := []rule{
		{"S3 bucket", n.Bucket, 3, 63, bucketRE},
		{"IAM role", n.Role, 1, 64, iamNameRE},
		{"IAM role", n.ShutdownQueueRole, 1, 64, iamNameRE},
		{"IAM policy", n.Policy, 1, 128, iamNameRE},
		{"IAM instance profile", n.InstanceProfile, 1, 128, iamNameRE},
		{"SQS queue", n.ShutdownQueue, 1, 80, sqsNameRE},
		{"SSM parameter", n.PassphraseParameter, 1, 1011, ssmNameRE},
		{"security group", n.BuildersAdminSG, 1, 255, sgNameRE},
		{"launch template", n.NomadLaunchTemplate, 3, 128, templateNameRE},
		{"launch template", n.BuildersLaunchTemplate, 3, 128, templateNameRE},
		{"auto scaling group", n.NomadASG, 1, 255, sgNameRE},
		{"lifecycle hook", n.BuildersShutdownHook, 1, 255, hookNameRE},
		{"IAM role", n.NomadRole, 1, 64, iamNameRE},
		{"IAM policy", n.NomadPolicy, 1, 128, iamNameRE},
		{"IAM instance profile", n.NomadInstanceProfile, 1, 128, iamNameRE},
		{"lifecycle hook", n.NomadJoinHook, 1, 255, hookNameRE},
		{"lifecycle hook", n.NomadDrainHook, 1, 255, hookNameRE},
		{"IAM role", n.SnapshotRole, 1, 64, iamNameRE},
		{"IAM policy", n.SnapshotPolicy, 1, 128, iamNameRE},
	}
	for _, r := range rules {
		switch {
		case len(r.name) < r.min || len(r.name) > r.max:
			v.fail(KeyPrefix, c.Prefix, "gives the %s name %q (%d characters); AWS allows %d to %d, so shorten the %s by %d", r.what, r.name, len(r.name), r.min, r.max, KeyPrefix, len(r.name)-r.max)
		case !r.re.MatchString(r.name):
			v.fail(KeyPrefix, c.Prefix, "gives the %s name %q, which AWS does not accept", r.what, r.name)
		}
	}
}

func (c *Config) validateRoute(v *validator) {
	v.match(KeyRouteZoneID, c.RouteZoneID, zoneIDRE, "a Route53 hosted zone ID such as Z0123456789ABCDEFGHIJ")
	v.match(KeyRouteName, c.RouteName, hostnameRE, "a DNS name such as circleci.example.com")
	if c.EnableRoute {
		if c.RouteName == "" {
			v.fail(KeyRouteName, "", "is required when %s is 1: the DNS name of the services box", KeyEnableRoute)
		}
		if c.RouteZoneID == "" {
			v.fail(KeyRouteZoneID, "", "is required when %s is 1: the hosted zone that holds %s", KeyEnableRoute, KeyRouteName)
		}
	} else if c.RouteName != "" || c.RouteZoneID != "" {
		v.warn("%s/%s are set but %s is 0: no DNS record is created", KeyRouteName, KeyRouteZoneID, KeyEnableRoute)
	}
}

func (c *Config) validateProxies(v *validator) {
	for _, kv := range [][2]string{{KeyHTTPProxy, c.HTTPProxy}, {KeyHTTPSProxy, c.HTTPSProxy}} {
		if kv[1] == "" {
			continue
		}
		u, err := url.Parse(kv[1])
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.ContainsAny(kv[1], " '\"`$\\") {
			v.fail(kv[0], kv[1], "must be a proxy URL such as http://proxy.example.com:3128")
		}
	}
	for _, h := range strings.Split(c.NoProxy, ",") {
		if h = strings.TrimSpace(h); h != "" && strings.ContainsAny(h, " '\"`$\\/") {
			v.fail(KeyNoProxy, c.NoProxy, "must be a comma-separated list of hosts, domains (.example.com) or CIDRs; %q is none of these", h)
			break
		}
	}
}

func (c *Config) validateNetworkAccess(v *validator) {
	lists := []struct {
		key    string
		blocks []string
		ports  string
	}{
		{KeyAdminCIDRBlocks, c.AdminCIDRBlocks, "SSH (22) and the admin console (8800) of the services box"},
		{KeyUserCIDRBlocks, c.UserCIDRBlocks, "the web app (80, 443) and artifacts (7171, 8081)"},
		{KeySSHRerunCIDRBlocks, c.SSHRerunCIDRBlocks, "SSH reruns of jobs (64535-65535 on Nomad clients, 54782 and 22 on VMs)"},
		{KeyVMCIDRBlocks, c.VMCIDRBlocks, "Docker (2376) and SSH (22) on the VMs of remote Docker and machine jobs"},
	}
	for _, l := range lists {
		for _, b := range l.blocks {
			ip, ipnet, err := net.ParseCIDR(b)
			switch {
			case err != nil || ip.To4() == nil:
				v.fail(l.key, b, "must hold IPv4 CIDR blocks such as 203.0.113.0/24")
			case !ip.Equal(ipnet.IP):
				v.fail(l.key, b, "is not a network address; AWS expects %s", ipnet.String())
			case b == "0.0.0.0/0":
				v.warn("%s includes 0.0.0.0/0: %s are open to the whole internet. Narrow it with pulumi config set --path '%s[0]' <your CIDR>", l.key, l.ports, l.key)
			}
		}
	}
}

func (c *Config) validateInstances(v *validator) {
	for _, kv := range [][2]string{
		{KeyServicesInstanceType, c.ServicesInstanceType},
		{KeyBuilderInstanceType, c.BuilderInstanceType},
		{KeyNomadClientInstanceType, c.NomadClientInstanceType},
	} {
		if v.required(kv[0], kv[1]) {
			v.match(kv[0], kv[1], instanceTypeRE, "an EC2 instance type such as m5.2xlarge")
		}
	}
	v.match(KeyServicesAMI, c.ServicesAMI, amiRE, "an AMI ID (ami- followed by 8 or 17 hexadecimal digits), or empty to look up Ubuntu 16.04")
	v.match(KeyNomadClientAMI, c.NomadClientAMI, amiRE, "an AMI ID (ami- followed by 8 or 17 hexadecimal digits), or empty for the looked-up Ubuntu 16.04 image")
	for _, region := range SortedKeys(c.UbuntuAMI) {
		if ami := c.UbuntuAMI[region]; !amiRE.MatchString(ami) {
			v.fail(KeyUbuntuAMI, region+"="+ami, "must map regions to AMI IDs (ami- followed by 8 or 17 hexadecimal digits)")
		}
	}
	if !contains([]string{"auto", "true", "false"}, c.ClientsPublicIP) {
		v.fail(KeyClientsPublicIP, c.ClientsPublicIP, "must be auto (a public IP when the subnet routes to an internet gateway), true or false")
	}
	if c.IMDSHTTPTokens != "optional" && c.IMDSHTTPTokens != "required" {
		v.fail(KeyIMDSHTTPTokens, c.IMDSHTTPTokens, "must be optional or required")
	}
	if !contains(volumeTypes, c.RootVolumeType) {
		v.fail(KeyRootVolumeType, c.RootVolumeType, "must be one of %s", strings.Join(volumeTypes, ", "))
	}
	// The guide's minimum disk is 100 GB for the services machine and for
	// each Nomad client; 16 TiB is EBS's limit for these volume types.
	v.intRange(KeyServicesVolumeSize, c.ServicesVolumeSize, 100, 16384)
	v.intRange(KeyNomadClientVolumeSize, c.NomadClientVolumeSize, 100, 16384)
	v.intRange(KeyBuilderVolumeSize, c.BuilderVolumeSize, 8, 16384)
}

func (c *Config) validateTags(v *validator) {
	// AWS allows 50 tags per object; Name and circleci:prefix are ours.
	if len(c.Tags) > 48 {
		v.fail(KeyTags, fmt.Sprintf("%d %s", len(c.Tags), KeyTags), "must hold at most 48 %s (AWS allows 50; the installer adds Name and %s)", KeyTags, PrefixTag)
	}
	for _, k := range SortedKeys(c.Tags) {
		val := c.Tags[k]
		switch {
		case k == "" || len(k) > 128:
			v.fail(KeyTags, k, "tag keys must be 1 to 128 characters")
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			v.fail(KeyTags, k, "tag keys must not start with aws:, which AWS reserves")
		case k == "Name" || k == PrefixTag:
			v.fail(KeyTags, k, "the installer sets this tag itself; choose another key")
		case len(val) > 256:
			v.fail(KeyTags, k+"="+val, "tag values must be at most 256 characters")
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// SnapshotIntervals are the hours Data Lifecycle Manager schedules in.
// Source: terraform-provider-aws internal/service/dlm/lifecycle_policy.go,
// create_rule interval (IntInSlice 1, 2, 3, 4, 6, 8, 12, 24).
var SnapshotIntervals = []int{1, 2, 3, 4, 6, 8, 12, 24}

// MaxDrainDeadline is the longest drain the terminate hook waits for: Auto
// Scaling keeps an instance in Terminating:Wait for at most 100 heartbeat
// timeouts (Auto Scaling User Guide, "Amazon EC2 Auto Scaling lifecycle
// hooks"), and the program's hook has a 600 s timeout, so 16 h 40 min.
const MaxDrainDeadline = 16 * time.Hour

// validateDay2 checks the keys that keep data and running jobs.
func (c *Config) validateDay2(v *validator) {
	if c.ServicesSnapshots {
		if !slices.Contains(SnapshotIntervals, c.ServicesSnapshotIntervalHours) {
			v.fail(KeyServicesSnapshotIntervalHours, strconv.Itoa(c.ServicesSnapshotIntervalHours), "must be one of 1, 2, 3, 4, 6, 8, 12 or 24 (what Data Lifecycle Manager schedules)")
		}
		if !snapshotTimeRE.MatchString(c.ServicesSnapshotTime) {
			v.fail(KeyServicesSnapshotTime, c.ServicesSnapshotTime, "must be a time of day in UTC as HH:MM, such as 03:00")
		}
		v.intRange(KeyServicesSnapshotRetainCount, c.ServicesSnapshotRetainCount, 1, 1000)
	}
	if d, err := time.ParseDuration(c.NomadDrainDeadline); err != nil || d <= 0 || d > MaxDrainDeadline {
		v.fail(KeyNomadDrainDeadline, c.NomadDrainDeadline, "must be a duration such as 1h or 90m, greater than 0 and at most 16h (how long Auto Scaling holds a leaving instance)")
	}
	if olderNomad(c.NomadVersion, 0, 9, 3) {
		v.warn("%s %s is older than 0.9.3: the clients' drain watcher and launch gate use `nomad node drain -self -enable -deadline -yes` and `nomad node status -self -json` as Nomad 0.9.3 has them, and were not checked against older releases", KeyNomadVersion, c.NomadVersion)
	}
	if c.ServicesAllowReplacement {
		v.warn("%s is true: this `pulumi up` may replace or delete the services box and every datastore on it. Snapshot it first (README, \"Backup and restore\"), and set it back to false afterwards", KeyServicesAllowReplacement)
	}
}

// olderNomad says whether a Nomad release x.y.z is older than
// major.minor.patch; malformed versions are validateCircleCI's concern.
func olderNomad(version string, major, minor, patch int) bool {
	parts := strings.Split(version, ".")
	if len(parts) != 3 {
		return false
	}
	want := []int{major, minor, patch}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil {
			return false
		}
		if n != want[i] {
			return n < want[i]
		}
	}
	return false
}
