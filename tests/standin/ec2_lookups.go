package standin

// EC2 lookups shared by several kinds and invokes: fixture subnets and
// their zones, and live security groups.

// subnet returns a fixture subnet, or EC2's error for a missing one.
func (c *call) subnet(doing, op, id string) (*subnetFixture, error) {
	if s := c.s.fx.subnet(id); s != nil {
		return s, nil
	}
	return nil, awsErr(doing, op, 400, "InvalidSubnetID.NotFound", "The subnet ID '%s' does not exist", id)
}

// groups checks that security groups exist and, given a VPC, belong to it.
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

func (c *call) az(s *subnetFixture) string { return c.cfg.region + s.AZSuffix }
