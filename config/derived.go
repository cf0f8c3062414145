package config

import "strings"

// PrefixTag is the tag every object carries so that an installation's
// objects can be found (and billed) by prefix.
const PrefixTag = "circleci:prefix"

// DefaultTags are the tags every AWS object of the installation carries.
func (c *Config) DefaultTags() map[string]string {
	tags := map[string]string{PrefixTag: c.Prefix}
	for k, v := range c.Tags {
		tags[k] = v
	}
	return tags
}

// ProxyEnabled says whether instances go through a proxy.
func (c *Config) ProxyEnabled() bool { return c.HTTPProxy != "" || c.HTTPSProxy != "" }

// EffectiveNoProxy is no_proxy as instances see it: with a proxy, the
// metadata and time-sync addresses must never go through it, or every
// IMDS call (credentials, the instance's own address) would leave the host;
// nor must the extra hosts (the VPC's CIDR, the services box).
func (c *Config) EffectiveNoProxy(extra ...string) string {
	var out []string
	seen := map[string]bool{}
	add := func(h string) {
		if h = strings.TrimSpace(h); h != "" && !seen[h] {
			seen[h] = true
			out = append(out, h)
		}
	}
	for _, h := range strings.Split(c.NoProxy, ",") {
		add(h)
	}
	if c.ProxyEnabled() {
		add("169.254.169.254")
		add("169.254.169.123")
		for _, h := range extra {
			add(h)
		}
	}
	return strings.Join(out, ",")
}
