package standin

import "strings"

// --- routes --------------------------------------------------------------

// routesOf returns the routes EC2 holds in a fixture route table, as
// DescribeRouteTables lists them: the fixture's own (placeholders resolved
// for the region), then one per live gateway endpoint of the region that
// names the table. Fixture route tables never change; endpoint routes come
// and go with the endpoints, and move with their routeTableIds.
// Source: Amazon VPC AWS PrivateLink guide, "Gateway endpoints", Routing:
// a route whose destination is the service's prefix list and whose target
// is the endpoint is added to each route table the endpoint names, and
// removed when the table is taken from the endpoint or the endpoint is
// deleted; DescribeRouteTables reports it with the endpoint's id as the
// route's GatewayId.
func routesOf(cfg *providerConfig, st *state, rt *routeTableFixture) []map[string]string {
	var out []map[string]string
	for _, r := range rt.Routes {
		route := map[string]string{}
		for k, v := range r {
			route[k] = cfg.fixtureValue(v)
		}
		out = append(out, route)
	}
	regional := map[string]bool{}
	for _, k := range gatewayServiceKeys {
		regional[prefixListID(cfg.gatewayService(k))] = true
	}
	for _, e := range st.all(tVpcEndpoint) {
		pl := str(e.outputs, "prefixListId")
		if !regional[pl] || str(e.outputs, "vpcEndpointType") != "Gateway" {
			continue
		}
		if contains(strs(e.outputs, "routeTableIds"), rt.ID) {
			out = append(out, map[string]string{"destinationPrefixListId": pl, "vpcEndpointId": e.id})
		}
	}
	return out
}

// providerShows says whether the provider's getRouteTable reports a route.
// Source: terraform-provider-aws internal/service/ec2/vpc_route_table_data_source.go,
// flattenDataSourceRoutes (dataSourceRoutesRead in older versions): it
// skips the local route, propagated routes and the routes of gateway VPC
// endpoints ("VPC endpoint routes are handled separately, see
// aws_vpc_endpoint"). getRouteTables' route.* filters still see them, as
// EC2 filters the routes it holds.
func providerShows(r map[string]string) bool {
	if r["gatewayId"] == "local" {
		return false
	}
	return !(r["destinationPrefixListId"] != "" && strings.HasPrefix(r["vpcEndpointId"], "vpce-"))
}

// routeValues collects the values of some route fields, for route.* filters.
func routeValues(routes []map[string]string, fields ...string) func() []string {
	return func() []string {
		var out []string
		for _, r := range routes {
			for _, f := range fields {
				if v := r[f]; v != "" {
					out = append(out, v)
				}
			}
		}
		return out
	}
}

// Routes lists the routes EC2 holds in a fixture route table in a region,
// including those the provider's getRouteTable leaves out (the local route
// and gateway endpoint routes), or nil for an unknown table. Keys are the
// provider's route field names: cidrBlock, gatewayId, natGatewayId,
// destinationPrefixListId, vpcEndpointId.
func (s *Server) Routes(region, routeTableID string) []map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	rt := s.fx.routeTable(routeTableID)
	if rt == nil {
		return nil
	}
	return routesOf(&providerConfig{region: region, partition: partitionOf(region)}, s.st, rt)
}
