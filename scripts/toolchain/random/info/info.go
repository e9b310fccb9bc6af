// Package info maps the Terraform random provider to the Pulumi package "random",
// with the tokens of the @pulumi/random npm SDK (random:index/randomPassword:RandomPassword, ...).
package info

import (
	"context"
	"errors"

	pf "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/terraform-providers/terraform-provider-random/shim"
)

// Version is the plugin version, set with -ldflags -X.
var Version = "0.0.0-dev"

// Provider describes the bridged provider; metadata is the bridge-metadata.json
// written by the tfgen step (empty while that step runs).
func Provider(metadata []byte) tfbridge.ProviderInfo {
	if len(metadata) == 0 {
		metadata = []byte("{}")
	}
	p := tfbridge.ProviderInfo{
		P:            pf.ShimProvider(shim.NewProvider()),
		Name:         "random",
		Version:      Version,
		Description:  "Randomness for Pulumi programs (offline build of the Terraform random provider).",
		License:      "Apache-2.0",
		MetadataInfo: tfbridge.NewProviderMetadata(metadata),
		Resources: map[string]*tfbridge.ResourceInfo{
			// random_bytes has no "id" attribute: its base64 value serves as the id.
			"random_bytes": {ComputeID: bytesID},
		},
		EnableAccurateBridgePreview: true,
	}
	p.MustComputeTokens(tokens.SingleModule("random_", "index", func(module, name string) (string, error) {
		return tokens.MakeStandard("random")(module, "Random"+name)
	}))
	return p
}

func bytesID(_ context.Context, state resource.PropertyMap) (resource.ID, error) {
	v, ok := state["base64"]
	if !ok {
		return "", errors.New("random_bytes: no base64 property in state")
	}
	if v.IsSecret() {
		v = v.SecretValue().Element
	}
	if !v.IsString() {
		return "", errors.New("random_bytes: base64 property is not a string")
	}
	return resource.ID(v.StringValue()), nil
}
