// Package standin is a STAND-IN for the AWS resource provider ("aws", which
// it reports as version 6.83.4), served over gRPC inside a test process so
// that the real Pulumi CLI and engine can preview, deploy and destroy the
// installer offline. It is test infrastructure, not AWS: nothing leaves the
// process, and every answer comes from in-memory state and the JSON fixtures
// in fixtures/.
//
// Point the engine at it with PULUMI_DEBUG_PROVIDERS=aws:<Server.Port()>.
//
// It is strict where mocks are lenient. It implements only the resource
// types and invokes the installer uses, and fails loudly, naming the token,
// on any other. It rejects what AWS rejects, with error text shaped like the
// real provider's: malformed names, bad rule ports, references to ids that do
// not exist, deletes AWS refuses (a security group still referenced, an
// instance with stop protection, a non-empty bucket; termination protection
// is lifted first, as the provider does), duplicate names, policies naming
// another partition. It declares replacements the way the real provider
// does, keeps secret inputs secret in its outputs, and during preview returns
// unknowns for computed outputs without changing its state.
//
// Ids and ARNs are deterministic: derived from a counter per kind, in the
// partition of the configured region (aws, aws-us-gov for us-gov-*, aws-cn
// for cn-*), in account 123456789012. The fixture VPCs and subnets exist in
// every region; availability zones are the region plus the fixture's suffix.
// The AWS-managed prefix lists of gateway services (S3, DynamoDB) have ids
// derived from their names, so they differ per region.
//
// A gateway VPC endpoint adds a route to each of its route tables, and its
// update or delete moves or removes them; the fixture route tables never
// change. Like the real provider, getRouteTable leaves out local routes and
// gateway endpoint routes; getRouteTables' route.* filters see them, as EC2
// does, and so does Server.Routes.
//
// Auto scaling groups launch instances (GroupInstances), with a public IP
// as the launch template's network interface or the subnet says. What a group
// does over time runs on a simulated clock of its own, to its end inside the
// call that starts it, without sleeping: launches wait in Pending:Wait for
// the group's LAUNCHING hooks and terminations in Terminating:Wait for its
// TERMINATING hooks, until the software on the instance answers (SetAgent:
// tests say what it does; without an agent every action ends with its
// hook's default result at the heartbeat timeout); an abandoned launch is
// terminated and replaced; an instance refresh replaces the instances in
// rolling batches within its minimum and maximum healthy percentages and
// instance warmup, and fails when its replacements keep being abandoned;
// the provider waits for capacity (waitForCapacityTimeout) and for a drain
// on delete as it does, failing as it does when the simulated time runs past
// its timeout; a forced delete skips the hooks. GroupEvents tells what
// happened when; SetRefreshAbandonLimit, SetAbandonedLaunchTerminateHooks
// and SetLateHooksCatchLaunches choose between answers no source settles.
//
// Tests read what it did through Inventory, Operations, ARNs, Routes and
// GroupInstances.
package standin
