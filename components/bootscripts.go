package components

import (
	"bytes"
	"embed"
	"strings"
	"text/template"

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

// Render returns a Nomad client's boot script.
func (s NomadClientScript) Render() (string, error) {
	hcl, err := s.NomadConfig()
	if err != nil {
		return "", err
	}
	return render("nomad-client.sh.tmpl", struct {
		NomadClientScript
		NomadConfig string
	}{s, hcl})
}

// Render returns a 1.0 builder's boot script.
func (s BuilderScript) Render() (string, error) {
	if s.BuilderDockerVersion == "" {
		s.BuilderDockerVersion = BuilderDockerVersion
	}
	return render("builder.sh.tmpl", s)
}
