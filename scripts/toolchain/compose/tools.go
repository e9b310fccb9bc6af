//go:build tools

// Package tools pins the Docker Compose v2 CLI plugin's main package in this wrapper module.
package tools

import _ "github.com/docker/compose/v2/cmd"
