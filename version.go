package main

import (
	"encoding/json"
	"os"

	"tiendo/handlers"
)

// printVersion writes the version and build information as JSON.
func printVersion(args []string) error {
	if err := parseFlags(newFlagSet("version"), args); err != nil {
		return err
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(handlers.BuildInfo(version))
}
