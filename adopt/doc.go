// Package adopt moves an installation made by CircleCI's Terraform
// installer (enterprise-setup) under this program without recreating it:
// the stack's configuration comes from its terraform.tfvars, and its
// objects are imported into the stack from its terraform.tfstate.
//
// The tfvars half: ParseTFVars (LoadTFVars for a file) reads a
// terraform.tfvars as the stack configuration keys of the same names,
// converting each literal to its key's kind as Terraform converts a
// variable's value; WriteConfig validates the result with config.Parse,
// the check pulumi preview makes, and only then sets every value through a
// ConfigSetter, secrets as secrets; CLISetter is the ConfigSetter that runs
// the pulumi CLI, never with a secret on its command line.
//
// The state half reads the terraform.tfstate and plans the adoption: which
// existing object each of this program's resources is, the keys that
// describe those objects (Adoption.Extra, which WriteConfig sets over the
// tfvars), the import file for pulumi import and a report.
//
// cmd/adopt runs both halves, and writes nothing unless both succeed.
package adopt
