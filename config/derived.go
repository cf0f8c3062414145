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

// Proxy is the proxy environment every boot script exports.
type Proxy struct {
	HTTPProxy  string
	HTTPSProxy string
	NoProxy    string // with the metadata addresses when a proxy is set
}

// Enabled says whether instances go through a proxy.
func (p Proxy) Enabled() bool { return p.HTTPProxy != "" || p.HTTPSProxy != "" }

// Bypassing adds a host to no_proxy when a proxy is set. Ubuntu 16.04's
// curl does not match CIDRs in no_proxy, so a host inside the VPC's CIDR
// (the services box) is named on its own.
func (p Proxy) Bypassing(host string) Proxy {
	if p.Enabled() && host != "" {
		if p.NoProxy != "" {
			p.NoProxy += ","
		}
		p.NoProxy += host
	}
	return p
}

// Proxy is the proxy as instances see it. With a proxy, the metadata and
// time-sync addresses must never go through it, or every IMDS call
// (credentials, the instance's own address) would leave the host; nor must
// the extra hosts (the VPC's CIDR).
func (c *Config) Proxy(extra ...string) Proxy {
	p := Proxy{HTTPProxy: c.HTTPProxy, HTTPSProxy: c.HTTPSProxy}
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
	if p.Enabled() {
		add("169.254.169.254")
		add("169.254.169.123")
		for _, h := range extra {
			add(h)
		}
	}
	p.NoProxy = strings.Join(out, ",")
	return p
}

// PreflightWarnOnly says whether failed preflight checks only warn.
func (c *Config) PreflightWarnOnly() bool { return c.Preflight == "warn" }
