package standin

import (
	"net"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const tRecord = "aws:route53/record:Record"

func init() {
	register(recordKind())
}

// fqdn is the record's name as Route53 stores it: lower case, without the
// final dot, completed with the zone's name when it is not already in it.
func fqdn(name, zone string) string {
	n := strings.TrimSuffix(strings.ToLower(name), ".")
	if n == zone || strings.HasSuffix(n, "."+zone) {
		return n
	}
	return n + "." + zone
}

func recordKind() *kind {
	validate := func(c *call, doing string, ins resource.PropertyMap, self string) (string, error) {
		const op = "Route 53: ChangeResourceRecordSets"
		zoneID := str(ins, "zoneId")
		zone := c.s.fx.hostedZone(zoneID)
		if zone == "" {
			return "", awsErr(doing, op, 404, "NoSuchHostedZone", "No hosted zone found with ID: %s", zoneID)
		}
		name, typ := fqdn(str(ins, "name"), zone), str(ins, "type")
		for _, v := range strs(ins, "records") {
			var bad bool
			switch typ {
			case "A":
				ip := net.ParseIP(v)
				bad = ip == nil || ip.To4() == nil
			case "AAAA":
				ip := net.ParseIP(v)
				bad = ip == nil || ip.To4() != nil
			}
			if bad {
				return "", awsErr(doing, op, 400, "InvalidChangeBatch",
					"[Invalid Resource Record: 'FATAL problem: ARRDATAIllegalIPv4Address (Value is not a valid IPv4 address) encountered with '%s'']", v)
			}
		}
		id := zoneID + "_" + name + "_" + typ
		if set := str(ins, "setIdentifier"); set != "" {
			id += "_" + set
		}
		if id != self && c.st.get(tRecord, id) != nil && !boolv(ins, "allowOverwrite") {
			return "", awsErr(doing, op, 400, "InvalidChangeBatch",
				"[Tried to create resource record set [name='%s.', type='%s'] but it already exists]", name, typ)
		}
		return id, nil
	}
	return &kind{
		token: tRecord, what: "Route 53 Record",
		replaces: []string{"zoneId", "name", "type", "setIdentifier"},
		computed: []string{"fqdn"},
		check: func(c *call, news resource.PropertyMap, f *failures) {
			required(f, news, "name", "type", "zoneId")
			oneOf(f, news, "type", []string{"type"}, "A", "AAAA", "CAA", "CNAME", "DS", "MX", "NAPTR", "NS", "PTR", "SOA", "SPF", "SRV", "TXT")
			if !has(news, "aliases") && (!has(news, "ttl") || !has(news, "records")) {
				f.add("ttl", "\"ttl\": all of `records,ttl` must be specified")
			}
		},
		create: func(c *call, ins resource.PropertyMap) (string, resource.PropertyMap, error) {
			id, err := validate(c, "creating Route 53 Record", ins, "")
			if err != nil {
				return "", nil, err
			}
			return id, resource.PropertyMap{"fqdn": pv(fqdn(str(ins, "name"), c.s.fx.hostedZone(str(ins, "zoneId"))))}, nil
		},
		update: func(c *call, old *record, ins resource.PropertyMap) (resource.PropertyMap, error) {
			_, err := validate(c, "updating Route 53 Record ("+old.id+")", ins, old.id)
			return nil, err
		},
	}
}
