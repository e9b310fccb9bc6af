// Command pulumi-resource-kubernetes serves the Kubernetes provider of
// github.com/pulumi/pulumi-kubernetes/provider/v4 with the schema and mapping
// files of that module (copied next to this file by scripts/install-pulumi.sh).
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
)

//go:embed schema.json
var schema []byte

//go:embed terraform-mapping.json
var terraformMapping []byte

// version is set with -ldflags -X.
var version = "0.0.0-dev"

func main() {
	provider.Serve("kubernetes", version, schema, terraformMapping)
}
