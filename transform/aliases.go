package transform

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

// Aliases map reporting bodies to their city, level and parent, for bodies whose names do not
// carry their city ("洪泽区人民政府") and for names printed in several ways.
type Aliases struct {
	byBody map[string]Alias
}

// Alias is what is known of one body.
type Alias struct {
	Body, City, Level, Parent string
	// Scope fixes the H.SCOPE classification of the body's reports: ScopeOrgan, ScopeLevel or
	// ScopeRegional; "" leaves it to the title and the body.
	Scope string
}

// LoadAliases reads an alias file: UTF-8 text, one body per line, fields separated by TAB or
// comma: body, city[, level[, parent[, scope]]]; scope is organ (本机关), level (本级) or regional
// (全区域汇总). Blank lines and lines starting with # are skipped; a
// first line whose first field is "body" is a header.
func LoadAliases(path string) (*Aliases, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("aliases: %w", err)
	}
	defer f.Close()
	a := &Aliases{byBody: map[string]Alias{}}
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		text := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\uFEFF"))
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		sep := ","
		if strings.Contains(text, "\t") {
			sep = "\t"
		}
		fields := strings.Split(text, sep)
		for i := range fields {
			fields[i] = strings.TrimSpace(fields[i])
		}
		if n == 1 && strings.EqualFold(fields[0], "body") {
			continue
		}
		if len(fields) < 2 || fields[0] == "" {
			return nil, fmt.Errorf("aliases: %s:%d: want body%scity[%slevel[%sparent]], got %q", path, n, sep, sep, sep, text)
		}
		al := Alias{Body: fields[0], City: fields[1]}
		if len(fields) > 2 {
			al.Level = fields[2]
		}
		if len(fields) > 3 {
			al.Parent = fields[3]
		}
		if len(fields) > 4 {
			if al.Scope, err = parseScope(fields[4]); err != nil {
				return nil, fmt.Errorf("aliases: %s:%d: %w", path, n, err)
			}
		}
		a.byBody[normLabel(al.Body)] = al
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("aliases: %s: %w", path, err)
	}
	return a, nil
}

// cityOf returns the city the alias table gives for a body; a nil table knows none.
func (a *Aliases) cityOf(body string) string {
	if a == nil || body == "" {
		return ""
	}
	return a.byBody[normLabel(body)].City
}

// scopeOf returns the scope the alias table fixes for a body; "" when none.
func (a *Aliases) scopeOf(body string) string {
	if a == nil || body == "" {
		return ""
	}
	return a.byBody[normLabel(body)].Scope
}

// parseScope reads the scope column in English or Chinese.
func parseScope(s string) (string, error) {
	switch strings.ToLower(s) {
	case "":
		return "", nil
	case ScopeOrgan, "本机关", "本单位":
		return ScopeOrgan, nil
	case ScopeLevel, "本级":
		return ScopeLevel, nil
	case ScopeRegional, "汇总", "全区域", "区域汇总":
		return ScopeRegional, nil
	}
	return "", fmt.Errorf("scope %q: want organ, level or regional", s)
}
