// Package shim gives the Pulumi bridge the upstream provider, whose constructor is
// in an internal package: Go allows the import because this module's path lies
// inside github.com/terraform-providers/terraform-provider-random.
package shim

import (
	tfprovider "github.com/hashicorp/terraform-plugin-framework/provider"

	upstream "github.com/terraform-providers/terraform-provider-random/internal/provider"
)

// NewProvider returns the upstream Terraform random provider.
func NewProvider() tfprovider.Provider { return upstream.New() }
