package transform

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/govreports/govreports/extract"
)

const seedPath = "../fixtures/seed/input.txt"

func transformFile(t testing.TB, path string) *Report {
	t.Helper()
	doc, err := extract.ReadFile(context.Background(), path, extract.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	reps, err := Transform(context.Background(), doc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(reps) != 1 {
		t.Fatalf("%s: %d reports, want 1", path, len(reps))
	}
	return reps[0]
}

// sameValues compares every value of got with want: kind (null vs number) and number.
func sameValues(t *testing.T, got, want *Report) {
	t.Helper()
	var gotVals []*Value
	got.eachValue(func(_ string, v *Value) { gotVals = append(gotVals, v) })
	i := 0
	want.eachValue(func(path string, w *Value) {
		g := gotVals[i]
		i++
		if g.Known() != w.Known() || g.Known() && g.N != w.N {
			t.Errorf("%s: got %v %d (%q at %s), want %v %d", path, g.Kind, g.N, g.Raw, g.Pos, w.Kind, w.N)
		}
	})
}

func TestSeedEndToEnd(t *testing.T) {
	got := transformFile(t, seedPath)
	want := seedReport(t)
	sameValues(t, got, want)
	if got.Body != "平顶山市城乡一体化示范区" || got.City != "平顶山市" || got.Year != 2024 || got.FormatVersion != Gov2021 {
		t.Errorf("identity: body %q city %q year %d format %s", got.Body, got.City, got.Year, got.FormatVersion)
	}
	for _, f := range got.Findings {
		if f.Severity != SevInfo {
			t.Errorf("the seed passes every rule; got %s %s: %s", f.Severity, f.Rule, f.Message)
		}
	}
	// Every value knows where it came from.
	got.eachValue(func(path string, v *Value) {
		if v.Kind != Absent && v.Pos.IsZero() && !strings.Contains(path, "other_total") {
			t.Errorf("%s has no source position", path)
		}
	})
	if p := got.T3[RowNewReceived][0].Pos; p.Line == 0 || p.Col == 0 {
		t.Errorf("new_received.natural_person position %v", p)
	}
}

func TestSeedJSONMatchesExpected(t *testing.T) {
	got := transformFile(t, seedPath)
	var buf bytes.Buffer
	if err := WriteJSON(&buf, got); err != nil {
		t.Fatal(err)
	}
	line := buf.Bytes()
	if bytes.Count(line, []byte("\n")) != 1 || line[len(line)-1] != '\n' {
		t.Fatalf("WriteJSON must write exactly one line")
	}
	var gotJSON, wantJSON map[string]any
	if err := json.Unmarshal(line, &gotJSON); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, line)
	}
	data, err := os.ReadFile("../fixtures/seed/expected.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &wantJSON); err != nil {
		t.Fatal(err)
	}
	for k, w := range wantJSON {
		g, _ := json.Marshal(gotJSON[k])
		ww, _ := json.Marshal(w)
		if !bytes.Equal(g, ww) {
			t.Errorf("%s:\n got %s\nwant %s", k, g, ww)
		}
	}
	src := gotJSON["source"].(map[string]any)
	if src["format"] != "text" || src["encoding"] != "utf-8" || src["sha256"] == "" {
		t.Errorf("source %v", src)
	}
	if cells := src["cells"].(map[string]any); cells["table3.new_received.natural_person"] == "" || len(cells) < 200 {
		t.Errorf("source.cells has %d entries", len(cells))
	}
}
