package config

import (
	"strings"
	"testing"
)

// minimal is the smallest valid stack.
func minimal() map[string]string {
	return map[string]string{
		"aws_region": "eu-central-1", "aws_vpc_id": "vpc-0a1b2c3d4e5f67890", "aws_subnet_id": "subnet-0f1e2d3c4b5a69788",
		"aws_ssh_key_name": "admin", "circle_secret_passphrase": "s3cretPassphrase",
	}
}

func parse(t *testing.T, overrides map[string]string) (*Config, []string, error) {
	t.Helper()
	raw := minimal()
	for k, v := range overrides {
		raw[k] = v
	}
	return Parse(func(k string) (string, bool, bool) {
		v, ok := raw[k]
		return v, ok, k == "circle_secret_passphrase" || k == "aws_secret_key" || k == "aws_access_key"
	})
}

func TestParse_DefaultsMatchTheTerraformInstaller(t *testing.T) {
	c, _, err := parse(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		what      string
		got, want any
	}{
		{"prefix", c.Prefix, "circleci"},
		{"services_instance_type", c.ServicesInstanceType, "m5.2xlarge"},
		{"nomad_client_instance_type", c.NomadClientInstanceType, "m5.2xlarge"},
		{"builder_instance_type", c.BuilderInstanceType, "r5.2xlarge"},
		{"max_builders_count", c.MaxBuildersCount, 2},
		{"desired_builders_count (tfvars template, guide: off)", c.DesiredBuildersCount, 0},
		{"enable_nomad", c.EnableNomad, true},
		{"max_clients_count", c.MaxClientsCount, 2},
		{"desired_clients_count", c.DesiredClientsCount, 1},
		{"services_disable_api_termination", c.ServicesDisableAPITermination, true},
		{"services_delete_on_termination", c.ServicesDeleteOnTermination, false},
		{"force_destroy_s3_bucket", c.ForceDestroyS3Bucket, false},
		{"enable_route", c.EnableRoute, false},
		{"services_user_data_enabled", c.ServicesUserDataEnabled, true},
		{"enable_govcloud", c.EnableGovCloud, false},
		{"imds_http_tokens", c.IMDSHTTPTokens, "optional"},
		{"root_volume_type", c.RootVolumeType, "gp3"},
		{"services_volume_size", c.ServicesVolumeSize, 150},
		{"nomad_client_volume_size", c.NomadClientVolumeSize, 200},
		{"nomad_version", c.NomadVersion, "0.9.3"},
		{"docker_version", c.DockerVersion, "5:18.09.9~3-0~ubuntu-xenial"},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s defaults to %v, want %v", ch.what, ch.got, ch.want)
		}
	}
}

func TestParse_Warnings(t *testing.T) {
	cases := []struct {
		name      string
		overrides map[string]string
		want      string // a warning containing this, or "" for none
	}{
		{"open admin ports by default", nil, "admin_cidr_blocks includes 0.0.0.0/0"},
		{"open user ports by default", nil, "user_cidr_blocks includes 0.0.0.0/0"},
		{"open VM ports by default", nil, "vm_cidr_blocks includes 0.0.0.0/0"},
		{"unknown region", map[string]string{"aws_region": "xx-mars-1"}, "not one this program knows"},
		{"GovCloud region without the flag", map[string]string{"aws_region": "us-gov-east-1"}, "aws-us-gov partition"},
		{"route keys without enable_route", map[string]string{"route_name": "ci.example.com"}, "no DNS record"},
		{"replacement allowed", map[string]string{"services_allow_replacement": "true"}, "may replace or delete the services box"},
		{"Nomad older than the drain watcher was checked against", map[string]string{"nomad_version": "0.8.7"}, "older than 0.9.3"},
		{"Nomad 0.10 is not older", map[string]string{"nomad_version": "0.10.0", "admin_cidr_blocks": `["10.0.0.0/8"]`, "user_cidr_blocks": `["10.0.0.0/8"]`, "ssh_rerun_cidr_blocks": `[]`, "vm_cidr_blocks": `["198.51.100.7/32"]`}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, warnings, err := parse(t, c.overrides)
			if err != nil {
				t.Fatal(err)
			}
			if c.want == "" {
				if len(warnings) != 0 {
					t.Errorf("want no warnings, found %q", warnings)
				}
				return
			}
			for _, w := range warnings {
				if strings.Contains(w, c.want) {
					return
				}
			}
			t.Errorf("no warning with %q in %q", c.want, warnings)
		})
	}
	_, warnings, _ := parse(t, map[string]string{"admin_cidr_blocks": `["10.0.0.0/8"]`, "user_cidr_blocks": `["10.0.0.0/8"]`, "ssh_rerun_cidr_blocks": `[]`, "vm_cidr_blocks": `["198.51.100.7/32"]`})
	if len(warnings) != 0 {
		t.Errorf("a narrowed configuration still warns: %q", warnings)
	}
}

func TestPartition(t *testing.T) {
	cases := []struct {
		region  string
		gov     string
		want    Partition
		arnPart string
	}{
		{"eu-central-1", "false", Commercial, "aws"},
		{"us-gov-west-1", "true", GovCloud, "aws-us-gov"},
		{"us-gov-east-1", "false", GovCloud, "aws-us-gov"},
		{"cn-northwest-1", "false", China, "aws-cn"},
	}
	for _, c := range cases {
		cfg, _, err := parse(t, map[string]string{"aws_region": c.region, "enable_govcloud": c.gov})
		if err != nil {
			t.Fatal(err)
		}
		if got := cfg.Partition(); got != c.want {
			t.Errorf("%s: partition %+v, want %+v", c.region, got, c.want)
		}
		if got := cfg.Partition().Name; got != c.arnPart {
			t.Errorf("%s: ARN partition %s, want %s", c.region, got, c.arnPart)
		}
	}
}

func TestProxy_NoProxy(t *testing.T) {
	cases := []struct{ http, noProxy, want string }{
		{"", "", ""},
		{"", "localhost", "localhost"},
		{"http://p:3128", "", "169.254.169.254,169.254.169.123"},
		{"http://p:3128", "localhost, .internal,169.254.169.254", "localhost,.internal,169.254.169.254,169.254.169.123"},
	}
	for _, c := range cases {
		cfg, _, err := parse(t, map[string]string{"http_proxy": c.http, "no_proxy": c.noProxy})
		if err != nil {
			t.Fatal(err)
		}
		if got := cfg.Proxy().NoProxy; got != c.want {
			t.Errorf("http_proxy=%q no_proxy=%q: effective %q, want %q", c.http, c.noProxy, got, c.want)
		}
	}
}

func TestError_MasksSecrets(t *testing.T) {
	_, _, err := parse(t, map[string]string{"circle_secret_passphrase": "has spaces!"})
	if err == nil {
		t.Fatal("accepted a passphrase the guide forbids")
	}
	if strings.Contains(err.Error(), "has spaces!") || !strings.Contains(err.Error(), "[secret]") {
		t.Errorf("the error shows the secret instead of masking it: %v", err)
	}
}

// The Terraform installer's switches (count = var.enable_route) are
// integers, 1 or 0; the keys it did not have are booleans. Each takes only
// what the Pulumi CLI lets through for its declared type.
func TestParse_SwitchesAndBooleans(t *testing.T) {
	cases := []struct {
		route, destroy string
		on             bool
		problem        string
	}{
		{"1", "true", true, ""},
		{"0", "false", false, ""},
		{"2", "false", false, "enable_route = \"2\": must be 1 (on) or 0 (off)"},
		{"true", "false", false, "enable_route = \"true\": must be a whole number"},
		{"0", "1", false, "force_destroy_s3_bucket = \"1\": must be true or false"},
		{"0", "TRUE", false, "force_destroy_s3_bucket = \"TRUE\": must be true or false"},
	}
	for _, c := range cases {
		cfg, _, err := parse(t, map[string]string{"enable_route": c.route, "route_name": "ci.example.com", "route_zone_id": "Z123", "force_destroy_s3_bucket": c.destroy})
		switch {
		case c.problem == "" && err != nil:
			t.Errorf("enable_route=%q force_destroy_s3_bucket=%q: want accepted, got %v", c.route, c.destroy, err)
		case c.problem == "" && (cfg.EnableRoute != c.on || cfg.ForceDestroyS3Bucket != c.on):
			t.Errorf("enable_route=%q force_destroy_s3_bucket=%q: want both %v, got %v and %v", c.route, c.destroy, c.on, cfg.EnableRoute, cfg.ForceDestroyS3Bucket)
		case c.problem != "" && (err == nil || !strings.Contains(err.Error(), c.problem)):
			t.Errorf("enable_route=%q force_destroy_s3_bucket=%q: want the problem %q, got %v", c.route, c.destroy, c.problem, err)
		}
	}
}

// The isolated partitions are refused by name, not mapped to "aws".
func TestParse_IsolatedRegionsAreRefused(t *testing.T) {
	for _, region := range []string{"us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1"} {
		_, _, err := parse(t, map[string]string{"aws_region": region})
		if err == nil || !strings.Contains(err.Error(), "isolated partitions") {
			t.Errorf("aws_region %s: want the isolated-partition refusal, got %v", region, err)
		}
	}
	for _, region := range []string{"us-gov-west-1", "cn-north-1", "eu-central-1"} {
		if _, _, err := parse(t, map[string]string{"aws_region": region}); err != nil {
			t.Errorf("aws_region %s: want accepted, got %v", region, err)
		}
	}
}
