package main

import (
	"encoding/json"
	"os"

	"tiendo/handlers"
)

// printVersion writes the version and build information as JSON.
func printVersion([]string) error {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(handlers.BuildInfo(version))
}
