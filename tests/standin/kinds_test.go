package standin

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// kindRow is what this test knows of one registered kind.
type kindRow struct {
	// file declares the kind's token constant and registers the kind in
	// its init.
	file string
	// deletes says whether the kind has a delete func. It is false only
	// when deleting the resource just forgets it: AWS refuses nothing and
	// nothing else changes.
	deletes bool
}

// kindTable lists every kind the stand-in registers. A new kind needs a row
// here and a line in the kinds table of README.md.
var kindTable = map[string]kindRow{
	"aws:autoscaling/group:Group":                                {"autoscaling_group.go", true},
	"aws:autoscaling/lifecycleHook:LifecycleHook":                {"autoscaling_lifecycle_hook.go", false},
	"aws:dlm/lifecyclePolicy:LifecyclePolicy":                    {"dlm_lifecycle_policy.go", false},
	"aws:ec2/eip:Eip":                                            {"ec2_eip.go", false},
	"aws:ec2/instance:Instance":                                  {"ec2_instance.go", true},
	"aws:ec2/launchConfiguration:LaunchConfiguration":            {"autoscaling_launch_configuration.go", true},
	"aws:ec2/launchTemplate:LaunchTemplate":                      {"ec2_launch_template.go", false},
	"aws:ec2/networkInterface:NetworkInterface":                  {"ec2_network_interface.go", true},
	"aws:ec2/securityGroup:SecurityGroup":                        {"ec2_security_group.go", true},
	"aws:ec2/vpcEndpoint:VpcEndpoint":                            {"ec2_vpc_endpoint.go", false},
	"aws:iam/instanceProfile:InstanceProfile":                    {"iam_instance_profile.go", false},
	"aws:iam/role:Role":                                          {"iam_role.go", true},
	"aws:iam/rolePolicy:RolePolicy":                              {"iam_role_policy.go", false},
	"aws:route53/record:Record":                                  {"route53_record.go", false},
	"aws:s3/bucketCorsConfigurationV2:BucketCorsConfigurationV2": {"s3_bucket_settings.go", false},
	"aws:s3/bucketOwnershipControls:BucketOwnershipControls":     {"s3_bucket_settings.go", false},
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":     {"s3_bucket_settings.go", false},
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": {"s3_bucket_settings.go", false},
	"aws:s3/bucketV2:BucketV2":                                  {"s3_bucket.go", true},
	"aws:sqs/queue:Queue":                                       {"sqs_queue.go", false},
	"aws:ssm/parameter:Parameter":                               {"ssm_parameter.go", false},
	"aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":   {"vpc_security_group_rule.go", false},
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {"vpc_security_group_rule.go", false},
}

// tokenRE is the shape of a pulumi-aws resource token: aws:<module>/<camel>:<Type>.
var tokenRE = regexp.MustCompile(`^aws:([a-z0-9]+)/([a-z][A-Za-z0-9]*):([A-Z][A-Za-z0-9]*)$`)

// tokenDecl is where the source declares a token constant.
type tokenDecl struct {
	file, name string
}

// readTokenDecls parses the package's non-test sources and returns, for
// each string constant, the files that declare it, and the files with an
// init that calls register.
func readTokenDecls(t *testing.T) (map[string][]tokenDecl, map[string]bool) {
	t.Helper()
	paths, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	decls := map[string][]tokenDecl{}
	registers := map[string]bool{}
	fset := token.NewFileSet()
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.GenDecl:
				if d.Tok != token.CONST {
					continue
				}
				for _, spec := range d.Specs {
					vs := spec.(*ast.ValueSpec)
					for i, v := range vs.Values {
						lit, ok := v.(*ast.BasicLit)
						if !ok || lit.Kind != token.STRING || i >= len(vs.Names) {
							continue
						}
						s, err := strconv.Unquote(lit.Value)
						if err != nil {
							t.Fatal(err)
						}
						decls[s] = append(decls[s], tokenDecl{file: path, name: vs.Names[i].Name})
					}
				}
			case *ast.FuncDecl:
				if d.Recv != nil || d.Name.Name != "init" || d.Body == nil {
					continue
				}
				ast.Inspect(d.Body, func(n ast.Node) bool {
					if call, ok := n.(*ast.CallExpr); ok {
						if id, ok := call.Fun.(*ast.Ident); ok && id.Name == "register" {
							registers[path] = true
						}
					}
					return true
				})
			}
		}
	}
	return decls, registers
}

// readmeKinds returns the rows of README.md's kinds table: token -> file.
func readmeKinds(t *testing.T) map[string]string {
	t.Helper()
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("^\\|\\s*`(aws:[^`]+)`\\s*\\|\\s*`([^`]+)`\\s*\\|")
	rows := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if m := row.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			rows[m[1]] = m[2]
		}
	}
	return rows
}

func TestKindsAreComplete(t *testing.T) {
	decls, registers := readTokenDecls(t)
	readme := readmeKinds(t)

	tokens := make([]string, 0, len(kinds))
	for tok := range kinds {
		tokens = append(tokens, tok)
	}
	sort.Strings(tokens)
	if len(tokens) == 0 {
		t.Fatal("no kinds are registered")
	}
	for _, tok := range tokens {
		k := kinds[tok]
		t.Run(tok, func(t *testing.T) {
			if k.token != tok {
				t.Errorf("registered under %q, but its token is %q", tok, k.token)
			}
			if k.what == "" {
				t.Errorf("what is empty; expected the provider's name for the type in messages, e.g. \"EC2 Security Group\"")
			}
			if k.create == nil {
				t.Errorf("create is nil; expected a create func")
			}
			if m := tokenRE.FindStringSubmatch(tok); m == nil {
				t.Errorf("token is not shaped like aws:<module>/<camel>:<Type>")
			} else if want := strings.ToLower(m[3][:1]) + m[3][1:]; m[2] != want {
				t.Errorf("token's middle part is %q; expected %q, the type %q with its first letter lowered", m[2], want, m[3])
			}

			var found []string
			for _, d := range decls[tok] {
				found = append(found, d.file+" ("+d.name+")")
			}
			row, inTable := kindTable[tok]
			file := row.file // the file it should be in, for the messages
			if !inTable && len(found) == 1 {
				file = decls[tok][0].file
			}
			if !inTable {
				t.Errorf("no row in kindTable in kinds_test.go; expected one: add %q: {%q, %v}, and a line for it in README.md's kinds table",
					tok, file, k.delete != nil)
			}
			switch {
			case len(found) != 1:
				t.Errorf("expected one constant declared = %q in a non-test file, found %d: %v", tok, len(found), found)
			case inTable && decls[tok][0].file != row.file:
				t.Errorf("expected its token constant in %s (kindTable), found it in %s", row.file, found[0])
			}
			if inTable && !registers[row.file] {
				t.Errorf("expected %s to register its kinds in func init() { register(...) }, found no such call", row.file)
			}
			if inTable && row.deletes != (k.delete != nil) {
				t.Errorf("kindTable says deletes=%v, found delete func set=%v; a kind without a delete func must "+
					"be one whose deletion AWS never refuses and that changes nothing else", row.deletes, k.delete != nil)
			}

			switch listed, ok := readme[tok]; {
			case !ok:
				t.Errorf("README.md's kinds table has no row for it; expected \"| `%s` | `%s` | what it models |\"", tok, file)
			case inTable && listed != row.file:
				t.Errorf("README.md's kinds table names file %s; expected %s", listed, row.file)
			}
		})
	}
	for tok := range kindTable {
		if kinds[tok] == nil {
			t.Errorf("kindTable has a row for %s, but no kind with that token is registered; remove the row", tok)
		}
	}
	for tok := range readme {
		if kinds[tok] == nil {
			t.Errorf("README.md's kinds table lists %s, but no kind with that token is registered; remove the line", tok)
		}
	}
}
