package standin

import (
	"reflect"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"google.golang.org/protobuf/types/known/structpb"
)

// wire keeps unknowns, secrets and resource references on the wire, as a
// provider that accepts them must.
// Source: Pulumi provider protocol, ConfigureResponse (accept_secrets,
// accept_resources, supports_preview).
var wire = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true}

func unmarshal(s *structpb.Struct) (resource.PropertyMap, error) {
	if s == nil {
		return resource.PropertyMap{}, nil
	}
	return plugin.UnmarshalProperties(s, wire)
}

func marshal(m resource.PropertyMap) (*structpb.Struct, error) {
	return plugin.MarshalProperties(m, wire)
}

// unknown is a computed value: known only once the resource exists.
func unknown() resource.PropertyValue { return resource.MakeComputed(resource.NewStringProperty("")) }

// unwrap strips secret markers.
func unwrap(v resource.PropertyValue) resource.PropertyValue {
	for v.IsSecret() {
		v = v.SecretValue().Element
	}
	return v
}

// get follows a path of object keys, through secrets; missing is null.
func get(m resource.PropertyMap, path ...string) resource.PropertyValue {
	v := resource.NewObjectProperty(m)
	for _, p := range path {
		v = unwrap(v)
		if !v.IsObject() {
			return resource.NewNullProperty()
		}
		v = v.ObjectValue()[resource.PropertyKey(p)]
	}
	return unwrap(v)
}

// isUnknown says whether the value at path is (or contains) an unknown.
func isUnknown(m resource.PropertyMap, path ...string) bool {
	return get(m, path...).ContainsUnknowns()
}

func str(m resource.PropertyMap, path ...string) string {
	if v := get(m, path...); v.IsString() {
		return v.StringValue()
	}
	return ""
}

func has(m resource.PropertyMap, path ...string) bool {
	v := get(m, path...)
	return !v.IsNull()
}

func boolv(m resource.PropertyMap, path ...string) bool {
	v := get(m, path...)
	switch {
	case v.IsBool():
		return v.BoolValue()
	case v.IsString():
		return v.StringValue() == "true"
	}
	return false
}

func num(m resource.PropertyMap, path ...string) (float64, bool) {
	if v := get(m, path...); v.IsNumber() {
		return v.NumberValue(), true
	}
	return 0, false
}

func obj(m resource.PropertyMap, path ...string) resource.PropertyMap {
	if v := get(m, path...); v.IsObject() {
		return v.ObjectValue()
	}
	return nil
}

// objs returns the objects of an array (a max-1 block may arrive as an object).
// Source: pulumi-terraform-bridge pkg/tfbridge/schema.go, IsMaxItemsOne (a
// MaxItems 1 block is projected as a single object).
func objs(m resource.PropertyMap, path ...string) []resource.PropertyMap {
	v := get(m, path...)
	if v.IsObject() {
		return []resource.PropertyMap{v.ObjectValue()}
	}
	if !v.IsArray() {
		return nil
	}
	var out []resource.PropertyMap
	for _, e := range v.ArrayValue() {
		if e = unwrap(e); e.IsObject() {
			out = append(out, e.ObjectValue())
		}
	}
	return out
}

// strs returns the known strings of an array.
func strs(m resource.PropertyMap, path ...string) []string {
	v := get(m, path...)
	if !v.IsArray() {
		return nil
	}
	var out []string
	for _, e := range v.ArrayValue() {
		if e = unwrap(e); e.IsString() {
			out = append(out, e.StringValue())
		}
	}
	return out
}

func stringMap(m resource.PropertyMap, path ...string) map[string]string {
	out := map[string]string{}
	for k, v := range obj(m, path...) {
		if v = unwrap(v); v.IsString() {
			out[string(k)] = v.StringValue()
		}
	}
	return out
}

// pv converts plain Go values (and property values) to a property value.
func pv(x any) resource.PropertyValue {
	switch t := x.(type) {
	case nil:
		return resource.NewNullProperty()
	case resource.PropertyValue:
		return t
	case resource.PropertyMap:
		return resource.NewObjectProperty(t)
	case string:
		return resource.NewStringProperty(t)
	case bool:
		return resource.NewBoolProperty(t)
	case int:
		return resource.NewNumberProperty(float64(t))
	case float64:
		return resource.NewNumberProperty(t)
	case []string:
		arr := make([]resource.PropertyValue, len(t))
		for i, s := range t {
			arr[i] = resource.NewStringProperty(s)
		}
		return resource.NewArrayProperty(arr)
	case []any:
		arr := make([]resource.PropertyValue, len(t))
		for i, e := range t {
			arr[i] = pv(e)
		}
		return resource.NewArrayProperty(arr)
	case []resource.PropertyValue:
		return resource.NewArrayProperty(t)
	case map[string]string:
		m := resource.PropertyMap{}
		for k, v := range t {
			m[resource.PropertyKey(k)] = resource.NewStringProperty(v)
		}
		return resource.NewObjectProperty(m)
	case map[string]any:
		return resource.NewObjectProperty(pmap(t))
	}
	panic("standin: cannot convert " + reflect.TypeOf(x).String())
}

func pmap(m map[string]any) resource.PropertyMap {
	out := resource.PropertyMap{}
	for k, v := range m {
		out[resource.PropertyKey(k)] = pv(v)
	}
	return out
}

// unknownT stands for an unknown value in plain form.
type unknownT struct{}

// plain converts a property value to plain Go values, unwrapping secrets.
func plain(v resource.PropertyValue) any {
	v = unwrap(v)
	switch {
	case v.IsNull():
		return nil
	case v.IsComputed(), v.IsOutput() && !v.OutputValue().Known:
		return unknownT{}
	case v.IsOutput():
		return plain(v.OutputValue().Element)
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		out := []any{}
		for _, e := range v.ArrayValue() {
			out = append(out, plain(e))
		}
		return out
	case v.IsObject():
		return plainMap(v.ObjectValue())
	case v.IsResourceReference():
		return string(v.ResourceReferenceValue().URN)
	}
	return v.V
}

func plainMap(m resource.PropertyMap) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[string(k)] = plain(v)
	}
	return out
}

// empty says whether a plain value is null or an empty collection: the
// provider treats those alike, as Terraform does.
// Assumption: terraform-plugin-sdk's zero-value semantics (an unset list,
// set or map reads as empty) make the bridge's diff of null against empty
// no change.
func empty(x any) bool {
	switch t := x.(type) {
	case nil:
		return true
	case []any:
		return len(t) == 0
	case map[string]any:
		for _, v := range t {
			if !empty(v) {
				return false
			}
		}
		return true
	}
	return false
}

func containsUnknown(x any) bool {
	switch t := x.(type) {
	case unknownT:
		return true
	case []any:
		for _, e := range t {
			if containsUnknown(e) {
				return true
			}
		}
	case map[string]any:
		for _, e := range t {
			if containsUnknown(e) {
				return true
			}
		}
	}
	return false
}

// equalPlain compares plain values; anything unknown differs.
func equalPlain(a, b any) bool {
	if containsUnknown(a) || containsUnknown(b) {
		return false
	}
	if empty(a) && empty(b) {
		return true
	}
	am, aok := a.(map[string]any)
	bm, bok := b.(map[string]any)
	if aok && bok {
		for k := range am {
			if !equalPlain(am[k], bm[k]) {
				return false
			}
		}
		for k := range bm {
			if !equalPlain(am[k], bm[k]) {
				return false
			}
		}
		return true
	}
	aa, aok := a.([]any)
	ba, bok := b.([]any)
	if aok && bok {
		if len(aa) != len(ba) {
			return false
		}
		for i := range aa {
			if !equalPlain(aa[i], ba[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

func equalValues(a, b resource.PropertyValue) bool { return equalPlain(plain(a), plain(b)) }

// atPath follows a dotted path through plain maps (and the first element
// of single-element lists, for max-1 blocks).
func atPath(x any, path string) any {
	for _, p := range strings.Split(path, ".") {
		if l, ok := x.([]any); ok && len(l) == 1 {
			x = l[0]
		}
		m, ok := x.(map[string]any)
		if !ok {
			return nil
		}
		x = m[p]
	}
	return x
}

func unionKeys(a, b resource.PropertyMap) []string {
	seen := map[string]bool{}
	for k := range a {
		seen[string(k)] = true
	}
	for k := range b {
		seen[string(k)] = true
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// walkStrings calls f with every string in a value.
func walkStrings(x any, f func(string)) {
	switch t := x.(type) {
	case resource.PropertyMap:
		walkStrings(plainMap(t), f)
	case resource.PropertyValue:
		walkStrings(plain(t), f)
	case string:
		f(t)
	case []any:
		for _, e := range t {
			walkStrings(e, f)
		}
	case map[string]any:
		for _, e := range t {
			walkStrings(e, f)
		}
	}
}
