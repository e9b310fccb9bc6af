// Command pulumi-resource-random is the Pulumi resource plugin "random".
package main

import (
	"context"
	_ "embed"

	pf "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"

	"example.invalid/pulumi-toolchain/random/info"
)

//go:embed schema.json
var schema []byte

//go:embed bridge-metadata.json
var metadata []byte

func main() {
	pf.Main(context.Background(), "random", info.Provider(metadata),
		pf.ProviderMetadata{PackageSchema: schema, BridgeMetadata: metadata})
}
