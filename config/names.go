package config

import "strings"

// Names are the AWS names of everything the installation creates, derived
// from the prefix exactly as the Terraform installer derived them, so that an
// installation keeps its names when it moves to this program.
type Names struct {
	ShutdownQueue          string
	ShutdownQueueRole      string
	Bucket                 string
	Role                   string
	Policy                 string
	InstanceProfile        string
	PassphraseParameter    string
	BuildersSG             string
	ServicesSG             string
	BuildersAdminSG        string
	UsersSG                string
	VMSG                   string
	NomadSG                string
	SSHSG                  string
	Services               string // Name tag of the services box
	BuildersLaunchTemplate string
	BuildersASG            string
	Builders               string // Name tag of 1.0 builders
	BuildersShutdownHook   string
	NomadLaunchTemplate    string
	NomadASG               string
	NomadClient            string // Name tag of Nomad clients
	NomadRole              string // instance role of the Nomad clients: their lifecycle hooks only
	NomadPolicy            string
	NomadInstanceProfile   string
	NomadJoinHook          string // launch hook, completed once the node is ready
	NomadDrainHook         string // terminate hook, completed once the node has drained
	SnapshotRole           string // Data Lifecycle Manager's role
	SnapshotPolicy         string // its inline policy
	SnapshotTag            string // tag key (value: the prefix) the snapshot policy targets
}

// Names derives every AWS name from the prefix and the VPC.
func (c *Config) Names() Names {
	p := c.Prefix
	return Names{
		ShutdownQueue:          p + "_shutdown_queue",
		ShutdownQueueRole:      p + "_shutdown_queue_role",
		Bucket:                 strings.ReplaceAll(p, "_", "-") + "-bucket-" + strings.TrimPrefix(c.AWSVPCID, "vpc-"),
		Role:                   p + "_role",
		Policy:                 p + "_policy",
		InstanceProfile:        p + "_profile",
		PassphraseParameter:    "/" + p + "/circle_secret_passphrase",
		BuildersSG:             p + "_builders_sg",
		ServicesSG:             p + "_services_sg",
		BuildersAdminSG:        p + "_builders_admin_sg",
		UsersSG:                p + "_users_sg",
		VMSG:                   p + "_vm_sg",
		NomadSG:                p + "_nomad_sg",
		SSHSG:                  p + "_ssh_sg",
		Services:               p + "_services",
		BuildersLaunchTemplate: p + "_builders",
		BuildersASG:            p + "_builders_asg",
		Builders:               p + "_builders",
		BuildersShutdownHook:   p + "_builders_shutdown_hook",
		NomadLaunchTemplate:    p + "_nomad_clients",
		NomadASG:               p + "_nomad_clients_asg",
		NomadClient:            p + "-nomad-client",
		NomadRole:              p + "_nomad_client_role",
		NomadPolicy:            p + "_nomad_client_policy",
		NomadInstanceProfile:   p + "_nomad_client_profile",
		NomadJoinHook:          p + "_nomad_clients_join",
		NomadDrainHook:         p + "_nomad_clients_drain",
		SnapshotRole:           p + "_snapshot_role",
		SnapshotPolicy:         p + "_snapshot_policy",
		SnapshotTag:            "circleci:snapshots",
	}
}
