package main

import (
	"fmt"

	"github.com/govreports/govreports/load"
)

func cmdSchema(args []string, env cliEnv) int {
	fs := newFlags("schema", env)
	markdown := fs.Bool("markdown", false, "print the schema document in Markdown")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	print := load.PrintSchemas
	if *markdown {
		print = load.WriteSchemaMarkdown
	}
	if err := print(env.stdout); err != nil {
		fmt.Fprintf(env.stderr, "govreports schema: %v\n", err)
		return exitFatal
	}
	return exitOK
}
