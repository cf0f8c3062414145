package config

import (
	"fmt"
	"reflect"
)

// Kind is the type a key is declared with in Pulumi.yaml.
type Kind string

const (
	String  Kind = "string"
	Integer Kind = "integer"
	Boolean Kind = "boolean"
	List    Kind = "array"  // a list of strings
	Map     Kind = "object" // string keys to string values
)

// Key describes one stack configuration key, as its field of Config
// declares it.
type Key struct {
	Name     string
	Kind     Kind
	Default  string // as Pulumi stores it: JSON for lists and maps; "" when Required
	Required bool
	Secret   bool
	// Field is the name of the key's field of Config.
	Field string
	field int
}

// Keys lists every configuration key in declaration order: the order of
// Config's fields, which is the README's.
var Keys = declaredKeys()

// KeyNamed returns the key with that name.
func KeyNamed(name string) (Key, bool) {
	for _, k := range Keys {
		if k.Name == name {
			return k, true
		}
	}
	return Key{}, false
}

// kindOf maps a field's Go type to the kind it is declared with.
var kindOf = map[reflect.Type]Kind{
	reflect.TypeFor[string]():            String,
	reflect.TypeFor[int]():               Integer,
	reflect.TypeFor[bool]():              Boolean,
	reflect.TypeFor[[]string]():          List,
	reflect.TypeFor[map[string]string](): Map,
}

// declaredKeys reads the key declarations off Config's fields. A malformed
// declaration is a programming error, so it panics when the package loads:
// no test, demo or `pulumi preview` runs with one.
func declaredKeys() []Key {
	t := reflect.TypeFor[Config]()
	var keys []Key
	seen := map[string]bool{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, ok := f.Tag.Lookup("key")
		if !ok || name == "" {
			panic(fmt.Sprintf("config: field %s of Config declares no key", f.Name))
		}
		if seen[name] {
			panic("config: key " + name + " is declared twice")
		}
		seen[name] = true
		kind, ok := kindOf[f.Type]
		if !ok {
			panic(fmt.Sprintf("config: key %s: field type %s has no Pulumi kind", name, f.Type))
		}
		if override := Kind(f.Tag.Get("kind")); override != "" {
			// Only the Terraform installer's 1/0 switches: declared integer, read as bool.
			if override != Integer || kind != Boolean {
				panic(fmt.Sprintf("config: key %s: kind:%q is allowed only on a bool field, as \"integer\"", name, override))
			}
			kind = override
		}
		def, hasDefault := f.Tag.Lookup("default")
		required := f.Tag.Get("required") == "true"
		if required == hasDefault {
			panic(fmt.Sprintf("config: key %s needs exactly one of default:\"...\" and required:\"true\"", name))
		}
		keys = append(keys, Key{
			Name: name, Kind: kind, Default: def, Required: required,
			Secret: f.Tag.Get("secret") == "true", Field: f.Name, field: i,
		})
	}
	return keys
}
