package transform

import (
	"fmt"
	"os"

	// imported as division: transform has a type named region (a part of a page)
	division "github.com/govreports/govreports/transform/region"
)

// Aliases are an alias file's entries: bodies placed among the divisions, places outside them
// (development zones), and scopes fixed by hand. See region.ParseAliases (transform/region) for the format.
type Aliases = division.Aliases

// LoadAliases reads an alias file (body,code,level,parent,scope; the older body,city[,level[,parent]]
// is still read). Errors name the file and the line.
func LoadAliases(path string) (*Aliases, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("aliases: %w", err)
	}
	defer f.Close()
	a, err := division.ParseAliases(f, path, nil)
	if err != nil {
		return nil, fmt.Errorf("aliases: %w", err)
	}
	return a, nil
}

// Prepare loads the tables placing every report reads (the divisions' gazetteer and the built-in
// aliases; about 60 ms): a run calls it beside its own start, rather than let the first report's
// worker load them while the other workers wait for it.
func Prepare() { division.Builtin() }
