package standin

import (
	"crypto/sha256"
	"fmt"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
	"weak"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const tGroup = "aws:autoscaling/group:Group"

// ltIDRE is the form of a launch template id.
// Source: terraform-provider-aws internal/verify/validate.go,
// ValidLaunchTemplateID (`^lt\-[0-9a-z]+$`).
var ltIDRE = regexp.MustCompile(`^lt\-[0-9a-z]+$`)

func init() {
	register(groupKind())
}

// LaunchedInstance is an EC2 instance an auto scaling group launched. It is
// no resource of the program, so Inventory does not list it.
type LaunchedInstance struct {
	ID               string // i-...
	SubnetID         string
	AvailabilityZone string
	PrivateIP        string
	PublicIP         string   // "" when it has no public IPv4 address
	SecurityGroupIDs []string // of its primary network interface
	// LaunchTemplateID and LaunchTemplateVersion are what it was launched
	// from: the template's id and the version number the group's version
	// ("$Latest", "$Default" or a number) meant at launch.
	LaunchTemplateID      string
	LaunchTemplateVersion int
	// LifecycleState is its Auto Scaling lifecycle state: InService between
	// calls (Pending while SetLateHooksCatchLaunches holds it); an Agent also
	// sees Pending:Wait and Terminating:Wait.
	LifecycleState string
}

// GroupInstances lists the instances an auto scaling group still has (none
// terminated), oldest first, with their lifecycle states, or none for a
// group that does not exist. A group launches its desired capacity when it
// is created, launches or terminates instances when an update changes its
// desired capacity (or its bounds move the desired capacity), and replaces
// its instances with ones of its new launch template version when an update
// changes the launch template of a group that has an instance refresh. Each
// launch and termination goes through the group's lifecycle hooks, which the
// group's Agent answers (SetAgent); GroupEvents tells what happened when.
// Instances launched earlier keep the version they were launched from;
// deleting the group terminates them. A preview changes none of this.
func (s *Server) GroupInstances(groupName string) []LaunchedInstance {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleHeld(groupName)
	var out []LaunchedInstance
	for _, i := range side(s.st).launched[groupName] {
		i.SecurityGroupIDs = append([]string(nil), i.SecurityGroupIDs...)
		out = append(out, i)
	}
	return out
}

// computeSide is what EC2 and Auto Scaling hold that no resource's outputs
// show: the versions of each launch template and the instances each group
// runs. It belongs to one state, and is forgotten with it.
type computeSide struct {
	ltVersions map[string][]resource.PropertyMap // launch template id -> versions 1..n
	launched   map[string][]LaunchedInstance     // group name -> instances not terminated, oldest first
	// What autoscaling_activity.go keeps of the groups' activity.
	agents map[string]Agent         // group name -> the software on its instances
	events map[string][]GroupEvent  // group name -> what happened, in order
	clocks map[string]time.Duration // group name -> its simulated time
	held   map[string]bool          // instance id -> waiting for hooks to come (SetLateHooksCatchLaunches)
	knobs  activityKnobs
	seed   *seedSide // what seeding keeps (seed.go)
}

var sides = struct {
	sync.Mutex
	m map[weak.Pointer[state]]*computeSide
}{m: map[weak.Pointer[state]]*computeSide{}}

// side returns the state's computeSide. Callers hold the server's lock.
func side(st *state) *computeSide {
	sides.Lock()
	defer sides.Unlock()
	k := weak.Make(st)
	if cs := sides.m[k]; cs != nil {
		return cs
	}
	cs := &computeSide{ltVersions: map[string][]resource.PropertyMap{}, launched: map[string][]LaunchedInstance{},
		agents: map[string]Agent{}, events: map[string][]GroupEvent{}, clocks: map[string]time.Duration{}, held: map[string]bool{}}
	sides.m[k] = cs
	runtime.AddCleanup(st, func(k weak.Pointer[state]) {
		sides.Lock()
		delete(sides.m, k)
		sides.Unlock()
	}, k)
	return cs
}

// launchedIPs are the private addresses the groups' instances hold in a subnet.
func (st *state) launchedIPs(subnetID string) []string {
	var out []string
	for _, is := range side(st).launched {
		for _, i := range is {
			if i.SubnetID == subnetID {
				out = append(out, i.PrivateIP)
			}
		}
	}
	return out
}

// groupTemplate resolves a group's launch template and version.
// Source: Auto Scaling API Reference, LaunchTemplateSpecification (an id or
// a name; a version number, "$Latest" or "$Default", the default version
// when none is given).
// Assumption: the texts of the two refusals ("The specified launch
// template, with template ID ..., does not exist." and "The specified launch
// template version ... does not exist for launch template ...").
func (c *call) groupTemplate(fail func(string, ...any) error, ins resource.PropertyMap) (*record, int, resource.PropertyMap, error) {
	lt := obj(ins, "launchTemplate")
	ref, by := str(lt, "id"), "ID"
	if ref == "" {
		ref, by = str(lt, "name"), "name"
	}
	tmpl := c.st.launchTemplate(ref)
	if tmpl == nil {
		return nil, 0, nil, fail("You must use a valid fully-formed launch template. The specified launch template, with template %s %s, does not exist.", by, ref)
	}
	n, data := c.st.launchTemplateVersion(tmpl, str(lt, "version"))
	if n == 0 {
		return nil, 0, nil, fail("You must use a valid fully-formed launch template. The specified launch template version %s does not exist for launch template %s.", str(lt, "version"), tmpl.id)
	}
	return tmpl, n, data, nil
}

// launchProblems is what Auto Scaling refuses about the launch template
// version a group would launch from, when the group is created or updated.
// It checks what CreateLaunchTemplate leaves unchecked (see validate in
// ec2_launch_template.go) and reports EC2's complaint behind "You must use a
// valid fully-formed launch template."
func (c *call) launchProblems(doing, op string, data resource.PropertyMap, subnets []*subnetFixture) error {
	fail := func(format string, args ...any) error {
		return awsErr(doing, op, 400, "ValidationError", "You must use a valid fully-formed launch template. "+format, args...)
	}
	nis := objs(data, "networkInterfaces")
	// Source: terraform-provider-aws issue #4570 ("Error updating Autoscaling
	// group: InvalidQueryParameter: Invalid launch template: When a network
	// interface is provided, the security groups must be a part of it."),
	// cloudacademy/terraform-aws issue #1 and traveloka/terraform-aws-autoscaling
	// issue #38 (the same at CreateAutoScalingGroup, status code 400); Auto
	// Scaling User Guide, "Create a launch template for an Auto Scaling
	// group" ("If you specify a network interface, you must configure the
	// security group as part of the network interface, and not in the
	// Security Groups section of the template").
	if len(nis) > 0 && (len(strs(data, "vpcSecurityGroupIds")) > 0 || len(strs(data, "securityGroupNames")) > 0) {
		return awsErr(doing, op, 400, "InvalidQueryParameter",
			"Invalid launch template: When a network interface is provided, the security groups must be a part of it.")
	}
	// Source: Guimove/terraform-aws-bastion issue #173 ("creating Auto
	// Scaling Group (...): ValidationError: You must use a valid fully-formed
	// launch template. The key pair '...' does not exist"), eksctl-io/eksctl
	// issue #1989 (the same when scaling, UpdateAutoScalingGroup).
	if k := str(data, "keyName"); k != "" && !c.s.keyPairExists(k) {
		return fail("The key pair '%s' does not exist", k)
	}
	// Source: see instanceProfileError in ec2_launch_params.go.
	profile := str(data, "iamInstanceProfile", "name")
	if profile == "" {
		profile = str(data, "iamInstanceProfile", "arn")
	}
	if msg := c.instanceProfileError(profile); msg != "" {
		return fail("%s", msg)
	}
	// Assumption: EC2's complaints about the groups behind the same prefix,
	// with the texts of RunInstances (InvalidGroup.NotFound; "belong to
	// different networks").
	for _, sg := range launchGroups(data) {
		g := c.st.get(tSecurityGroup, sg)
		if g == nil {
			return fail("The security group '%s' does not exist", sg)
		}
		for _, s := range subnets {
			if str(g.outputs, "vpcId") != s.VPCID {
				return fail("Security group %s and subnet %s belong to different networks.", sg, s.ID)
			}
		}
	}
	return nil
}

// primaryInterface is the launch template's network interface at device
// index 0, or nil.
// Source: terraform-provider-aws ec2_launch_template.go,
// expandLaunchTemplateInstanceNetworkInterfaceSpecificationRequest (device_index
// is always sent, 0 when not set).
func primaryInterface(data resource.PropertyMap) resource.PropertyMap {
	for _, ni := range objs(data, "networkInterfaces") {
		if idx, _ := num(ni, "deviceIndex"); idx == 0 {
			return ni
		}
	}
	return nil
}

// launchGroups are the security groups of an instance launched from a
// launch template version: its primary network interface's when it has
// network interfaces, the template's otherwise.
// Source: EC2 API Reference, RequestLaunchTemplateData, "SecurityGroupIds"
// and "NetworkInterfaces" ("If you specify a network interface, you must
// specify any security groups and subnets as part of the network
// interface").
// Assumption: with neither, the VPC's default group, which the fixtures do
// not model, so none.
func launchGroups(data resource.PropertyMap) []string {
	if ni := primaryInterface(data); ni != nil {
		return strs(ni, "securityGroups")
	}
	if len(objs(data, "networkInterfaces")) > 0 {
		return nil
	}
	return strs(data, "vpcSecurityGroupIds")
}

// newInstance launches one instance of a group from a launch template
// version, into a subnet of the zone where the group has the fewest
// instances (alive: those not terminating).
func (c *call) newInstance(tmpl *record, version int, data resource.PropertyMap, subnets []*subnetFixture, alive []*simInst) (LaunchedInstance, error) {
	// Source: Auto Scaling User Guide, "Rebalancing activities" /
	// "Availability Zone distribution" (Auto Scaling launches new instances
	// in the enabled Availability Zone with the fewest instances, to keep
	// them balanced).
	// Assumption: ties go to the subnet listed first.
	var sub *subnetFixture
	best := -1
	for _, s := range subnets {
		count := 0
		for _, i := range alive {
			if i.AvailabilityZone == c.az(s) {
				count++
			}
		}
		if best < 0 || count < best {
			sub, best = s, count
		}
	}
	ip, err := c.allocateIP(sub)
	if err != nil {
		return LaunchedInstance{}, err
	}
	inst := LaunchedInstance{
		ID: c.st.hexID("i", 17), SubnetID: sub.ID, AvailabilityZone: c.az(sub), PrivateIP: ip,
		SecurityGroupIDs: append([]string{}, launchGroups(data)...), LaunchTemplateID: tmpl.id, LaunchTemplateVersion: version,
	}
	var ask resource.PropertyValue
	if ni := primaryInterface(data); ni != nil {
		ask = get(ni, "associatePublicIpAddress")
	}
	if publicIPOnLaunch(ask, sub) {
		inst.PublicIP = c.nextPublicIP()
	}
	return inst, nil
}

// groupSubnets are the fixture subnets of a group's vpcZoneIdentifiers.
func (c *call) groupSubnets(ins resource.PropertyMap) []*subnetFixture {
	var out []*subnetFixture
	for _, id := range strs(ins, "vpcZoneIdentifiers") {
		if s := c.s.fx.subnet(id); s != nil {
			out = append(out, s)
		}
	}
	return out
}

func groupKind() *kind {
	// validate is what CreateAutoScalingGroup and UpdateAutoScalingGroup
	// refuse about the group itself; it returns the computed outputs and the
	// desired capacity.
	validate := func(c *call, doing, op string, ins resource.PropertyMap, old *record) (resource.PropertyMap, int, error) {
		fail := func(format string, args ...any) error {
			return awsErr(doing, op, 400, "ValidationError", format, args...)
		}
		minSize, _ := num(ins, "minSize")
		maxSize, _ := num(ins, "maxSize")
		desired, hasDesired := num(ins, "desiredCapacity")
		// Assumption: the text of this refusal.
		if minSize > maxSize {
			return nil, 0, fail("Max bound, %v, must be greater than or equal to min bound, %v", maxSize, minSize)
		}
		// Source: the ValidationError "Desired capacity:2 must be between the
		// specified min size:4 and max size:10" (convox/praxis PR #258,
		// banzaicloud/pipeline issue #3017).
		if hasDesired && (desired < minSize || desired > maxSize) {
			return nil, 0, fail("Desired capacity:%v must be between the specified min size:%v and max size:%v", desired, minSize, maxSize)
		}
		if !hasDesired {
			// Source: Auto Scaling API Reference, CreateAutoScalingGroup,
			// "DesiredCapacity" (the default is the minimum size), and
			// UpdateAutoScalingGroup (a new MinSize above the current
			// capacity raises it, a new MaxSize below lowers it; getmoto/moto
			// PR #2315); resourceGroupUpdate sends DesiredCapacity only when
			// it changed.
			desired = minSize
			if old != nil {
				desired, _ = num(old.outputs, "desiredCapacity")
				desired = max(minSize, min(maxSize, desired))
			}
		}
		// Assumption: the refusal of a subnet that does not exist, and of
		// neither zones nor subnets, and their texts.
		var azs []string
		for _, id := range strs(ins, "vpcZoneIdentifiers") {
			s := c.s.fx.subnet(id)
			if s == nil {
				return nil, 0, fail("The subnet ID '%s' does not exist", id)
			}
			azs = append(azs, c.az(s))
		}
		if len(azs) == 0 {
			azs = strs(ins, "availabilityZones")
		}
		if len(azs) == 0 {
			return nil, 0, fail("At least one Availability Zone or VPC Subnet is required.")
		}
		// Source: Auto Scaling API Reference, CreateAutoScalingGroup,
		// "HealthCheckType" (EC2, the default, ELB, VPC_LATTICE); the
		// provider does not validate it (ResourceGroup schema).
		// Assumption: EBS is valid too, and the text of the refusal.
		if t := str(ins, "healthCheckType"); t != "" && !contains([]string{"EC2", "ELB", "VPC_LATTICE", "EBS"}, t) {
			return nil, 0, fail("Invalid health check type: %s", t)
		}
		out := resource.PropertyMap{"desiredCapacity": pv(desired)}
		if !has(ins, "availabilityZones") {
			out["availabilityZones"] = pv(azs)
		}
		if has(ins, "launchTemplate") {
			// Assumption: the launch_template output keeps what was given;
			// resourceGroupRead would fill in both its id and its name
			// (Optional+Computed in the schema).
			_, _, data, err := c.groupTemplate(fail, ins)
			if err != nil {
				return nil, 0, err
			}
			if err := c.launchProblems(doing, op, data, c.groupSubnets(ins)); err != nil {
				return nil, 0, err
			}
		} else if !has(ins, "launchConfiguration") && !has(ins, "mixedInstancesPolicy") {
			// Assumption: the text.
			return nil, 0, fail("Valid requests must contain either LaunchTemplate, LaunchConfiguration, InstanceId or MixedInstancesPolicy parameter.")
		}
		if err := c.launchConfigurationProblem(doing, op, ins); err != nil {
			return nil, 0, err
		}
		return out, int(desired), nil
	}
	return &kind{
		token: tGroup, what: "Auto Scaling Group", nameKey: "name",
		// Source: terraform-provider-aws internal/service/autoscaling/group.go,
		// resourceGroup schema: name and name_prefix are ForceNew (and
		// initial_lifecycle_hook, which the installer does not use).
		replaces: []string{"name", "namePrefix", "initialLifecycleHooks"},
		// Source: resourceGroup schema defaults.
		defaults: map[string]any{
			"forceDelete": false, "forceDeleteWarmPool": false, "waitForCapacityTimeout": "10m",
			"metricsGranularity": "1Minute", "protectFromScaleIn": false, "ignoreFailedScalingActivities": false,
			"healthCheckGracePeriod": 300,
		},
		// Source: resourceGroup schema (Computed, or Optional+Computed).
		// Assumption: desiredCapacityType and defaultInstanceWarmup, which
		// are not Computed there but which resourceGroupRead sets from
		// DescribeAutoScalingGroups.
		computed: []string{"arn", "availabilityZones", "defaultCooldown", "healthCheckType",
			"serviceLinkedRoleArn", "predictedCapacity", "warmPoolSize", "desiredCapacity", "desiredCapacityType",
			"loadBalancers", "targetGroupArns", "defaultInstanceWarmup"},
		// Source: resourceGroup schema validators, and the SDK's messages
		// for ExactlyOneOf and ConflictsWith (terraform-plugin-sdk
		// helper/schema, validateExactlyOneAttribute,
		// validateConflictingAttributes), unless noted.
		check: func(c *call, news resource.PropertyMap, f *failures) {
			required(f, news, "maxSize", "minSize")
			checkName(f, news, "name", 0, 255, nil, "")
			checkName(f, news, "namePrefix", 0, 255-26, nil, "")
			all := []string{"launchConfiguration", "launchTemplate", "mixedInstancesPolicy"}
			var set []string
			pending := false
			for _, p := range all {
				switch {
				case isUnknown(news, p):
					pending = true
				case has(news, p):
					set = append(set, snake(p))
				}
			}
			const keys = "launch_configuration,launch_template,mixed_instances_policy"
			switch {
			case len(set) == 0 && !pending:
				f.add("launchTemplate", "\"launch_template\": one of `%s` must be specified", keys)
			case len(set) > 1:
				f.add("launchTemplate", "\"launch_template\": only one of `%s` can be specified, but `%s` were specified.", keys, strings.Join(set, ","))
			}
			if has(news, "availabilityZones") && has(news, "vpcZoneIdentifiers") {
				f.add("vpcZoneIdentifiers", "\"vpc_zone_identifier\": conflicts with availability_zones")
			}
			if lt := obj(news, "launchTemplate"); lt != nil {
				// Source: terraform-provider-aws internal/verify/validate.go,
				// ValidLaunchTemplateID.
				if id := str(lt, "id"); id != "" && !isUnknown(lt, "id") && !ltIDRE.MatchString(id) {
					f.add("launchTemplate.id", "\"launch_template.0.id\" must begin with 'lt-' and be comprised of only alphanumeric characters: %v", id)
				}
				checkLaunchTemplateName(f, lt, "launch_template.0.name", []string{"name"})
				if has(lt, "id") && has(lt, "name") {
					f.add("launchTemplate.name", "\"launch_template.0.name\": conflicts with launch_template.0.id")
				}
				checkName(f, lt, "version", 1, 255, nil, "")
			}
			oneOf(f, news, "desired_capacity_type", []string{"desiredCapacityType"}, "units", "vcpu", "memory-mib")
			// Assumption: RefreshStrategy as pulumi-aws v6 knows it (Rolling;
			// later SDKs add ReplaceRootVolume).
			oneOf(f, news, "instance_refresh.0.strategy", []string{"instanceRefresh", "strategy"}, "Rolling")
			between(f, news, "instance_refresh.0.preferences.0.min_healthy_percentage",
				[]string{"instanceRefresh", "preferences", "minHealthyPercentage"}, 0, 100)
			between(f, news, "instance_refresh.0.preferences.0.max_healthy_percentage",
				[]string{"instanceRefresh", "preferences", "maxHealthyPercentage"}, 100, 200)
			// Source: resourceGroup schema, instance_warmup:
			// nullable.ValidateTypeStringNullableIntAtLeast(0)
			// (internal/sdkv2/types/nullable/int.go: "" or an integer; "%s:
			// cannot parse '%s' as int: %w", "expected %s to be at least
			// (%d), got %d").
			if v := str(news, "instanceRefresh", "preferences", "instanceWarmup"); v != "" &&
				!isUnknown(news, "instanceRefresh", "preferences", "instanceWarmup") {
				const k = "instance_refresh.0.preferences.0.instance_warmup"
				if n, err := strconv.ParseInt(v, 10, 64); err != nil {
					f.add("instanceRefresh.preferences.instanceWarmup", "%s: cannot parse '%s' as int: %s", k, v, err)
				} else if n < 0 {
					f.add("instanceRefresh.preferences.instanceWarmup", "expected %s to be at least (0), got %d", k, n)
				}
			}
			// Source: internal/verify/validate.go, ValidDuration.
			if v := str(news, "waitForCapacityTimeout"); v != "" && !isUnknown(news, "waitForCapacityTimeout") {
				if d, err := time.ParseDuration(v); err != nil {
					f.add("waitForCapacityTimeout", "%q cannot be parsed as a duration: %s", "wait_for_capacity_timeout", err)
				} else if d < 0 {
					f.add("waitForCapacityTimeout", "%q must be greater than zero", "wait_for_capacity_timeout")
				}
			}
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			name := str(ins, "name")
			// Source: resourceGroupCreate ("creating Auto Scaling Group (%s): %s").
			doing, op := "creating Auto Scaling Group ("+name+")", "Auto Scaling: CreateAutoScalingGroup"
			// Source: Auto Scaling API Reference, CreateAutoScalingGroup,
			// "Errors", AlreadyExists.
			// Assumption: the text.
			if c.st.get(tGroup, name) != nil {
				return "", nil, awsErr(doing, op, 400, "AlreadyExists",
					"AutoScalingGroup by this name already exists - A group with the name %s already exists", name)
			}
			out, desired, err := validate(c, doing, op, ins, nil)
			if err != nil {
				return "", nil, err
			}
			// Source: Service Authorization Reference, "Actions, resources,
			// and condition keys for Amazon EC2 Auto Scaling", resource type
			// autoScalingGroup (arn:...:autoScalingGroup:<uuid>:autoScalingGroupName/<name>).
			sum := sha256.Sum256([]byte(c.cfg.region + "/" + name))
			uuid := fmt.Sprintf("%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16])
			// Source: Auto Scaling API Reference, CreateAutoScalingGroup:
			// DefaultCooldown "Default: 300 seconds"; HealthCheckType "The
			// default value is EC2"; ServiceLinkedRoleARN "By default, Amazon
			// EC2 Auto Scaling uses a service-linked role named
			// AWSServiceRoleForAutoScaling".
			// Assumption: the rest, as DescribeAutoScalingGroups reports a
			// group that sets none of them.
			for k, v := range map[string]any{
				"arn":             c.cfg.regional("autoscaling", "autoScalingGroup:"+uuid+":autoScalingGroupName/"+name),
				"defaultCooldown": 300,
				"healthCheckType": "EC2",
				"serviceLinkedRoleArn": c.cfg.arn("iam", "", Account,
					"role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"),
				"predictedCapacity": 0, "warmPoolSize": 0, "desiredCapacityType": "units",
				"loadBalancers": []string{}, "targetGroupArns": []string{}, "defaultInstanceWarmup": 0,
			} {
				if !has(ins, k) {
					out[resource.PropertyKey(k)] = pv(v)
				}
			}
			if has(ins, "launchTemplate") {
				cs := side(c.st)
				cs.launched[name] = nil
				g := c.groupSim(name, ins)
				g.desired, g.launchNote = desired, "create"
				// Source: resourceGroupCreate: the provider waits for the
				// capacity unless wait_for_capacity_timeout is "0"; with
				// initial_lifecycle_hook it creates the group with no
				// capacity, puts the hooks, and then sets the capacity, so the
				// hooks see the first launches.
				timeout := waitTimeout(ins)
				g.hold = cs.knobs.lateHooksCatchLaunches && timeout == 0 && len(c.st.groupHooks(name, ins, launching)) == 0
				var w *waiter
				if timeout > 0 {
					w = g.waitCapacity(timeout, desired, false)
				}
				if err := g.run(); err != nil {
					if g.launchErr != nil {
						delete(cs.launched, name)
						return "", nil, err
					}
					return name, out, err
				}
				if w != nil {
					if err := w.timedOut("ok", timeout); err != nil {
						return name, out, fmt.Errorf("waiting for Auto Scaling Group (%s) capacity satisfied: %w", name, err)
					}
				}
			}
			return name, out, nil
		},
		update: func(c *call, old *record, ins resource.PropertyMap) (resource.PropertyMap, error) {
			// Source: resourceGroupUpdate ("updating Auto Scaling Group (%s): %s").
			doing, op := "updating Auto Scaling Group ("+old.id+")", "Auto Scaling: UpdateAutoScalingGroup"
			out, desired, err := validate(c, doing, op, ins, old)
			if err != nil {
				return nil, err
			}
			if !has(ins, "launchTemplate") {
				return out, nil
			}
			// Source: Auto Scaling API Reference, LaunchTemplate ("When you
			// update the launch template ... in the UpdateAutoScalingGroup API
			// call, existing Amazon EC2 instances continue to run. When
			// scaling out occurs, Amazon EC2 Auto Scaling launches instances
			// to match the new settings. When scaling in occurs, Amazon EC2
			// Auto Scaling terminates instances according to the group's
			// termination policies.").
			g := c.groupSim(old.id, ins)
			g.desired = desired
			// Source: resourceGroupUpdate waits for the capacity (after
			// starting any instance refresh, from the start of the update)
			// when desired_capacity, desired_capacity_type or min_size
			// changed, and wait_for_capacity_timeout is not "0".
			timeout := waitTimeout(ins)
			changed := func(k string) bool {
				return has(ins, k) && !equalValues(old.outputs[resource.PropertyKey(k)], ins[resource.PropertyKey(k)])
			}
			var w *waiter
			if timeout > 0 && (changed("desiredCapacity") || changed("desiredCapacityType") || changed("minSize")) {
				w = g.waitCapacity(timeout, desired, true)
			}
			if err := g.run(); err != nil {
				return nil, err
			}
			// Source: resourceGroupUpdate: with an instance_refresh block, a
			// change of launch_template (or launch_configuration or
			// mixed_instances_policy) starts an instance refresh
			// (startInstanceRefresh, after UpdateAutoScalingGroup). The
			// provider only starts it: StartInstanceRefresh returns and the
			// update goes on (it waits only to cancel a refresh already in
			// progress); AWS replaces the instances over the next minutes,
			// which the stand-in runs to the end within this call.
			// Assumption: instance_refresh triggers are not modelled; and
			// when the same update also changes the capacity, the group
			// reaches its new capacity before the refresh starts.
			refresh := has(ins, "instanceRefresh") && (!equalValues(old.inputs["launchTemplate"], ins["launchTemplate"]) ||
				!equalValues(old.inputs["launchConfiguration"], ins["launchConfiguration"]) ||
				!equalValues(old.inputs["mixedInstancesPolicy"], ins["mixedInstancesPolicy"]))
			if refresh {
				prefs, err := c.refreshPreferences(old.id, ins)
				if err != nil {
					return nil, err
				}
				c.after = append(c.after, Operation{Op: "instance-refresh", Type: tGroup, Name: c.name(), URN: c.urn, ID: old.id})
				g.startRefresh(prefs)
				if err := g.run(); err != nil {
					return nil, err
				}
			}
			if w != nil {
				if err := w.timedOut("ok", timeout); err != nil {
					return nil, fmt.Errorf("waiting for Auto Scaling Group (%s) capacity satisfied: %w", old.id, err)
				}
			}
			return out, nil
		},
		// Source: resourceGroupDelete: without force_delete, drainGroup sets
		// the capacity to 0 and waits for the instances to terminate (so
		// they go through the TERMINATING hooks); with it,
		// DeleteAutoScalingGroup with ForceDelete terminates them, hooks or
		// not (forceDelete in autoscaling_activity.go). A drain that takes
		// longer than the delete timeout fails the delete ("waiting for Auto
		// Scaling Group (%s) drain: %w"; terraform-provider-aws issue #567:
		// a TERMINATING hook that outlasts the ten minutes fails the
		// destroy); the group stays, and its instances terminate all the
		// same.
		// Assumption: the group's lifecycle hooks go with it.
		delete: func(c *call, r *record) error {
			g := c.groupSim(r.id, r.inputs)
			if boolv(r.inputs, "forceDelete") {
				g.forceDelete()
			} else {
				g.desired, g.scaleInNote = 0, "delete"
				const timeout = 10 * time.Minute
				w := g.waitDrained(timeout)
				if err := g.run(); err != nil {
					return err
				}
				if err := w.timedOut("0", timeout); err != nil {
					return fmt.Errorf("waiting for Auto Scaling Group (%s) drain: %w", r.id, err)
				}
			}
			delete(side(c.st).launched, r.id)
			for _, h := range c.st.all(tLifecycleHook) {
				if str(h.outputs, "autoscalingGroupName") == r.id {
					c.st.remove(tLifecycleHook, h.id)
				}
			}
			return nil
		},
	}
}
