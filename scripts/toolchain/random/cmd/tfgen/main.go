// Command tfgen writes schema.json and bridge-metadata.json for the random provider.
package main

import (
	pftfgen "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfgen"

	"example.invalid/pulumi-toolchain/random/info"
)

func main() { pftfgen.Main("random", info.Provider(nil)) }
