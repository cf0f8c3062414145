// Package realaws is the pre-release check against a real AWS account: the
// repository's program, through pulumi preview, up, a no-op update and
// destroy, with the admin console answering on :8800 in between.
//
// It creates real, billed AWS objects, so it runs only when asked:
//
//	CIRCLECI_SERVER_AWS_TEST=1 \
//	CIRCLECI_SERVER_AWS_REGION=eu-central-1 CIRCLECI_SERVER_AWS_VPC=vpc-... \
//	CIRCLECI_SERVER_AWS_SUBNET=subnet-... CIRCLECI_SERVER_AWS_KEY=my-key \
//	go test ./tests/realaws -v -timeout 90m
//
// with AWS credentials in the environment and the Pulumi CLI and its Go
// language host (pulumi-language-go) on PATH. Everywhere else it skips,
// saying what is missing.
package realaws

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pulumi/pulumi/pkg/v3/testing/integration"
)

func requirements() (map[string]string, []string) {
	var missing []string
	if os.Getenv("CIRCLECI_SERVER_AWS_TEST") != "1" {
		missing = append(missing, "CIRCLECI_SERVER_AWS_TEST=1 (this test creates billed AWS objects)")
	}
	if os.Getenv("AWS_ACCESS_KEY_ID") == "" && os.Getenv("AWS_PROFILE") == "" {
		missing = append(missing, "AWS credentials (AWS_ACCESS_KEY_ID or AWS_PROFILE)")
	}
	for _, bin := range []string{"pulumi", "pulumi-language-go"} {
		if _, err := exec.LookPath(bin); err != nil {
			missing = append(missing, bin+" on PATH")
		}
	}
	cfg := map[string]string{}
	for key, env := range map[string]string{
		"aws_region": "CIRCLECI_SERVER_AWS_REGION", "aws_vpc_id": "CIRCLECI_SERVER_AWS_VPC",
		"aws_subnet_id": "CIRCLECI_SERVER_AWS_SUBNET", "aws_ssh_key_name": "CIRCLECI_SERVER_AWS_KEY",
	} {
		if v := os.Getenv(env); v != "" {
			cfg[key] = v
		} else {
			missing = append(missing, env)
		}
	}
	return cfg, missing
}

func TestRealAWS_Lifecycle(t *testing.T) {
	cfg, missing := requirements()
	if len(missing) > 0 {
		t.Skipf("real-AWS check not run; missing: %s", strings.Join(missing, ", "))
	}
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	// A throwaway installation: unique prefix, nothing kept after destroy.
	cfg["prefix"] = fmt.Sprintf("ci-check-%d", time.Now().Unix()%100000)
	cfg["services_disable_api_termination"] = "false"
	cfg["force_destroy_s3_bucket"] = "true"
	cfg["desired_clients_count"] = "1"

	integration.ProgramTest(t, &integration.ProgramTestOptions{
		Dir:             repo,
		StackName:       "realaws-check",
		Config:          cfg,
		Secrets:         map[string]string{"circle_secret_passphrase": fmt.Sprintf("Check%d", time.Now().UnixNano())},
		SecretsProvider: "passphrase",
		Env:             []string{"PULUMI_CONFIG_PASSPHRASE=realaws-check"},
		// Preview, up, an empty preview and a no-op up, then destroy.
		ExtraRuntimeValidation: func(t *testing.T, stack integration.RuntimeValidationStackInfo) {
			for _, k := range []string{"install_url", "admin_console_url", "ssh_services", "bucket_name", "shutdown_queue_url", "nomad_clients_asg_name"} {
				if s, _ := stack.Outputs[k].(string); s == "" {
					t.Errorf("output %s is empty", k)
				}
			}
			ip, _ := stack.Outputs["services_public_ip"].(string)
			waitForAdminConsole(t, ip, 30*time.Minute)
		},
	})
}

// waitForAdminConsole polls https://<ip>:8800 (Replicated's self-signed
// certificate) until it answers: the boot script installed Replicated.
func waitForAdminConsole(t *testing.T, ip string, limit time.Duration) {
	t.Helper()
	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}, // Replicated's self-signed certificate
	}
	deadline := time.Now().Add(limit)
	for attempt := 1; ; attempt++ {
		resp, err := client.Get("https://" + ip + ":8800/")
		if err == nil {
			resp.Body.Close()
			t.Logf("admin console answered %s after %d attempts", resp.Status, attempt)
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("admin console on %s:8800 did not answer within %s: %v", ip, limit, err)
		}
		time.Sleep(30 * time.Second)
	}
}
