package standin

import (
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const tRecord = "aws:route53/record:Record"

func init() {
	register(recordKind())
}

// fqdn is the record's name as the provider sends it: lower case, without
// the final dot, completed with the zone's name unless it already ends with
// it (a plain suffix test, as the provider's).
// Source: terraform-provider-aws internal/service/route53/record.go,
// expandRecordName (normalizeZoneName, strings.HasSuffix).
func fqdn(name, zone string) string {
	n := strings.TrimSuffix(strings.ToLower(name), ".")
	zone = strings.TrimSuffix(zone, ".")
	switch {
	case strings.HasSuffix(n, zone):
		return n
	case name == "":
		return zone
	}
	return n + "." + zone
}

// recordTypes are the record types the provider accepts.
// Source: pulumi-aws v6.83.4 sdk/go/aws/route53/record.go, Record.Type ("Valid
// values are A, AAAA, CAA, CNAME, DS, HTTPS, MX, NAPTR, NS, PTR, SOA, SPF,
// SRV, SSHFP, SVCB, TLSA, and TXT"); record.go, schema "type"
// (enum.Validate[awstypes.RRType]).
var recordTypes = []string{"A", "AAAA", "CAA", "CNAME", "DS", "HTTPS", "MX", "NAPTR", "NS", "PTR", "SOA", "SPF",
	"SRV", "SSHFP", "SVCB", "TLSA", "TXT"}

// changeBatchError is how the provider reports Route 53's InvalidChangeBatch:
// its code and its messages, not the SDK's operation error.
// Source: record.go, resourceRecordCreate (errs.As[*awstypes.InvalidChangeBatch]:
// fmt.Errorf("%s: %w", v.ErrorCode(), errors.Join(v.Messages...)), then
// "creating Route53 Record: %s").
func changeBatchError(doing string, msgs ...string) error {
	var errs []error
	for _, m := range msgs {
		errs = append(errs, errors.New(m))
	}
	return fmt.Errorf("%s: InvalidChangeBatch: %w", doing, errors.Join(errs...))
}

func recordKind() *kind {
	// change is ChangeResourceRecordSets: a CREATE (or, with allowOverwrite
	// or in an update, an UPSERT) of the record; self is the record being
	// replaced in the same batch, if any.
	change := func(c *call, doing string, ins resource.PropertyMap, upsert bool, self string) (string, error) {
		zoneID := str(ins, "zoneId")
		// Source: record.go, resourceRecordCreate: findHostedZoneByID first
		// ("reading Route 53 Hosted Zone (%s): %s"); Route 53 API Reference,
		// GetHostedZone, "Errors" (NoSuchHostedZone, 404).
		zone := c.s.fx.hostedZone(zoneID)
		if zone == "" {
			return "", awsErr("reading Route 53 Hosted Zone ("+zoneID+")", "Route 53: GetHostedZone", 404,
				"NoSuchHostedZone", "No hosted zone found with ID: %s", zoneID)
		}
		name, typ := fqdn(str(ins, "name"), zone), str(ins, "type")
		// A record is an alias, or has both a TTL and records.
		// Source: Route 53 API Reference, ResourceRecordSet ("TTL ... If
		// you're creating or updating an alias resource record set, omit
		// TTL"; ResourceRecords required for non-alias records).
		// Assumption: the InvalidInput message, as Route 53 words it.
		if !has(ins, "aliases") && (!has(ins, "ttl") || !has(ins, "records")) {
			return "", awsErr(doing, "Route 53: ChangeResourceRecordSets", 400, "InvalidInput",
				"Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found none in Change with [Action=CREATE, Name=%s., Type=%s, SetIdentifier=null]", name, typ)
		}
		// Source: Route 53 Developer Guide, "Supported DNS record types" (A:
		// an IPv4 address in dotted decimal; AAAA: an IPv6 address).
		// Assumption: the messages, as Route 53 words them.
		for _, v := range strs(ins, "records") {
			ip := net.ParseIP(v)
			switch {
			case typ == "A" && (ip == nil || ip.To4() == nil):
				return "", changeBatchError(doing, fmt.Sprintf(
					"[Invalid Resource Record: 'FATAL problem: ARRDATAIllegalIPv4Address (Value is not a valid IPv4 address) encountered with '%s'']", v))
			case typ == "AAAA" && (ip == nil || ip.To4() != nil):
				return "", changeBatchError(doing, fmt.Sprintf(
					"[Invalid Resource Record: 'FATAL problem: AAAARRDATAIllegalIPv6Address (Value is not a valid IPv6 address) encountered with '%s'']", v))
			}
		}
		// Source: record.go, resourceRecordCreate: CREATE unless
		// allow_overwrite (or an update), which UPSERTs; Route 53 API
		// Reference, ChangeResourceRecordSets ("CREATE: Creates a resource
		// record set ... fails if a record with the same name and type
		// exists").
		// Assumption: the message, as Route 53 words it.
		set := str(ins, "setIdentifier")
		if !upsert {
			for _, r := range c.st.all(tRecord) {
				if r.id == self || str(r.outputs, "zoneId") != zoneID || str(r.outputs, "fqdn") != name ||
					str(r.outputs, "type") != typ || str(r.outputs, "setIdentifier") != set {
					continue
				}
				return "", changeBatchError(doing, fmt.Sprintf(
					"Tried to create resource record set [name='%s.', type='%s'] but it already exists", name, typ))
			}
		}
		// Source: record.go, resourceRecordCreate: the id is zone_name_type
		// and _setIdentifier, with the name as configured, in lower case.
		id := zoneID + "_" + strings.TrimSuffix(strings.ToLower(str(ins, "name")), ".") + "_" + typ
		if set != "" {
			id += "_" + set
		}
		return id, nil
	}
	return &kind{
		token: tRecord, what: "Route 53 Record",
		// Source: record.go, schema: name and zone_id are ForceNew; type and
		// set_identifier are not (resourceRecordUpdate deletes the old record
		// and creates the new one in one change batch).
		replaces: []string{"zoneId", "name"},
		computed: []string{"fqdn"},
		check: func(c *call, news resource.PropertyMap, f *failures) {
			required(f, news, "name", "type", "zoneId")
			// Source: record.go, schema: zone_id NoZeroValues; type
			// enum.Validate[RRType]; alias and records ExactlyOneOf; alias
			// ConflictsWith ttl; ttl RequiredWith records.
			if has(news, "zoneId") && !isUnknown(news, "zoneId") && str(news, "zoneId") == "" {
				f.add("zoneId", "zone_id must not be empty, got ")
			}
			oneOf(f, news, "type", []string{"type"}, recordTypes...)
			exactlyOneOf(f, news, "aliases", "records")
			conflictsWith(f, news, "aliases", "ttl")
			requiredWith(f, news, "ttl", "records", "ttl")
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			// Source: record.go, resourceRecordCreate ("creating Route53 Record: %s").
			id, err := change(c, "creating Route53 Record", ins, boolv(ins, "allowOverwrite"), "")
			if err != nil {
				return "", nil, err
			}
			// Source: record.go, resourceRecordRead (fqdn: the expanded name).
			return id, resource.PropertyMap{"fqdn": pv(fqdn(str(ins, "name"), c.s.fx.hostedZone(str(ins, "zoneId"))))}, nil
		},
		update: func(c *call, old *record, ins resource.PropertyMap) (resource.PropertyMap, error) {
			// Source: record.go, resourceRecordUpdate: without a new type or
			// set identifier it is resourceRecordCreate with an UPSERT (its
			// errors say "creating"); otherwise DELETE and CREATE in one batch
			// ("updating Route53 Record (%s): %s").
			// Assumption: the id stays the old one; the provider makes a new
			// one when the type changes, which Pulumi cannot take in an update.
			if str(old.inputs, "type") == str(ins, "type") && str(old.inputs, "setIdentifier") == str(ins, "setIdentifier") {
				_, err := change(c, "creating Route53 Record", ins, true, old.id)
				return nil, err
			}
			_, err := change(c, "updating Route53 Record ("+old.id+")", ins, false, old.id)
			return nil, err
		},
	}
}
