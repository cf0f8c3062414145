package config

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Config is a stack's configuration, parsed, defaulted and validated.
type Config struct {
	AWSAccessKey  string
	AWSSecretKey  string
	AWSRegion     string
	AWSVpcID      string
	AWSSubnetID   string
	AWSSSHKeyName string

	CircleSecretPassphrase  string
	ServicesInstanceType    string
	BuilderInstanceType     string
	NomadClientInstanceType string

	EnableGovCloud                bool
	ServicesAMI                   string
	UbuntuAMI                     map[string]string
	MaxBuildersCount              int
	DesiredBuildersCount          int
	LegacyBuilderSpotPrice        string
	EnableNomad                   bool
	MaxClientsCount               int
	DesiredClientsCount           int
	Prefix                        string
	ServicesDisableAPITermination bool
	ServicesDeleteOnTermination   bool
	ForceDestroyS3Bucket          bool
	EnableRoute                   bool
	RouteName                     string
	RouteZoneID                   string
	HTTPProxy                     string
	HTTPSProxy                    string
	NoProxy                       string
	ServicesUserDataEnabled       bool

	Tags                      map[string]string
	AdminCIDRBlocks           []string
	UserCIDRBlocks            []string
	SSHRerunCIDRBlocks        []string
	IMDSHTTPTokens            string
	RootVolumeType            string
	ServicesVolumeSize        int
	NomadClientVolumeSize     int
	BuilderVolumeSize         int
	NomadClientAMI            string
	NomadVersion              string
	DockerVersion             string
	NomadMinHealthyPercentage int
	ServicesPublicIP          bool

	DailyActiveUsers        int
	NomadJobMemoryMiB       int
	CreateS3GatewayEndpoint bool
	PreflightWarnOnly       bool
}

// Getter returns the raw value of a key (named without the project
// namespace), whether the stack sets it, and whether it is stored encrypted.
type Getter func(key string) (value string, set bool, secret bool)

// Load reads and validates the stack configuration of the running program.
// It returns the warnings to show the administrator, or every problem found.
func Load(ctx *pulumi.Context) (*Config, []string, error) {
	project := ctx.Project()
	return Parse(func(key string) (string, bool, bool) {
		full := project + ":" + key
		v, ok := ctx.GetConfig(full)
		return v, ok, ctx.IsConfigSecret(full)
	})
}

// Parse applies defaults to raw values, parses them and validates the result.
// Nothing is created before Parse succeeds, so every problem is reported at
// once rather than one per `pulumi preview`.
func Parse(get Getter) (*Config, []string, error) {
	p := &parser{get: get}
	c := &Config{
		AWSAccessKey:  p.str("aws_access_key"),
		AWSSecretKey:  p.str("aws_secret_key"),
		AWSRegion:     p.str("aws_region"),
		AWSVpcID:      p.str("aws_vpc_id"),
		AWSSubnetID:   p.str("aws_subnet_id"),
		AWSSSHKeyName: p.str("aws_ssh_key_name"),

		CircleSecretPassphrase:  p.str("circle_secret_passphrase"),
		ServicesInstanceType:    p.str("services_instance_type"),
		BuilderInstanceType:     p.str("builder_instance_type"),
		NomadClientInstanceType: p.str("nomad_client_instance_type"),

		EnableGovCloud:                p.boolean("enable_govcloud"),
		ServicesAMI:                   p.str("services_ami"),
		UbuntuAMI:                     p.stringMap("ubuntu_ami"),
		MaxBuildersCount:              p.integer("max_builders_count"),
		DesiredBuildersCount:          p.integer("desired_builders_count"),
		LegacyBuilderSpotPrice:        p.str("legacy_builder_spot_price"),
		EnableNomad:                   p.boolean("enable_nomad"),
		MaxClientsCount:               p.integer("max_clients_count"),
		DesiredClientsCount:           p.integer("desired_clients_count"),
		Prefix:                        p.str("prefix"),
		ServicesDisableAPITermination: p.boolean("services_disable_api_termination"),
		ServicesDeleteOnTermination:   p.boolean("services_delete_on_termination"),
		ForceDestroyS3Bucket:          p.boolean("force_destroy_s3_bucket"),
		EnableRoute:                   p.boolean("enable_route"),
		RouteName:                     p.str("route_name"),
		RouteZoneID:                   p.str("route_zone_id"),
		HTTPProxy:                     p.str("http_proxy"),
		HTTPSProxy:                    p.str("https_proxy"),
		NoProxy:                       p.str("no_proxy"),
		ServicesUserDataEnabled:       p.boolean("services_user_data_enabled"),

		Tags:                      p.stringMap("tags"),
		AdminCIDRBlocks:           p.list("admin_cidr_blocks"),
		UserCIDRBlocks:            p.list("user_cidr_blocks"),
		SSHRerunCIDRBlocks:        p.list("ssh_rerun_cidr_blocks"),
		IMDSHTTPTokens:            p.str("imds_http_tokens"),
		RootVolumeType:            p.str("root_volume_type"),
		ServicesVolumeSize:        p.integer("services_volume_size"),
		NomadClientVolumeSize:     p.integer("nomad_client_volume_size"),
		BuilderVolumeSize:         p.integer("builder_volume_size"),
		NomadClientAMI:            p.str("nomad_client_ami"),
		NomadVersion:              p.str("nomad_version"),
		DockerVersion:             p.str("docker_version"),
		NomadMinHealthyPercentage: p.integer("nomad_min_healthy_percentage"),
		ServicesPublicIP:          p.boolean("services_public_ip"),

		DailyActiveUsers:        p.integer("daily_active_users"),
		NomadJobMemoryMiB:       p.integer("nomad_job_memory_mib"),
		CreateS3GatewayEndpoint: p.boolean("create_s3_gateway_endpoint"),
		PreflightWarnOnly:       p.str("preflight") == "warn",
	}
	if mode := p.str("preflight"); mode != "error" && mode != "warn" {
		k, _ := KeyNamed("preflight")
		p.fail(k, mode, "must be error or warn")
	}
	v := &validator{problems: p.problems}
	c.validate(v)
	if len(v.problems) > 0 {
		return nil, nil, &Error{Problems: v.problems}
	}
	return c, v.warnings, nil
}

// Problem is one thing wrong with the configuration.
type Problem struct {
	Key     string // the key without the project namespace
	Value   string // the offending value as given; "[secret]" for secrets
	Message string // what is wrong and what would be valid
}

func (p Problem) String() string {
	if p.Value == "" {
		return fmt.Sprintf("%s: %s", p.Key, p.Message)
	}
	return fmt.Sprintf("%s = %q: %s", p.Key, p.Value, p.Message)
}

// Error lists every problem in a stack configuration.
type Error struct{ Problems []Problem }

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invalid stack configuration (%d problem", len(e.Problems))
	if len(e.Problems) != 1 {
		b.WriteString("s")
	}
	b.WriteString("); fix with `pulumi config set <key> <value>`:")
	for _, p := range e.Problems {
		b.WriteString("\n  - ")
		b.WriteString(p.String())
	}
	return b.String()
}

// parser reads raw values, falls back to the declared defaults, and records
// values that are not of the declared kind.
type parser struct {
	get      Getter
	problems []Problem
}

func (p *parser) raw(name string) (string, Key) {
	k, ok := KeyNamed(name)
	if !ok {
		panic("config: undeclared key " + name)
	}
	v, set, secret := p.get(name)
	if !set {
		return k.Default, k
	}
	if k.Secret && !secret && strings.TrimSpace(v) != "" {
		p.fail(k, v, "is stored in plaintext in the stack file; set it with pulumi config set --secret "+name)
	}
	return v, k
}

func (p *parser) fail(k Key, value, msg string) {
	if k.Secret {
		value = "[secret]"
	}
	p.problems = append(p.problems, Problem{Key: k.Name, Value: value, Message: msg})
}

func (p *parser) str(name string) string {
	v, _ := p.raw(name)
	return strings.TrimSpace(v)
}

func (p *parser) integer(name string) int {
	v, k := p.raw(name)
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil {
		p.fail(k, v, "must be a whole number")
		return 0
	}
	return n
}

// boolean accepts true/false and, as the Terraform installer's count-style
// switches did, 1/0.
func (p *parser) boolean(name string) bool {
	v, k := p.raw(name)
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "1":
		return true
	case "false", "0":
		return false
	}
	p.fail(k, v, "must be true or false (1 or 0)")
	return false
}

func (p *parser) list(name string) []string {
	v, k := p.raw(name)
	var out []string
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		p.fail(k, v, `must be a list of strings, e.g. ["10.0.0.0/8"] (pulumi config set --path '`+name+`[0]' 10.0.0.0/8)`)
		return nil
	}
	return out
}

func (p *parser) stringMap(name string) map[string]string {
	v, k := p.raw(name)
	out := map[string]string{}
	if err := json.Unmarshal([]byte(v), &out); err != nil {
		p.fail(k, v, `must be a map of strings, e.g. {"team": "ci"} (pulumi config set --path '`+name+`.team' ci)`)
		return map[string]string{}
	}
	return out
}

// SortedKeys returns a map's keys in order, for deterministic output.
func SortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
