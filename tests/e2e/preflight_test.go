package e2e

import (
	"strings"
	"testing"
)

// A private install: NAT egress, no Elastic IP, an S3 gateway endpoint made
// by the stack and kept by the next up, DNS on the private address.
func TestPreflight_PrivateSubnetInstall(t *testing.T) {
	t.Parallel()
	s := newStack(t, map[string]string{
		"aws_subnet_id": "subnet-0aaaaaaaaaaaaaaa1", "services_public_ip": "false", "create_s3_gateway_endpoint": "true",
		"enable_route": "1", "route_name": "circleci.example.com", "route_zone_id": "Z0123456789ABCDEFGHIJ",
	})
	outs := s.up()
	ip, _ := outs["services_private_ip"].(string)
	if !strings.HasPrefix(ip, "10.0.2.") || outs["install_url"] != "http://"+ip+"/" {
		t.Errorf("a private install must be reached on its private address; services_private_ip %q, install_url %v", ip, outs["install_url"])
	}
	if n := len(s.inventory("aws:ec2/eip:Eip")); n != 0 {
		t.Errorf("%d Elastic IPs in a private install", n)
	}
	eps := s.inventory("aws:ec2/vpcEndpoint:VpcEndpoint")
	if len(eps) != 1 || eps[0].Properties["serviceName"] != "com.amazonaws.eu-central-1.s3" {
		t.Fatalf("want one S3 gateway endpoint, have %+v", eps)
	}
	if rec := s.inventory("aws:route53/record:Record"); len(rec) != 1 || rec[0].Properties["records"].([]any)[0] != ip {
		t.Errorf("DNS record does not name the private address %s: %+v", ip, rec)
	}
	if ops := s.changed(); len(ops) != 0 {
		t.Errorf("the next up changed %v; the stack's own S3 endpoint must stay", ops)
	}
	s.teardown()
}

// Someone else's S3 endpoint on the route table is used, not duplicated.
func TestPreflight_ExistingS3EndpointIsUsed(t *testing.T) {
	t.Parallel()
	s := newStack(t, map[string]string{"aws_subnet_id": "subnet-0ddddddddddddddd1", "services_public_ip": "false", "create_s3_gateway_endpoint": "true"})
	s.up()
	if n := len(s.inventory("aws:ec2/vpcEndpoint:VpcEndpoint")); n != 0 {
		t.Errorf("%d endpoints created next to the existing one", n)
	}
}

// Undersized, private without NAT, or DNS-less plans fail at preview,
// listing every problem, and nothing reaches AWS.
func TestPreflight_BadPlansFailAtPreview(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		config map[string]string
		want   []string
	}{
		{"undersized on a private subnet without NAT",
			map[string]string{"aws_subnet_id": "subnet-0eeeeeeeeeeeeeee1", "services_instance_type": "m5.xlarge", "aws_ssh_key_name": "admin-us-east-1"},
			[]string{"[services_instance_type]", "[aws_subnet_id]", "[services_public_ip]", "[aws_ssh_key_name]", "32 GB", "NAT"}},
		{"VPC without DNS support, undersized clients",
			map[string]string{"aws_vpc_id": "vpc-0bbbbbbbbbbbbbbb2", "aws_subnet_id": "subnet-0bbbbbbbbbbbbbbb3", "nomad_client_instance_type": "m5.xlarge"},
			[]string{"[aws_vpc_id]", "enableDnsSupport", "[nomad_client_instance_type]"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := newStack(t, c.config)
			_, err := s.Preview(s.ctx, s.out)
			if err == nil {
				t.Fatal("preview passed")
			}
			text := err.Error() + s.out.String()
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("preview error lacks %q:\n%s", w, text)
				}
			}
			if !strings.Contains(text, "Fix: ") {
				t.Error("no fix offered")
			}
			if ops := s.AWS.Operations(); len(ops) != 0 {
				t.Errorf("the stand-in saw %d operations", len(ops))
			}
		})
	}
}
