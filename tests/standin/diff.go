package standin

import (
	"context"
	"sort"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Diff compares the old inputs with the new and declares replacements.
// Source: pulumi-terraform-bridge pkg/tfbridge/provider.go, Diff: a change to
// a ForceNew attribute is a replacement (the kind's replaces), ignored
// changes never show, and a replacement deletes first when an autonamed
// property was set explicitly (nameRequiresDeleteBeforeReplace).
func (s *Server) Diff(ctx context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	typ := reqType(req.GetType(), req.GetUrn())
	olds, err := unmarshal(req.GetOldInputs())
	if err != nil {
		return nil, err
	}
	oldOuts, err := unmarshal(req.GetOlds())
	if err != nil {
		return nil, err
	}
	if len(olds) == 0 {
		olds = oldOuts
	}
	news, err := unmarshal(req.GetNews())
	if err != nil {
		return nil, err
	}
	k, c, err := s.begin(ctx, typ, req.GetUrn(), false)
	if err != nil {
		return nil, err
	}
	defer s.mu.Unlock()

	po, pn := plainMap(olds), plainMap(news)
	delete(po, defaultsKey)
	delete(pn, defaultsKey)
	// The engine already put the old values of ignored properties into the
	// new inputs; drop them here too, so that nothing ignored ever shows.
	for _, path := range req.GetIgnoreChanges() {
		setPath(pn, path, atPath(po, path))
	}
	replacePaths := append([]string(nil), k.replaces...)
	if k.replaceIf != nil {
		replacePaths = append(replacePaths, k.replaceIf(news)...)
	}
	if k.replaceOnChange != nil {
		replacePaths = append(replacePaths, k.replaceOnChange(olds, news)...)
	}
	// The provider's CustomizeDiff refuses some updates while planning them.
	if k.plan != nil {
		if old := c.st.get(typ, req.GetId()); old != nil {
			if err := k.plan(c, old, news); err != nil {
				return nil, rpcErr(err)
			}
		}
	}

	resp := &pulumirpc.DiffResponse{DetailedDiff: map[string]*pulumirpc.PropertyDiff{}, HasDetailedDiff: true}
	keys := map[string]bool{}
	for key := range po {
		keys[key] = true
	}
	for key := range pn {
		keys[key] = true
	}
	sorted := make([]string, 0, len(keys))
	for key := range keys {
		sorted = append(sorted, key)
	}
	sort.Strings(sorted)
	pouts := plainMap(oldOuts)
	for _, key := range sorted {
		o, n := po[key], pn[key]
		_, inOld := po[key]
		_, inNew := pn[key]
		// Source: terraform-plugin-sdk helper/schema, schemaMap.diff /
		// diffString: an Optional+Computed attribute that the configuration
		// leaves unset keeps the state's value, no diff.
		if !inNew && contains(k.computed, key) {
			continue
		}
		// The bridge diffs the new inputs against the state, not against
		// the old inputs; an imported object's inputs are extracted from its
		// state without defaults and zero values (pulumi-terraform-bridge
		// ExtractInputsFromOutputs), so a value missing from them is the
		// state's.
		if !inOld {
			if v, ok := pouts[key]; ok {
				o = v
			}
		}
		if equalPlain(o, n) {
			continue
		}
		resp.Diffs = append(resp.Diffs, key)
		kindOf := pulumirpc.PropertyDiff_UPDATE
		switch {
		case empty(o):
			kindOf = pulumirpc.PropertyDiff_ADD
		case empty(n) && !containsUnknown(n):
			kindOf = pulumirpc.PropertyDiff_DELETE
		}
		replaced := false
		for _, rp := range replacePaths {
			switch {
			case rp == key:
				replaced = true
				resp.DetailedDiff[key] = &pulumirpc.PropertyDiff{Kind: asReplace(kindOf), InputDiff: true}
			case strings.HasPrefix(rp, key+"."):
				sub := strings.TrimPrefix(rp, key+".")
				if !equalPlain(atPath(o, sub), atPath(n, sub)) {
					replaced = true
					resp.DetailedDiff[rp] = &pulumirpc.PropertyDiff{Kind: pulumirpc.PropertyDiff_UPDATE_REPLACE, InputDiff: true}
				}
			}
		}
		if replaced {
			resp.Replaces = append(resp.Replaces, key)
		} else {
			resp.DetailedDiff[key] = &pulumirpc.PropertyDiff{Kind: kindOf, InputDiff: true}
		}
	}
	// Tags the provider never sends never show in its state, so the plan
	// always wants to add them again.
	// Source: terraform-provider-aws internal/provider/intercept.go,
	// tagsResourceInterceptor (IgnoreSystem before create, setTagsOut in Read).
	if k.tags && !ignored(req.GetIgnoreChanges(), "tags") && !ignored(resp.Diffs, "tags") {
		for key := range stringMap(news, "tags") {
			if systemTagKey(key) {
				resp.Diffs = append(resp.Diffs, "tags")
				resp.DetailedDiff["tags."+key] = &pulumirpc.PropertyDiff{Kind: pulumirpc.PropertyDiff_ADD, InputDiff: true}
				break
			}
		}
	}
	// Provider default tags reach tagsAll without any input changing.
	// Source: pulumi-aws provider/tags.go, applyTags (tagsAll computed from
	// the provider's defaultTags in Check).
	if k.tags && !ignored(req.GetIgnoreChanges(), "tags") && !ignored(req.GetIgnoreChanges(), "tagsAll") {
		if want := tagsAll(c.cfg, news); !equalValues(want, oldOuts["tagsAll"]) {
			resp.Diffs = append(resp.Diffs, "tagsAll")
			resp.DetailedDiff["tagsAll"] = &pulumirpc.PropertyDiff{Kind: pulumirpc.PropertyDiff_UPDATE}
		}
	}
	if len(resp.Diffs) > 0 {
		resp.Changes = pulumirpc.DiffResponse_DIFF_SOME
	} else {
		resp.Changes = pulumirpc.DiffResponse_DIFF_NONE
	}
	if len(resp.Replaces) > 0 {
		c.st.replacing[c.urn] = true
		// Source: pulumi-terraform-bridge pkg/tfbridge/schema.go,
		// nameRequiresDeleteBeforeReplace: an autonamed property present in
		// the inputs but not among the defaults. A name left to a prefix is
		// not present, so its replacement is made first.
		resp.DeleteBeforeReplace = k.nameKey != "" && has(news, k.nameKey) && !wasDefaulted(news, k.nameKey)
	} else {
		delete(c.st.replacing, c.urn)
	}
	return resp, nil
}

func asReplace(k pulumirpc.PropertyDiff_Kind) pulumirpc.PropertyDiff_Kind {
	switch k {
	case pulumirpc.PropertyDiff_ADD:
		return pulumirpc.PropertyDiff_ADD_REPLACE
	case pulumirpc.PropertyDiff_DELETE:
		return pulumirpc.PropertyDiff_DELETE_REPLACE
	}
	return pulumirpc.PropertyDiff_UPDATE_REPLACE
}

func ignored(paths []string, key string) bool {
	for _, p := range paths {
		if p == key {
			return true
		}
	}
	return false
}

// setPath sets a dotted path in a plain map (nil deletes).
func setPath(m map[string]any, path string, v any) {
	parts := strings.Split(path, ".")
	for _, p := range parts[:len(parts)-1] {
		next, ok := m[p].(map[string]any)
		if !ok {
			return
		}
		m = next
	}
	last := parts[len(parts)-1]
	if v == nil {
		delete(m, last)
	} else {
		m[last] = v
	}
}
