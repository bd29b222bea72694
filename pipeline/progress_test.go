package pipeline

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestProgressRender(t *testing.T) {
	cases := []struct {
		p       *Progress
		elapsed time.Duration
		want    string
	}{
		{&Progress{phase: "reading", done: 10, total: 40, reports: 12}, 2 * time.Second,
			"reading    [#######.......................] 10/40  25%  6 reports/s  0:02"},
		{&Progress{phase: "reading", done: 40, total: 40, reports: 40}, 65 * time.Second,
			"reading    [##############################] 40/40 100%  1 reports/s  1:05"},
		{&Progress{phase: "saving", reports: 40}, 400 * time.Millisecond, "saving     - 40 reports  0:00"},
		{&Progress{phase: "committing", reports: 40, finished: true}, 3 * time.Second, "committing done 40 reports  0:03"},
	}
	for _, c := range cases {
		if got := c.p.render(c.elapsed); got != c.want {
			t.Errorf("render = %q, want %q", got, c.want)
		}
	}
}

func TestProgressPrintsLogLinesAboveTheBar(t *testing.T) {
	var buf bytes.Buffer
	p := NewProgress(&buf)
	p.begin("reading", 2)
	p.advance(1)
	p.Write([]byte("a log line\n"))
	p.end()
	out := buf.String()
	// The bar is erased before the log line, drawn again after it, and erased at the end.
	i := strings.Index(out, "\r\x1b[Ka log line\n")
	if i < 0 {
		t.Fatalf("log line not printed on a cleared line: %q", out)
	}
	if rest := out[i+len("\r\x1b[Ka log line\n"):]; !strings.HasPrefix(rest, "\r\x1b[Kreading    [###") {
		t.Errorf("bar not redrawn after the log line: %q", rest)
	}
	if last := out[strings.LastIndex(out, "\r"):]; !strings.Contains(last, "1/2  50%") || !strings.HasSuffix(last, "\n") {
		t.Errorf("the last line of the phase is not left on the screen: %q", out)
	}
	n := buf.Len()
	p.Write([]byte("after\n"))
	if got := buf.String()[n:]; got != "after\n" {
		t.Errorf("with no bar shown, a log line is written as is; got %q", got)
	}
}

func TestNilProgressIsSilent(t *testing.T) {
	var p *Progress
	p.begin("reading", 3)
	p.advance(1)
	p.end()
}

// TestProgressReaches100AndCoversSaving: the last file draws 100 % at once, and each phase leaves
// its final line while the next (saving, committing) shows its own.
func TestProgressReaches100AndCoversSaving(t *testing.T) {
	var buf bytes.Buffer
	p := NewProgress(&buf)
	p.begin("reading", 3)
	for range 3 {
		p.advance(2)
	}
	if !strings.Contains(buf.String(), "3/3 100%  ") {
		t.Errorf("100 %% not drawn when the last file was read: %q", buf.String())
	}
	p.begin("saving", 0)
	p.end()
	p.begin("committing", 0)
	p.end()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines left on the screen, want one per phase: %q", len(lines), buf.String())
	}
	for i, want := range []string{"reading    [##############################] 3/3 100%", "saving     done 6 reports", "committing done 6 reports"} {
		last := lines[i][strings.LastIndex(lines[i], "\r\x1b[K")+len("\r\x1b[K"):]
		if !strings.HasPrefix(last, want) {
			t.Errorf("line %d ends as %q, want %q", i, last, want)
		}
	}
}
