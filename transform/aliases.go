package transform

// Aliases map reporting bodies to their city, level and parent.
type Aliases struct {
	byBody map[string]Alias
}

// Alias is what is known of one body.
type Alias struct {
	Body, City, Level, Parent string
}

// LoadAliases reads an alias file.
func LoadAliases(path string) (*Aliases, error) {
	return &Aliases{}, nil
}
