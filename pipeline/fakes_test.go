package pipeline

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/transform"
)

// The fake stages read inputs written as directives, one word each:
//   fail        transform fails with a place
//   panic       transform panics
//   id:X        the report's ID is X (default: the content hash)
//   year:Y      the report's year (default 2024)
//   sleep:N     transform takes N milliseconds
//   reports:N   the file holds N reports (a collection workbook)
//   body:B      the reporting body is B

func fakeStages(hook func(path string)) Stages {
	return Stages{
		Extract: func(ctx context.Context, path string, data []byte, sha256 string) (*extract.Document, error) {
			if hook != nil {
				hook(path)
			}
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			// The run hands the stage the hash it keyed its cache with: the data's own.
			if want := extract.SHA256Hex(data); sha256 != want {
				return nil, fmt.Errorf("extract stage given hash %q for %s, whose hash is %q", sha256, path, want)
			}
			src := extract.Source{Path: path, SHA256: sha256, Bytes: int64(len(data)),
				Format: extract.FormatText, Encoding: "utf-8"}
			return &extract.Document{Source: src, Blocks: []extract.Block{{Kind: extract.Paragraph, Text: string(data)}}}, nil
		},
		Transform: fakeTransform,
	}
}

func fakeTransform(_ context.Context, doc *extract.Document, opt transform.Options) ([]*transform.Report, error) {
	id, year, n, body := doc.Source.SHA256[:16], 2024, 1, ""
	for _, word := range strings.Fields(doc.Blocks[0].Text) {
		key, val, _ := strings.Cut(word, ":")
		switch key {
		case "fail":
			return nil, &extract.Error{Path: doc.Source.Path, Place: "3:7", Err: errors.New("no Table 3 after its heading")}
		case "panic":
			panic("fake stage exploded")
		case "id":
			id = val
		case "year":
			year, _ = strconv.Atoi(val)
		case "sleep":
			ms, _ := strconv.Atoi(val)
			time.Sleep(time.Duration(ms) * time.Millisecond)
		case "reports":
			n, _ = strconv.Atoi(val)
		case "body":
			body = val
		}
	}
	var reps []*transform.Report
	for i := range n {
		r := &transform.Report{ID: id, Source: doc.Source, Year: year, City: opt.DirCity, Body: body}
		if n > 1 {
			r.ID, r.Unit = fmt.Sprintf("%s-%d", id, i+1), fmt.Sprintf("Sheet1!%d", i+2)
		}
		r.Findings = []transform.Finding{{Rule: "T3.BALANCE", Severity: transform.SevError}, {Rule: "X", Severity: transform.SevInfo}}
		reps = append(reps, r)
	}
	return reps, nil
}

// fakeSink keeps what it is given and writes one text file per year as its "outputs".
type fakeSink struct {
	dir     string
	opt     SinkOptions
	ids     []string
	rejects []Reject
	batch   *transform.Batch
	refuse  func(r *transform.Report) error
	onClose func(ctx context.Context) error
	// written is set once Write was called: the run got past reading.
	written bool
	// inputHash is what the pipeline passed to Write.
	inputHash string
}

func (s *fakeSink) Check(r *transform.Report) error {
	if s.refuse != nil {
		return s.refuse(r)
	}
	return nil
}

func (s *fakeSink) Write(ctx context.Context, in SinkInput) ([]Output, error) {
	s.written = true
	for i := range in.Reports.Len() {
		r, err := in.Reports.At(i)
		if err != nil {
			return nil, err
		}
		s.ids = append(s.ids, fmt.Sprintf("%d/%s", r.Year, r.ID))
	}
	s.rejects, s.batch = in.Rejects, in.Batch
	return s.close(ctx, in.InputHash)
}

func (s *fakeSink) close(ctx context.Context, inputHash string) ([]Output, error) {
	s.inputHash = inputHash
	if s.onClose != nil {
		if err := s.onClose(ctx); err != nil {
			return nil, err
		}
	}
	byYear := map[int][]string{}
	for _, id := range s.ids {
		y, _ := strconv.Atoi(strings.SplitN(id, "/", 2)[0])
		byYear[y] = append(byYear[y], id)
	}
	var outs []Output
	write := func(rel, content string, table string, year, rows int) error {
		path := filepath.Join(s.dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			return err
		}
		sum := sha256.Sum256([]byte(content))
		outs = append(outs, Output{Path: rel, Table: table, Year: year, Rows: int64(rows), Bytes: int64(len(content)), SHA256: hex.EncodeToString(sum[:])})
		return nil
	}
	years := make([]int, 0, len(byYear))
	for y := range byYear {
		years = append(years, y)
	}
	slices.Sort(years)
	for _, y := range years {
		ids := byYear[y]
		content := strings.Join(ids, "\n") + "\n"
		if err := write(fmt.Sprintf("parquet/reports/year=%d/part-00000.parquet", y), content, "reports", y, len(ids)); err != nil {
			return nil, err
		}
		if err := write(fmt.Sprintf("govreports-%d.xlsx", y), content, "", y, len(ids)); err != nil {
			return nil, err
		}
	}
	return outs, nil
}

// harness runs the pipeline in-process over a temporary input folder with the fakes.
type harness struct {
	t     *testing.T
	in    string
	out   string
	sinks []*fakeSink
	// configure adjusts each new sink before use.
	configure func(*fakeSink)
}

func newHarness(t *testing.T, files map[string]string) *harness {
	t.Helper()
	root := t.TempDir()
	h := &harness{t: t, in: filepath.Join(root, "in"), out: filepath.Join(root, "out")}
	writeFiles(t, h.in, files)
	return h
}

// runAll runs the pipeline over files (two workers) and fails unless it succeeds with every one
// of want reports committed; it returns the output folder.
func runAll(t *testing.T, files map[string]string, want int) string {
	t.Helper()
	root := t.TempDir()
	in, out := filepath.Join(root, "in"), filepath.Join(root, "out")
	writeFiles(t, in, files)
	res, err := Run(context.Background(), Config{In: in, Out: out, Workers: 2, Version: "test"})
	if err != nil {
		t.Fatalf("the run failed: %v", err)
	}
	if s := res.Summary; s.Status != StatusSucceeded || s.Totals.Reports != want {
		t.Fatalf("status %s, totals %+v; want every report committed", s.Status, s.Totals)
	}
	return out
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func (h *harness) config() Config {
	return Config{
		In:      h.in,
		Out:     h.out,
		Workers: 3,
		Version: "test",
		Args:    []string{"run", "--in", h.in},
		Stages:  fakeStages(nil),
		NewSink: func(dir string, opt SinkOptions) (Sink, error) {
			s := &fakeSink{dir: dir, opt: opt}
			if h.configure != nil {
				h.configure(s)
			}
			h.sinks = append(h.sinks, s)
			return s, nil
		},
	}
}

func (h *harness) sink() *fakeSink {
	h.t.Helper()
	if len(h.sinks) == 0 {
		h.t.Fatal("no sink was opened")
	}
	return h.sinks[len(h.sinks)-1]
}

// snapshot maps every file a reader finds under dir (relative, slash-separated) to its content.
// It follows links, as a reader does, and leaves out the datasets/ folder and the current link,
// which the stable paths lead into.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	var walk func(real, rel string)
	walk = func(real, rel string) {
		entries, err := os.ReadDir(real)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			name := path.Join(rel, e.Name())
			if name == datasetsDir || name == currentLink || name == cacheDir {
				continue
			}
			p := filepath.Join(real, e.Name())
			info, err := os.Stat(p)
			if errors.Is(err, fs.ErrNotExist) {
				continue // a stable path the current dataset lacks: absent for a reader
			}
			if err != nil {
				t.Fatal(err)
			}
			if info.IsDir() {
				walk(p, name)
				continue
			}
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			files[name] = string(data)
		}
	}
	walk(dir, "")
	return files
}

func readSummary(t *testing.T, path string) Summary {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var s Summary
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return s
}
