package extract

import (
	"bytes"
	"fmt"
	"strings"

	"golang.org/x/net/html"
)

// Stray end tags. Editors leave a </table> inside a cell or a </tr> in the middle of a row when a
// table is cut and pasted back together. A browser (and the HTML parser) takes them literally: the
// first closes the whole table at that cell, so every later row falls out of it as loose text; the
// second ends the row, so its remaining cells start a row of their own. Either way Table 3 or 4
// loses its numbers. The page itself says when an end tag is stray: it closes more tables (or rows)
// than it opens, and the extra one stands where the table plainly goes on (the next tag opens or
// closes a cell or a row). Only then is it dropped, with a note; a page whose counts balance is
// parsed as it is.

// tagEvent is one table, tr, td or th tag of the page and where its bytes are.
type tagEvent struct {
	name       string // "table", "tr", "td" (td or th)
	end        bool
	start, len int
}

// dropStrayEndTags returns text without its stray </table> and </tr> tags, and a note per tag
// dropped. A page without an excess of such end tags costs one counting pass and is returned as is.
func dropStrayEndTags(text string) (string, []Note) {
	lower := strings.ToLower(text)
	extraTables := strings.Count(lower, "</table") - strings.Count(lower, "<table")
	extraRows := strings.Count(lower, "</tr") - strings.Count(lower, "<tr")
	if extraTables <= 0 && extraRows <= 0 {
		return text, nil
	}
	events := tableTagEvents(text)
	var drop []tagEvent
	// open holds "table" and "td" in nesting order, so a </table> can be told to stand inside a
	// cell of the table it would close, or right inside that table between two rows.
	var open []string
	top := func(i int) string {
		if len(open) > i {
			return open[len(open)-1-i]
		}
		return ""
	}
	continues := func(i int) bool {
		return i+1 < len(events) && (events[i+1].name == "td" || events[i+1].name == "tr")
	}
	for i, e := range events {
		switch {
		case e.name == "table" && !e.end:
			open = append(open, "table")
		case e.name == "table":
			if extraTables > 0 && (top(0) == "td" && top(1) == "table" || top(0) == "table") && continues(i) {
				drop = append(drop, e)
				extraTables--
				continue
			}
			for len(open) > 0 && top(0) != "table" {
				open = open[:len(open)-1]
			}
			if len(open) > 0 {
				open = open[:len(open)-1]
			}
		case e.name == "td" && !e.end:
			if top(0) == "td" {
				open = open[:len(open)-1]
			}
			open = append(open, "td")
		case e.name == "td":
			if top(0) == "td" {
				open = open[:len(open)-1]
			}
		case e.name == "tr":
			if e.end && extraRows > 0 && top(0) != "td" && i+1 < len(events) && events[i+1].name == "td" && !events[i+1].end {
				// </tr> after a closed cell and right before the next cell: the row goes on.
				drop = append(drop, e)
				extraRows--
				continue
			}
			if top(0) == "td" {
				open = open[:len(open)-1]
			}
		}
	}
	if len(drop) == 0 {
		return text, nil
	}
	var b strings.Builder
	b.Grow(len(text))
	at := 0
	var notes []Note
	for _, d := range drop {
		if d.start < at || d.start+d.len > len(text) || !strings.HasPrefix(text[d.start:], "</") {
			continue // the offsets went astray: keep the page as written rather than cut it wrong
		}
		b.WriteString(text[at:d.start])
		at = d.start + d.len
		line := strings.Count(text[:d.start], "\n") + 1
		notes = append(notes, Note{Code: "stray-end-tag", Message: fmt.Sprintf("line %d: a </%s> inside a table that goes on after it was ignored", line, d.name)})
	}
	b.WriteString(text[at:])
	return b.String(), notes
}

// tableTagEvents lists the page's table, tr, td and th tags with their byte ranges. The tokenizer
// reads script and style bodies as text, so a "</table>" inside a script is no tag.
func tableTagEvents(text string) []tagEvent {
	var events []tagEvent
	z := html.NewTokenizer(strings.NewReader(text))
	at := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return events
		}
		n := len(z.Raw())
		if tt == html.StartTagToken || tt == html.EndTagToken {
			name, _ := z.TagName()
			var ev string
			switch {
			case bytes.Equal(name, []byte("table")):
				ev = "table"
			case bytes.Equal(name, []byte("tr")):
				ev = "tr"
			case bytes.Equal(name, []byte("td")), bytes.Equal(name, []byte("th")):
				ev = "td"
			}
			if ev != "" {
				events = append(events, tagEvent{name: ev, end: tt == html.EndTagToken, start: at, len: n})
			}
		}
		at += n
	}
}
