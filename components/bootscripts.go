package components

import (
	"bytes"
	"embed"
	"fmt"
	"strings"
	"text/template"
	"time"

	"github.com/circleci-server-pulumi/installer/config"
)

//go:embed scripts/*.tmpl
var scriptFS embed.FS

var scripts = template.Must(template.New("").Option("missingkey=error").ParseFS(scriptFS, "scripts/*.tmpl"))

// Versions pinned by the install guide.
const (
	// ReplicatedVersion is the Replicated release the guide's upgrade section names.
	ReplicatedVersion = "2.38.6"
	// BuilderDockerVersion is the Docker CE the 1.0 builder image was built for.
	BuilderDockerVersion = "17.03.2~ce-0~ubuntu-xenial"
)

// ServicesScript is what the services box's boot script needs to know.
type ServicesScript struct {
	config.Proxy
	DockerVersion       string
	ReplicatedVersion   string
	QueueURL            string
	Bucket              string
	Region              string
	SubnetID            string
	VMSecurityGroupID   string
	PassphraseParameter string // SSM name; the value never enters user data
}

// NomadClientScript is what a Nomad client's boot script needs to know.
type NomadClientScript struct {
	config.Proxy
	DockerVersion     string
	NomadVersion      string
	ServicesPrivateIP string
	// Lifecycle is the group's lifecycle hooks the client answers.
	Lifecycle NomadLifecycle
}

// NomadLifecycle is what a Nomad client needs to answer its group's
// lifecycle hooks: complete the launch hook once the node is ready, and
// drain the node before completing the terminate hook.
type NomadLifecycle struct {
	Region            string
	GroupName         string
	LaunchHookName    string
	TerminateHookName string
	DrainDeadline     string // Nomad duration, e.g. "1h"
	HeartbeatSeconds  int    // the watcher records a heartbeat this often while draining
	JoinWaitSeconds   int    // how long the boot script waits for the node to become ready
}

// BuilderScript is what a 1.0 builder's boot script needs to know.
type BuilderScript struct {
	config.Proxy
	BuilderDockerVersion string
	Region               string
	ServicesPrivateIP    string
	PassphraseParameter  string
}

func render(name string, data any) (string, error) {
	var b bytes.Buffer
	if err := scripts.ExecuteTemplate(&b, name, data); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Render returns the services box's boot script.
func (s ServicesScript) Render() (string, error) {
	if s.ReplicatedVersion == "" {
		s.ReplicatedVersion = ReplicatedVersion
	}
	return render("services.sh.tmpl", s)
}

// NomadConfig returns the Nomad client configuration the boot script writes
// to /etc/nomad/config.hcl. $INSTANCE_ID and $PRIVATE_IP are left for the
// shell to expand on the instance.
func (s NomadClientScript) NomadConfig() (string, error) {
	hcl, err := render("nomad-client.hcl.tmpl", s)
	return strings.TrimRight(hcl, "\n"), err
}

// Render returns a Nomad client's boot script. The group always has its
// lifecycle hooks, so every field of Lifecycle is required.
func (s NomadClientScript) Render() (string, error) {
	l := s.Lifecycle
	// The names go into the script between double quotes.
	for field, v := range map[string]string{
		"Region": l.Region, "GroupName": l.GroupName, "LaunchHookName": l.LaunchHookName,
		"TerminateHookName": l.TerminateHookName, "ServicesPrivateIP": s.ServicesPrivateIP,
	} {
		if v == "" || strings.ContainsAny(v, "\"$`\\\n") {
			return "", fmt.Errorf("nomad client script: %s %q is empty or has a shell quote in it", field, v)
		}
	}
	// nomad node drain -deadline parses a Go duration and wants it positive
	// (Nomad 0.9.3 command/node_drain.go).
	deadline, err := time.ParseDuration(l.DrainDeadline)
	if err != nil || deadline <= 0 {
		return "", fmt.Errorf("nomad client script: DrainDeadline %q is not a positive duration such as 1h", l.DrainDeadline)
	}
	if l.HeartbeatSeconds <= 0 || l.JoinWaitSeconds <= 0 {
		return "", fmt.Errorf("nomad client script: HeartbeatSeconds (%d) and JoinWaitSeconds (%d) must be positive", l.HeartbeatSeconds, l.JoinWaitSeconds)
	}
	hcl, err := s.NomadConfig()
	if err != nil {
		return "", err
	}
	// Nomad force-stops what is left at the deadline; the watcher gives up
	// waiting for the drain 10 minutes later, and the heartbeats last as long.
	drainTimeout := int((deadline + 10*time.Minute).Seconds())
	return render("nomad-client.sh.tmpl", struct {
		NomadClientScript
		NomadConfig         string
		DrainTimeoutSeconds int
		MaxHeartbeats       int
	}{s, hcl, drainTimeout, drainTimeout/l.HeartbeatSeconds + 1})
}

// Render returns a 1.0 builder's boot script.
func (s BuilderScript) Render() (string, error) {
	if s.BuilderDockerVersion == "" {
		s.BuilderDockerVersion = BuilderDockerVersion
	}
	return render("builder.sh.tmpl", s)
}
