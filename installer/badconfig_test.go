package installer_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/circleci-server-pulumi/installer/config"
)

// A bad configuration fails before anything is registered, and the error
// names the key, the bad value and what would be valid.
func TestBadConfig_FailsBeforeAnyResourceAndNamesTheKey(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		overrides map[string]string
		secrets   []string
		key       string // the key the error must name
		mention   string // and a word of the explanation
	}{
		{"region missing", map[string]string{"aws_region": "<unset>"}, nil, "aws_region", "required"},
		{"region blank", map[string]string{"aws_region": "  "}, nil, "aws_region", "required"},
		{"region malformed", map[string]string{"aws_region": "Frankfurt"}, nil, "aws_region", "region code"},
		{"govcloud flag outside GovCloud", map[string]string{"enable_govcloud": "true"}, nil, "enable_govcloud", "us-gov-west-1"},
		{"vpc id malformed", map[string]string{"aws_vpc_id": "vpc-xyz"}, nil, "aws_vpc_id", "hexadecimal"},
		{"subnet missing", map[string]string{"aws_subnet_id": "<unset>"}, nil, "aws_subnet_id", "required"},
		{"subnet malformed", map[string]string{"aws_subnet_id": "subnet/1"}, nil, "aws_subnet_id", "subnet-"},
		{"ssh key missing", map[string]string{"aws_ssh_key_name": ""}, nil, "aws_ssh_key_name", "required"},
		{"passphrase missing", map[string]string{"circle_secret_passphrase": "<unset>"}, nil, "circle_secret_passphrase", "required"},
		{"passphrase still the template's", map[string]string{"circle_secret_passphrase": "..."}, nil, "circle_secret_passphrase", "placeholder"},
		{"passphrase in plaintext", map[string]string{"aws_access_key": "AKIAIOSFODNN7EXAMPLE", "aws_secret_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}, nil, "aws_secret_key", "--secret"},
		{"only one of the access keys", map[string]string{"aws_access_key": "AKIAIOSFODNN7EXAMPLE"}, []string{"aws_access_key"}, "aws_secret_key", "together"},
		{"prefix uppercase", map[string]string{"prefix": "CircleCI"}, nil, "prefix", "lowercase"},
		{"prefix too long for the bucket", map[string]string{"prefix": strings.Repeat("p", 40)}, nil, "prefix", "S3 bucket"},
		{"prefix too long for the IAM role (short VPC id)", map[string]string{"aws_vpc_id": "vpc-0a1b2c3d", "prefix": strings.Repeat("q", 45)}, nil, "prefix", "IAM role"},
		{"prefix reserved by SSM", map[string]string{"prefix": "aws-ci"}, nil, "prefix", "ssm"},
		{"prefix with a dot", map[string]string{"prefix": "ci.eu"}, nil, "prefix", "lowercase"},
		{"negative max clients", map[string]string{"max_clients_count": "-1"}, nil, "max_clients_count", "0 or more"},
		{"desired above max clients", map[string]string{"max_clients_count": "2", "desired_clients_count": "3"}, nil, "desired_clients_count", "max_clients_count"},
		{"desired above max builders", map[string]string{"max_builders_count": "1", "desired_builders_count": "2"}, nil, "desired_builders_count", "max_builders_count"},
		{"count not a number", map[string]string{"max_clients_count": "two"}, nil, "max_clients_count", "whole number"},
		{"enable_nomad not a number", map[string]string{"enable_nomad": "yes please"}, nil, "enable_nomad", "whole number"},
		{"enable_nomad not a switch", map[string]string{"enable_nomad": "2"}, nil, "enable_nomad", "1 (on) or 0 (off)"},
		{"preflight mode misspelt", map[string]string{"preflight": "warning"}, nil, "preflight", "error or warn"},
		{"clients_public_ip not a choice", map[string]string{"clients_public_ip": "yes"}, nil, "clients_public_ip", "auto"},
		{"vm_cidr_blocks not a CIDR", map[string]string{"vm_cidr_blocks": `["10.0.0.1"]`}, nil, "vm_cidr_blocks", "CIDR"},
		{"isolated region", map[string]string{"aws_region": "us-iso-east-1"}, nil, "aws_region", "isolated"},
		{"route without a zone", map[string]string{"enable_route": "1", "route_name": "ci.example.com"}, nil, "route_zone_id", "required"},
		{"route without a name", map[string]string{"enable_route": "1", "route_zone_id": "Z0123456789ABCDEFGHIJ"}, nil, "route_name", "required"},
		{"zone id malformed", map[string]string{"enable_route": "1", "route_name": "ci.example.com", "route_zone_id": "zone-1"}, nil, "route_zone_id", "hosted zone"},
		{"http proxy not a URL", map[string]string{"http_proxy": "proxy.example.com:3128"}, nil, "http_proxy", "URL"},
		{"https proxy with a quote", map[string]string{"https_proxy": `http://p"x:1`}, nil, "https_proxy", "URL"},
		{"no_proxy with a space", map[string]string{"no_proxy": "localhost, my host"}, nil, "no_proxy", "comma-separated"},
		{"admin CIDR malformed", map[string]string{"admin_cidr_blocks": `["10.0.0.0/33"]`}, nil, "admin_cidr_blocks", "CIDR"},
		{"user CIDR not a network address", map[string]string{"user_cidr_blocks": `["10.1.2.3/16"]`}, nil, "user_cidr_blocks", "10.1.0.0/16"},
		{"CIDR list not a list", map[string]string{"ssh_rerun_cidr_blocks": "0.0.0.0/0"}, nil, "ssh_rerun_cidr_blocks", "list"},
		{"imds tokens unknown", map[string]string{"imds_http_tokens": "v2"}, nil, "imds_http_tokens", "optional or required"},
		{"volume type unknown", map[string]string{"root_volume_type": "magnetic"}, nil, "root_volume_type", "gp3"},
		{"services volume below the guide", map[string]string{"services_volume_size": "50"}, nil, "services_volume_size", "100"},
		{"instance type malformed", map[string]string{"services_instance_type": "m5-2xlarge"}, nil, "services_instance_type", "instance type"},
		{"services AMI malformed", map[string]string{"services_ami": "ubuntu-16.04"}, nil, "services_ami", "AMI ID"},
		{"spot price not a price", map[string]string{"legacy_builder_spot_price": "cheap"}, nil, "legacy_builder_spot_price", "USD"},
		{"tag key reserved", map[string]string{"tags": `{"aws:team": "ci"}`}, nil, "tags", "aws:"},
		{"nomad version malformed", map[string]string{"nomad_version": "latest"}, nil, "nomad_version", "0.9.3"},
		{"docker version with a space", map[string]string{"docker_version": "18.09 latest"}, nil, "docker_version", "Debian package version"},
		{"min healthy above 100", map[string]string{"nomad_min_healthy_percentage": "150"}, nil, "nomad_min_healthy_percentage", "between 0 and 100"},
		{"max healthy below 100", map[string]string{"nomad_max_healthy_percentage": "90"}, nil, "nomad_max_healthy_percentage", "between 100 and 200"},
		{"healthy range wider than 100", map[string]string{"nomad_min_healthy_percentage": "50", "nomad_max_healthy_percentage": "200"}, nil, "nomad_max_healthy_percentage", "at most 100 above nomad_min_healthy_percentage (50)"},
		{"drain deadline not a duration", map[string]string{"nomad_drain_deadline": "an hour"}, nil, "nomad_drain_deadline", "duration such as 1h"},
		{"drain deadline beyond the hook", map[string]string{"nomad_drain_deadline": "17h"}, nil, "nomad_drain_deadline", "at most 16h"},
		{"drain deadline zero", map[string]string{"nomad_drain_deadline": "0s"}, nil, "nomad_drain_deadline", "greater than 0"},
		{"snapshot interval DLM does not schedule", map[string]string{"services_snapshot_interval_hours": "5"}, nil, "services_snapshot_interval_hours", "1, 2, 3, 4, 6, 8, 12 or 24"},
		{"snapshot time not HH:MM", map[string]string{"services_snapshot_time": "3am"}, nil, "services_snapshot_time", "HH:MM"},
		{"snapshot time out of the day", map[string]string{"services_snapshot_time": "24:00"}, nil, "services_snapshot_time", "HH:MM"},
		{"snapshot retention zero", map[string]string{"services_snapshot_retain_count": "0"}, nil, "services_snapshot_retain_count", "between 1 and 1000"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := deploy(t, with(t, c.overrides), c.secrets...)
			if r.err == nil {
				t.Fatalf("config %v was accepted", c.overrides)
			}
			if n := len(r.resources); n != 0 {
				t.Errorf("%d resources were registered before the config was rejected: %v", n, r.resources)
			}
			if n := len(r.invokes); n != 0 {
				t.Errorf("%d AWS calls were made before the config was rejected", n)
			}
			var cfgErr *config.Error
			if !errors.As(r.err, &cfgErr) {
				t.Fatalf("error is not a config.Error: %v", r.err)
			}
			var found bool
			for _, p := range cfgErr.Problems {
				if p.Key == c.key && strings.Contains(p.String(), c.mention) {
					found = true
				}
			}
			if !found {
				t.Errorf("no problem names %s with %q:\n%v", c.key, c.mention, r.err)
			}
		})
	}
}

// All problems are reported at once, not one per preview.
func TestBadConfig_ReportsEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	r := deploy(t, with(t, map[string]string{"aws_region": "<unset>", "prefix": "BAD", "desired_clients_count": "9", "http_proxy": "nope"}))
	var cfgErr *config.Error
	if !errors.As(r.err, &cfgErr) {
		t.Fatalf("want a config.Error, got %v", r.err)
	}
	keys := map[string]bool{}
	for _, p := range cfgErr.Problems {
		keys[p.Key] = true
	}
	for _, k := range []string{"aws_region", "prefix", "desired_clients_count", "http_proxy"} {
		if !keys[k] {
			t.Errorf("problem with %s not reported; got:\n%v", k, r.err)
		}
	}
}

// A subnet of another VPC is refused before any AWS object is created.
func TestBadConfig_SubnetOfAnotherVPC(t *testing.T) {
	t.Parallel()
	cfg := devConfig(t)
	m := deployWithSubnetVPC(t, cfg, "vpc-0ffffffffffffffff")
	if m.err == nil || !strings.Contains(m.err.Error(), "aws_subnet_id") || !strings.Contains(m.err.Error(), "vpc-0ffffffffffffffff") {
		t.Fatalf("want an error naming aws_subnet_id and the subnet's VPC, got %v", m.err)
	}
	if n := len(m.custom()); n != 0 {
		t.Errorf("%d AWS resources registered", n)
	}
}
