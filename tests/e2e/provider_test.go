package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/circleci-server-pulumi/installer/internal/offline"
	"github.com/circleci-server-pulumi/installer/tests/standin"
)

// EC2 termination protection does not stop a Pulumi delete: the provider
// lifts it and then terminates (terraform-provider-aws resourceInstanceDelete).
// So the installer's delete hook is what guards the services box
// (TestTerminationProtection_DestroyTellsWhatToChange).
func TestTerminationProtection_TheProviderLiftsItBeforeTerminating(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	program := func(ctx *pulumi.Context) error {
		p, err := aws.NewProvider(ctx, "aws", &aws.ProviderArgs{Region: pulumi.String("eu-central-1")})
		if err != nil {
			return err
		}
		_, err = ec2.NewInstance(ctx, "protected", &ec2.InstanceArgs{
			Ami:                   pulumi.String("ami-0123456789abcdef0"),
			InstanceType:          pulumi.String("m5.large"),
			SubnetId:              pulumi.String("subnet-0f1e2d3c4b5a69788"),
			DisableApiTermination: pulumi.Bool(true),
		}, pulumi.Provider(p))
		return err
	}
	env, err := offline.New(ctx, t.TempDir(), offline.Options{Stack: "dev", Program: program, Standin: standin.Options{Logf: t.Logf}})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	out := &syncBuffer{}
	if _, err := env.Up(ctx, out); err != nil {
		t.Fatalf("up: %v\n%s", err, out)
	}
	if _, err := env.Destroy(ctx, out); err != nil {
		t.Fatalf("destroy of a protected instance failed; the provider lifts the protection first: %v\n%s", err, out)
	}
	var ops []string
	for _, op := range env.AWS.Operations() {
		if op.Name == "protected" && !op.Preview {
			ops = append(ops, op.Op)
		}
	}
	if got := strings.Join(ops, ","); got != "create,disable-api-termination=false,delete" {
		t.Errorf("instance operations: expected create,disable-api-termination=false,delete, found %s", got)
	}
	if left := env.AWS.Inventory(); len(left) != 0 {
		t.Errorf("destroy left %v", left)
	}
}

// A public subnet that does not assign public IPs (AWS's default for every
// subnet that is not a default subnet): the launch templates ask for one,
// so the Nomad clients have a way out; saying false there stops preview.
func TestFleets_PublicSubnetWithoutAutoAssignedIPs(t *testing.T) {
	t.Parallel()
	const publicNoAutoIP = "subnet-0fffffffffffffff1" // routed to an internet gateway, mapPublicIpOnLaunch false
	cases := []struct {
		name     string
		config   map[string]string
		publicIP bool
	}{
		{"public subnet, clients_public_ip auto", map[string]string{"aws_subnet_id": publicNoAutoIP, "desired_clients_count": "2"}, true},
		{"private subnet with NAT, auto", map[string]string{"aws_subnet_id": "subnet-0aaaaaaaaaaaaaaa1", "services_public_ip": "false"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			s := newStack(t, c.config)
			s.up()
			clients := s.AWS.GroupInstances("circleci_nomad_clients_asg")
			if len(clients) == 0 {
				t.Fatal("the group launched no Nomad clients")
			}
			for _, i := range clients {
				if (i.PublicIP != "") != c.publicIP {
					t.Errorf("Nomad client %s: expected a public IP %v, found %q", i.ID, c.publicIP, i.PublicIP)
				}
			}
		})
	}
	t.Run("public subnet, clients_public_ip false", func(t *testing.T) {
		t.Parallel()
		s := newStack(t, map[string]string{"aws_subnet_id": publicNoAutoIP, "clients_public_ip": "false"})
		_, err := s.Preview(s.ctx, s.out)
		if err == nil || !strings.Contains(err.Error()+s.out.String(), "clients_public_ip = false") {
			t.Fatalf("expected preview to fail naming clients_public_ip, found %v\n%s", err, s.out)
		}
		if n := len(s.AWS.Inventory()); n != 0 {
			t.Errorf("%d objects exist after a failed preview", n)
		}
	})
}
