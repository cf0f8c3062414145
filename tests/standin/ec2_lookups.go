package standin

// EC2 lookups shared by several kinds and invokes: fixture subnets and
// their zones, and live security groups.

// subnet returns a fixture subnet, or EC2's error for a missing one.
// Source: EC2 API Reference, "Error codes": InvalidSubnetID.NotFound.
// Assumption: the message, "The subnet ID '...' does not exist", as EC2
// words it for other ids.
func (c *call) subnet(doing, op, id string) (*subnetFixture, error) {
	if s := c.s.fx.subnet(id); s != nil {
		return s, nil
	}
	return nil, awsErr(doing, op, 400, "InvalidSubnetID.NotFound", "The subnet ID '%s' does not exist", id)
}

// groups checks that security groups exist and, given a VPC, belong to it.
// Source: EC2 API Reference, "Error codes": InvalidGroup.NotFound.
// Assumption: the wording of EC2's refusal of a group of another VPC,
// "Security group ... and subnet ... belong to different networks."
func (c *call) groups(doing, op string, ids []string, vpcID, subnetID string) error {
	for _, id := range ids {
		g := c.st.get(tSecurityGroup, id)
		if g == nil {
			return awsErr(doing, op, 400, "InvalidGroup.NotFound", "The security group '%s' does not exist", id)
		}
		if vpcID != "" && str(g.outputs, "vpcId") != vpcID {
			return awsErr(doing, op, 400, "InvalidParameter",
				"Security group %s and subnet %s belong to different networks.", id, subnetID)
		}
	}
	return nil
}

// az is a fixture subnet's availability zone: the region plus its suffix.
// Assumption: every fixture subnet exists in every region, in the zone with
// its suffix (fixtures/network.json).
func (c *call) az(s *subnetFixture) string { return c.cfg.region + s.AZSuffix }

// zones are the configured region's availability zones: the region plus
// each zone suffix of fixtures/offerings.json.
// Assumption: every region has the same three zones a, b and c.
func (c *call) zones() []string {
	var out []string
	for _, z := range c.s.fx.Offerings.Zones {
		out = append(out, c.cfg.region+z)
	}
	return out
}
