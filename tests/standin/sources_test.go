package standin_test

import (
	"context"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/status"
)

// Behaviours fixed to match their sources: what the provider checks only at
// create time, what it does on delete, and what it keeps secret or unknown.

// previewCreate runs Check and a preview Create; it returns the outputs or
// the error.
func (h *harness) previewCreate(typ, name string, props map[string]any) (resource.PropertyMap, error) {
	h.t.Helper()
	ins := h.checked(typ, name, props)
	resp, err := h.rp.Create(context.Background(), &pulumirpc.CreateRequest{
		Urn: urnOf(typ, name), Type: typ, Name: name, Properties: mustMarshal(h.t, ins), Preview: true,
	})
	if err != nil {
		return nil, err
	}
	return mustUnmarshal(h.t, resp.Properties), nil
}

func TestCreateTimeNames(t *testing.T) {
	long := func(n int) string { return strings.Repeat("a", n) }
	trust := trustPolicy("ec2.amazonaws.com")
	zone := "Z0123456789ABCDEFGHIJ"
	for _, tc := range []struct {
		name, region, typ string
		props             map[string]any
		err               []string // "" parts: created
	}{
		{"bucket too short", "eu-central-1", tBucket, map[string]any{"bucket": "ab"},
			[]string{`validating S3 Bucket (ab) name: "ab" must contain from 3 to 63 characters`}},
		{"bucket upper case", "eu-central-1", tBucket, map[string]any{"bucket": "CircleCI-bucket"},
			[]string{"only lowercase alphanumeric characters and hyphens allowed"}},
		{"bucket IP", "eu-central-1", tBucket, map[string]any{"bucket": "192.168.5.4"}, []string{"must not be formatted as an IP address"}},
		{"bucket adjacent periods", "eu-central-1", tBucket, map[string]any{"bucket": "circle..ci"}, []string{"can be only one period between labels"}},
		// What the provider lets through, S3 refuses.
		{"bucket ends with hyphen", "eu-central-1", tBucket, map[string]any{"bucket": "circleci-"},
			[]string{"creating S3 Bucket (circleci-): operation error S3: CreateBucket, https response error StatusCode: 400", ", HostID: ",
				"api error InvalidBucketName: The specified bucket is not valid."}},
		{"bucket xn-- prefix", "eu-central-1", tBucket, map[string]any{"bucket": "xn--circleci"}, []string{"InvalidBucketName"}},
		{"bucket -s3alias suffix", "eu-central-1", tBucket, map[string]any{"bucket": "circleci-s3alias"}, []string{"InvalidBucketName"}},
		// In us-east-1 the provider allows upper case; S3 does not.
		{"bucket upper case in us-east-1", "us-east-1", tBucket, map[string]any{"bucket": "CircleCI-bucket"}, []string{"InvalidBucketName"}},
		{"bucket ok", "eu-central-1", tBucket, map[string]any{"bucket": "circleci.bucket-1"}, nil},
		{"role path", "eu-central-1", tRole, map[string]any{"name": "r", "path": "circleci", "assumeRolePolicy": trust},
			[]string{"creating IAM Role (r): operation error IAM: CreateRole", "ValidationError: The specified value for path is invalid"}},
		{"role path //", "eu-central-1", tRole, map[string]any{"name": "r", "path": "//", "assumeRolePolicy": trust}, []string{"ValidationError"}},
		{"role path /a/b/", "eu-central-1", tRole, map[string]any{"name": "r", "path": "/a/b/", "assumeRolePolicy": trust}, nil},
		{"profile path", "eu-central-1", tProfile, map[string]any{"name": "p", "path": "p/"}, []string{"IAM: CreateInstanceProfile", "ValidationError"}},
		{"parameter aws prefix", "eu-central-1", tParam, map[string]any{"name": "aws-thing", "type": "String", "value": "x"},
			[]string{"creating SSM Parameter (aws-thing): operation error SSM: PutParameter", `ValidationException: Parameter name: can't be prefixed with "aws" or "ssm"`}},
		{"parameter ssm prefix", "eu-central-1", tParam, map[string]any{"name": "/SSM/thing", "type": "String", "value": "x"}, []string{`prefixed with "aws" or "ssm"`}},
		{"parameter space", "eu-central-1", tParam, map[string]any{"name": "/circleci/my secret", "type": "String", "value": "x"}, []string{"ValidationException"}},
		{"parameter 16 levels", "eu-central-1", tParam, map[string]any{"name": strings.Repeat("/a", 16), "type": "String", "value": "x"},
			[]string{"HierarchyLevelLimitExceededException: A hierarchy can have a maximum of 15 levels."}},
		{"parameter 15 levels", "eu-central-1", tParam, map[string]any{"name": strings.Repeat("/a", 15), "type": "String", "value": "x"}, nil},
		{"standard parameter 4097", "eu-central-1", tParam, map[string]any{"name": "p1", "type": "String", "value": long(4097)},
			[]string{"ValidationException: Standard tier parameters support a maximum parameter value of 4096 characters."}},
		{"intelligent-tiering parameter 4097", "eu-central-1", tParam, map[string]any{"name": "p2", "type": "String", "value": long(4097), "tier": "Intelligent-Tiering"}, nil},
		{"advanced parameter 8193", "eu-central-1", tParam, map[string]any{"name": "p3", "type": "String", "value": long(8193), "tier": "Advanced"}, []string{"8192"}},
		{"record without ttl", "eu-central-1", tRecord, map[string]any{"name": "x", "type": "A", "zoneId": zone, "records": []string{"10.0.0.1"}},
			[]string{"creating Route53 Record: operation error Route 53: ChangeResourceRecordSets", "InvalidInput"}},
		{"record of unknown zone", "eu-central-1", tRecord, map[string]any{"name": "x", "type": "A", "zoneId": "Z404", "ttl": 60, "records": []string{"10.0.0.1"}},
			[]string{"reading Route 53 Hosted Zone (Z404): operation error Route 53: GetHostedZone", "NoSuchHostedZone: No hosted zone found with ID: Z404"}},
		{"AAAA record of an IPv4 address", "eu-central-1", tRecord, map[string]any{"name": "x", "type": "AAAA", "zoneId": zone, "ttl": 60, "records": []string{"10.0.0.1"}},
			[]string{"creating Route53 Record: InvalidChangeBatch: [Invalid Resource Record: 'FATAL problem: AAAARRDATAIllegalIPv6Address"}},
		{"queue receive wait 21", "eu-central-1", tQueue, map[string]any{"name": "q", "receiveWaitTimeSeconds": 21},
			[]string{"creating SQS Queue (q): operation error SQS: CreateQueue", "InvalidAttributeValue"}},
		{"tag key 129", "eu-central-1", tQueue, map[string]any{"name": "q", "tags": map[string]any{long(129): "x"}},
			[]string{"creating SQS Queue: tag key", "1 to 128 Unicode characters"}},
		{"tag value 256 runes", "eu-central-1", tQueue, map[string]any{"name": "q", "tags": map[string]any{"k": strings.Repeat("é", 256)}}, nil},
		{"AWS: tag key", "eu-central-1", tQueue, map[string]any{"name": "q", "tags": map[string]any{"AWS:x": "y"}}, []string{"reserved"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.region)
			_, err := h.tryUp(tc.typ, "r", tc.props)
			if len(tc.err) == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantErr(t, err, tc.err...)
		})
	}
}

func TestPlanRefusals(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	for _, tc := range []struct {
		name  string
		props map[string]any
		err   string
	}{
		{"queue 81", map[string]any{"name": strings.Repeat("q", 81)}, "invalid queue name: " + strings.Repeat("q", 81)},
		{"queue period", map[string]any{"name": "circleci.queue"}, "invalid queue name: circleci.queue"},
		{"fifo queue without suffix", map[string]any{"name": "q", "fifoQueue": true}, "invalid queue name: q"},
		{"fifo queue of 76", map[string]any{"name": strings.Repeat("q", 76) + ".fifo", "fifoQueue": true}, "invalid queue name"},
		{"deduplication without fifo", map[string]any{"name": "q", "contentBasedDeduplication": true}, "content-based deduplication can only be set for FIFO queue"},
		{"fifo queue", map[string]any{"name": "q.fifo", "fifoQueue": true}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A CustomizeDiff refusal fails the preview, not Check.
			_, err := h.previewCreate(tQueue, "q", tc.props)
			if tc.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantErr(t, err, tc.err)
		})
	}
}

func TestRoleDeleteDetachesFirst(t *testing.T) {
	for _, tc := range []struct {
		name         string
		force        bool
		err          string
		policiesLeft int
	}{
		{"refused with inline policies", false, "DeleteConflict: Cannot delete entity, must delete policies first.", 1},
		{"forceDetachPolicies deletes them", true, "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, "eu-central-1")
			h.up(tRole, "role", map[string]any{"name": "r", "assumeRolePolicy": trustPolicy("ec2.amazonaws.com"), "forceDetachPolicies": tc.force})
			h.up(tPolicy, "policy", map[string]any{"name": "p", "role": "r", "policy": allowPolicy("s3:*", "*")})
			h.up(tProfile, "profile", map[string]any{"name": "prof", "role": "r"})
			err := h.delete("role")
			if tc.err != "" {
				wantErr(t, err, tc.err)
			} else if err != nil {
				t.Fatal(err)
			}
			// The provider takes the role out of its profiles before DeleteRole,
			// even when DeleteRole then fails.
			if p := h.srv.Find(tProfile); len(p) != 1 || p[0].Properties["role"] != nil {
				t.Errorf("profile keeps its role: %v", p)
			}
			if got := len(h.srv.Find(tPolicy)); got != tc.policiesLeft {
				t.Errorf("%d inline policies left, want %d", got, tc.policiesLeft)
			}
		})
	}
}

func TestIAMNamesIgnoreCase(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	h.up(tRole, "role", map[string]any{"name": "CircleCI", "assumeRolePolicy": trustPolicy("ec2.amazonaws.com")})
	_, err := h.tryUp(tRole, "role-2", map[string]any{"name": "circleci", "assumeRolePolicy": trustPolicy("ec2.amazonaws.com")})
	wantErr(t, err, "EntityAlreadyExists: Role with name circleci already exists.")
	h.up(tProfile, "profile", map[string]any{"name": "Nomad"})
	_, err = h.tryUp(tProfile, "profile-2", map[string]any{"name": "NOMAD"})
	wantErr(t, err, "EntityAlreadyExists")
}

func TestRolePolicySizeIsPerRole(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	h.up(tRole, "role", map[string]any{"name": "r", "assumeRolePolicy": trustPolicy("ec2.amazonaws.com")})
	// Each policy is under 10,240 characters; together they are over.
	big := func(n int) string {
		return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::` +
			strings.Repeat("b", n) + `/*"]}]}`
	}
	h.up(tPolicy, "p1", map[string]any{"name": "p1", "role": "r", "policy": big(6000)})
	_, err := h.tryUp(tPolicy, "p2", map[string]any{"name": "p2", "role": "r", "policy": big(6000)})
	wantErr(t, err, "putting IAM Role (r) Policy (p2): operation error IAM: PutRolePolicy",
		"LimitExceeded: Maximum policy size of 10240 bytes exceeded for role r")
	// Replacing a policy's own document does not count the old one.
	if _, err := h.update("p1", map[string]any{"name": "p1", "role": "r", "policy": big(9000)}, false); err != nil {
		t.Fatal(err)
	}
	// White space is not counted.
	spaced := strings.ReplaceAll(allowPolicy("s3:*", "*"), ",", ",\n"+strings.Repeat(" ", 2000))
	h.up(tRole, "role-b", map[string]any{"name": "rb", "assumeRolePolicy": trustPolicy("ec2.amazonaws.com")})
	h.up(tPolicy, "spaced-a", map[string]any{"name": "sa", "role": "rb", "policy": spaced})
	h.up(tPolicy, "spaced-b", map[string]any{"name": "sb", "role": "rb", "policy": spaced})
}

func TestQueueCreateIsIdempotent(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	a := h.up(tQueue, "a", map[string]any{"name": "shared"})
	// The same name and attributes: SQS returns the existing queue.
	b := h.up(tQueue, "b", map[string]any{"name": "shared"})
	if a.id != b.id {
		t.Errorf("ids %s and %s", a.id, b.id)
	}
	if got := h.srv.Find(tQueue); len(got) != 1 {
		t.Errorf("queues %v", got)
	}
	// Other attributes: refused.
	_, err := h.tryUp(tQueue, "c", map[string]any{"name": "shared", "visibilityTimeoutSeconds": 60})
	wantErr(t, err, "creating SQS Queue (shared): operation error SQS: CreateQueue", "QueueAlreadyExists", "VisibilityTimeoutSeconds")
}

func TestParameterValueIsSecret(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	// A plain value is secret all the same: the attribute is Sensitive.
	ins := h.checked(tParam, "p", map[string]any{"name": "/circleci/p", "type": "String", "value": "plain"})
	if !ins["value"].IsSecret() {
		t.Errorf("checked value not secret: %v", ins["value"])
	}
	p := h.up(tParam, "p", map[string]any{"name": "/circleci/p", "type": "String", "value": "plain"})
	if !p.outputs["value"].IsSecret() {
		t.Errorf("value output not secret: %v", p.outputs["value"])
	}
	if p.str("tier") != "Standard" || p.str("dataType") != "text" || p.str("keyId") != "" {
		t.Errorf("tier %q, dataType %q, keyId %q", p.str("tier"), p.str("dataType"), p.str("keyId"))
	}
	q := h.up(tParam, "q", map[string]any{"name": "q", "type": "String", "value": strings.Repeat("x", 5000), "tier": "Intelligent-Tiering"})
	if q.str("tier") != "Advanced" {
		t.Errorf("intelligent tier of a 5000-character value = %q", q.str("tier"))
	}
}

func TestParameterVersions(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	props := map[string]any{"name": "/circleci/v", "type": "String", "value": "a", "description": "one"}
	h.up(tParam, "v", props)
	with := func(k string, v any) map[string]any {
		p := copyProps(props)
		p[k] = v
		return p
	}
	for _, tc := range []struct {
		name           string
		props          map[string]any
		previewUnknown bool    // version unknown in the preview
		bump           float64 // how much the update raises the version
	}{
		{"description", with("description", "two"), false, 1},
		{"tags", with("tags", map[string]any{"a": "b"}), false, 0},
		{"value", with("value", "b"), true, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := h.res["v"].outputs["version"].NumberValue()
			outs, err := h.update("v", tc.props, true)
			if err != nil {
				t.Fatal(err)
			}
			if got := outs["version"].IsComputed(); got != tc.previewUnknown {
				t.Errorf("preview version unknown = %v, want %v", got, tc.previewUnknown)
			}
			outs, err = h.update("v", tc.props, false)
			if err != nil {
				t.Fatal(err)
			}
			if v := outs["version"].NumberValue(); v != before+tc.bump {
				t.Errorf("version %v, want %v", v, before+tc.bump)
			}
			if _, err := h.update("v", props, false); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestParameterReplacements(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	props := map[string]any{"name": "/circleci/r", "type": "String", "value": "a", "tier": "Advanced"}
	h.up(tParam, "r", props)
	for _, tc := range []struct {
		key     string
		value   any
		replace bool
	}{
		{"dataType", "aws:ec2:image", true},
		{"tier", "Standard", true},
		{"tier", "Intelligent-Tiering", false},
		{"type", "StringList", false},
	} {
		p := copyProps(props)
		p[tc.key] = tc.value
		if got := len(h.diff("r", p).Replaces) > 0; got != tc.replace {
			t.Errorf("%s = %v: replace %v, want %v", tc.key, tc.value, got, tc.replace)
		}
	}
}

func TestRecordUpdates(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	zone := "Z0123456789ABCDEFGHIJ"
	r := h.up(tRecord, "r", map[string]any{"zoneId": zone, "name": "CircleCI", "type": "A", "ttl": 300, "records": []string{"10.0.1.4"}})
	// The id keeps the name as configured, in lower case; fqdn is completed.
	if r.id != zone+"_circleci_A" || r.str("fqdn") != "circleci.example.com" {
		t.Errorf("id %s, fqdn %s", r.id, r.str("fqdn"))
	}
	// A record whose name only ends with the zone's name is taken as in it.
	o := h.up(tRecord, "odd", map[string]any{"zoneId": zone, "name": "fooexample.com", "type": "A", "ttl": 300, "records": []string{"10.0.1.4"}})
	if o.str("fqdn") != "fooexample.com" {
		t.Errorf("fqdn %s", o.str("fqdn"))
	}
	// The same record again is refused; with allowOverwrite it is an UPSERT.
	same := map[string]any{"zoneId": zone, "name": "circleci.example.com", "type": "A", "ttl": 300, "records": []string{"10.0.1.5"}}
	_, err := h.tryUp(tRecord, "dup", same)
	wantErr(t, err, "creating Route53 Record: InvalidChangeBatch: Tried to create resource record set [name='circleci.example.com.', type='A'] but it already exists")
	same["allowOverwrite"] = true
	h.up(tRecord, "dup", same)
	// A new type is an update in place.
	d := h.diff("r", map[string]any{"zoneId": zone, "name": "CircleCI", "type": "TXT", "ttl": 300, "records": []string{"v=1"}})
	if d.Changes != pulumirpc.DiffResponse_DIFF_SOME || len(d.Replaces) != 0 {
		t.Errorf("type change: %v", d)
	}
}

func TestBucketCreates(t *testing.T) {
	for _, tc := range []struct {
		region, zone, dupErr string
	}{
		{"eu-central-1", "Z21DNDUVLTQW6Q", "BucketAlreadyOwnedByYou"},
		{"cn-north-1", "Z5CN8UMXT92WN", "BucketAlreadyOwnedByYou"},
		{"us-east-1", "Z3AQBSTGFYJSTF", "creating S3 Bucket (circleci-bucket): BucketAlreadyExists"},
		{"ap-southeast-7", "", "BucketAlreadyOwnedByYou"},
	} {
		t.Run(tc.region, func(t *testing.T) {
			h := newHarness(t, tc.region)
			b := h.up(tBucket, "b", map[string]any{"bucket": "circleci-bucket"})
			if got := b.str("hostedZoneId"); got != tc.zone {
				t.Errorf("hostedZoneId %q, want %q", got, tc.zone)
			}
			_, err := h.tryUp(tBucket, "b2", map[string]any{"bucket": "circleci-bucket"})
			wantErr(t, err, tc.dupErr)
			// Public access block and ownership controls are named by the bucket alone.
			pab := h.up(tPAB, "pab", map[string]any{"bucket": "circleci-bucket"})
			if pab.id != "circleci-bucket" || pab.outputs["blockPublicAcls"].BoolValue() {
				t.Errorf("public access block %s %v", pab.id, pab.outputs)
			}
		})
	}
}

func TestTags(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	props := map[string]any{"name": "q", "tags": map[string]any{"aws:owner": "me", "team": "ci"}}
	q := h.up(tQueue, "q", props)
	// The provider never sends aws: keys, so they never come back.
	tags := fromPV(q.outputs["tags"]).(map[string]any)
	all := fromPV(q.outputs["tagsAll"]).(map[string]any)
	if _, ok := tags["aws:owner"]; ok || tags["team"] != "ci" {
		t.Errorf("tags %v", tags)
	}
	if _, ok := all["aws:owner"]; ok || all["team"] != "ci" {
		t.Errorf("tagsAll %v", all)
	}
	// And the plan wants them every time.
	if d := h.diff("q", props); d.Changes != pulumirpc.DiffResponse_DIFF_SOME || !contains(d.Diffs, "tags") {
		t.Errorf("diff %v", d)
	}
}

func TestNamePrefix(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	// No autoname: the provider makes the name from the prefix.
	ins := h.checked(tQueue, "pq", map[string]any{"namePrefix": "jobs-"})
	if _, ok := ins["name"]; ok {
		t.Errorf("name autonamed beside a prefix: %v", ins["name"])
	}
	outs, err := h.previewCreate(tQueue, "pq", map[string]any{"namePrefix": "jobs-"})
	if err != nil {
		t.Fatal(err)
	}
	if !outs["name"].IsComputed() {
		t.Errorf("preview name %v, want unknown", outs["name"])
	}
	q := h.up(tQueue, "pq", map[string]any{"namePrefix": "jobs-"})
	if name := q.str("name"); !strings.HasPrefix(name, "jobs-") || len(name) != len("jobs-")+26 {
		t.Errorf("name %q", name)
	}
	f := h.up(tQueue, "fq", map[string]any{"namePrefix": "jobs-", "fifoQueue": true})
	if name := f.str("name"); !strings.HasSuffix(name, ".fifo") || len(name) != len("jobs-")+26+len(".fifo") {
		t.Errorf("fifo name %q", name)
	}
	// A replacement of a prefixed resource is made first.
	d := h.diff("pq", map[string]any{"namePrefix": "work-"})
	if len(d.Replaces) == 0 || d.DeleteBeforeReplace {
		t.Errorf("diff %v", d)
	}
}

func TestAutonames(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	// Upper case is lowered for buckets; underscores are kept (and refused by S3).
	ins := h.checked(tBucket, "My_Bucket", map[string]any{})
	if name := ins["bucket"].StringValue(); !strings.HasPrefix(name, "my_bucket-") || len(name) != len("my_bucket-")+7 {
		t.Errorf("bucket autoname %q", name)
	}
	ins = h.checked(tQueue, "jobs", map[string]any{"fifoQueue": true})
	if name := ins["name"].StringValue(); !strings.HasSuffix(name, ".fifo") || len(name) != len("jobs-")+7+len(".fifo") {
		t.Errorf("fifo autoname %q", name)
	}
	// A role's name may be 64 characters; a longer resource name cannot be autonamed.
	_, _, err := h.check(tRole, strings.Repeat("r", 57), map[string]any{"assumeRolePolicy": trustPolicy("ec2.amazonaws.com")})
	wantErr(t, err, "could not make instance of", "plus 7 random chars is longer than maximum length 64")
	if _, _, err := h.check(tRole, strings.Repeat("r", 56), map[string]any{"assumeRolePolicy": trustPolicy("ec2.amazonaws.com")}); err != nil {
		t.Fatal(err)
	}
}

func TestInstanceProfileOfMissingRole(t *testing.T) {
	h := newHarness(t, "eu-central-1")
	_, err := h.tryUp(tProfile, "p", map[string]any{"name": "p", "role": "nope"})
	wantErr(t, err, "adding IAM Role (nope) to IAM Instance Profile (p): operation error IAM: AddRoleToInstanceProfile",
		"NoSuchEntity: The role with name nope cannot be found.")
	// The profile was created before the role failed: the engine learns its id.
	st, _ := status.FromError(err)
	var id string
	for _, d := range st.Details() {
		if f, ok := d.(*pulumirpc.ErrorResourceInitFailed); ok {
			id = f.Id
		}
	}
	if id != "p" || len(h.srv.Find(tProfile)) != 1 {
		t.Errorf("init failure id %q, profiles %v", id, h.srv.Find(tProfile))
	}
}
