package pipeline

import (
	"bytes"
	"context"
	bin "encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/rs/zerolog"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/fixtures/synth"
	"github.com/govreports/govreports/transform"
)

// cachedHarness is the fake-stage harness with the cache on; extracted counts the files the
// extract stage read.
func cachedHarness(t *testing.T, files map[string]string) (*harness, func() Config, *[]string) {
	h := newHarness(t, files)
	var mu sync.Mutex
	var extracted []string
	return h, func() Config {
		cfg := h.config()
		cfg.StagesID = "fake"
		cfg.Stages = fakeStages(func(path string) {
			mu.Lock()
			extracted = append(extracted, filepath.Base(path))
			mu.Unlock()
		})
		extracted = extracted[:0]
		return cfg
	}, &extracted
}

// packDir is the cache's format folder of out.
func packDir(out string) string { return filepath.Join(out, cacheDir, cacheFormatDir) }

// cacheIndex reads every readable index in out's cache whose pack exists: entry key (hex) -> its
// place. A key in two packs keeps the one load would (the pack whose index is listed first).
func cacheIndex(t *testing.T, out string) map[string]entryPlace {
	t.Helper()
	m := map[string]entryPlace{}
	names, _ := os.ReadDir(packDir(out))
	for _, d := range names {
		id, ext, ok := packID(d.Name())
		if !ok || ext != indexExt {
			continue
		}
		entries, err := readPackIndex(filepath.Join(packDir(out), d.Name()))
		if err != nil {
			continue
		}
		pack := filepath.Join(packDir(out), packPrefix+id+packExt)
		if _, err := os.Stat(pack); err != nil {
			continue
		}
		for _, e := range entries {
			if _, dup := m[e.key.String()]; !dup {
				m[e.key.String()] = entryPlace{pack: pack, entry: e}
			}
		}
	}
	return m
}

type entryPlace struct {
	pack  string
	entry packEntry
}

// cacheEntries lists the keys of the entries in out's cache.
func cacheEntries(t *testing.T, out string) []string {
	t.Helper()
	return slices.Sorted(maps.Keys(cacheIndex(t, out)))
}

// cachePacks lists the ids of the packs in out's cache that have a readable index.
func cachePacks(t *testing.T, out string) []string {
	t.Helper()
	var ids []string
	names, _ := os.ReadDir(packDir(out))
	for _, d := range names {
		id, ext, ok := packID(d.Name())
		if !ok || ext != indexExt {
			continue
		}
		if _, err := readPackIndex(filepath.Join(packDir(out), d.Name())); err != nil {
			continue
		}
		if _, err := os.Stat(filepath.Join(packDir(out), packPrefix+id+packExt)); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// cacheFiles lists the files in out's cache format folder, and anything beside it in .cache.
func cacheFiles(t *testing.T, out string) []string {
	t.Helper()
	var names []string
	filepath.WalkDir(filepath.Join(out, cacheDir), func(p string, d fs.DirEntry, err error) error {
		if err == nil && p != filepath.Join(out, cacheDir) && p != packDir(out) {
			rel, _ := filepath.Rel(filepath.Join(out, cacheDir), p)
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	return names
}

// entryOf is the cache key (hex) of one input of the run configured by cfg.
func entryOf(t *testing.T, cfg Config, name string) string {
	t.Helper()
	cfg, err := cfg.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(cfg.In, name))
	if err != nil {
		t.Fatal(err)
	}
	c := newInputCache(cfg)
	sum := extract.SHA256Hex(data)
	return c.key(Input{Path: filepath.Join(cfg.In, name), Rel: name}, sum).String()
}

// placeOf is where the entry of key is in out's cache.
func placeOf(t *testing.T, out, key string) entryPlace {
	t.Helper()
	p, ok := cacheIndex(t, out)[key]
	if !ok {
		t.Fatalf("no cache entry %s", key)
	}
	return p
}

// entryData is the entry of key in out's cache, without its frame.
func entryData(t *testing.T, out, key string) []byte {
	t.Helper()
	p := placeOf(t, out, key)
	data := readFile(t, p.pack)
	return data[p.entry.off+frameHeader : p.entry.off+p.entry.frame()]
}

// setEntry makes data the entry of key in out's cache: it appends a frame holding it to the
// entry's pack and points the pack's index at it, as a wrong writer would.
func setEntry(t *testing.T, out, key string, data []byte) {
	t.Helper()
	p := placeOf(t, out, key)
	pack := readFile(t, p.pack)
	off := int64(len(pack))
	pack = bin.LittleEndian.AppendUint32(pack, uint32(len(data)))
	writeFile(t, p.pack, append(pack, data...))
	id, _, _ := packID(filepath.Base(p.pack))
	entries, err := readPackIndex(filepath.Join(packDir(out), packPrefix+id+indexExt))
	if err != nil {
		t.Fatal(err)
	}
	for i := range entries {
		if entries[i].key.String() == key {
			entries[i].off, entries[i].n = off, uint32(len(data))
		}
	}
	if err := writePackIndex(packDir(out), id, entries); err != nil {
		t.Fatal(err)
	}
}

// patchPack overwrites the pack at path at off.
func patchPack(t *testing.T, path string, off int64, b []byte) {
	t.Helper()
	data := readFile(t, path)
	copy(data[off:], b)
	writeFile(t, path, data)
}

func TestCacheRerunReadsOnlyWhatChanged(t *testing.T) {
	h, config, extracted := cachedHarness(t, map[string]string{
		"a.txt": "id:a", "b.txt": "id:b", "c.txt": "id:c year:2023", "bad.txt": "fail",
	})
	res, err := Run(context.Background(), config())
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary.Totals.Cached != 0 || len(*extracted) != 4 {
		t.Fatalf("first run: cached %d, extracted %v; want 0 and every file", res.Summary.Totals.Cached, *extracted)
	}
	if n := len(cacheEntries(t, h.out)); n != 4 {
		t.Fatalf("%d cache entries, want 4 (three reports and the reject)", n)
	}
	first := snapshot(t, h.out)

	// No change: nothing is read again, the outputs are the same.
	res, err = Run(context.Background(), config())
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary.Totals.Cached != 4 || len(*extracted) != 0 {
		t.Errorf("rerun: cached %d, extracted %v; want 4 and none", res.Summary.Totals.Cached, *extracted)
	}
	if got := snapshot(t, h.out); !sameOutputs(first, got) {
		t.Errorf("rerun changed the outputs")
	}
	if res.Summary.OutputsFrom == "" || h.sink().written {
		t.Errorf("unchanged rerun wrote its outputs again (outputs_from %q)", res.Summary.OutputsFrom)
	}
	for _, in := range res.Summary.Inputs {
		if !in.Cached {
			t.Errorf("input %s not marked cached", in.Path)
		}
		if filepath.Base(in.Path) == "bad.txt" && (in.Reject == nil || in.Reject.Place != "3:7") {
			t.Errorf("cached reject %+v, want the transform's with its place", in.Reject)
		}
	}

	// Change one, add one, remove one: only the changed and the new are read, and the removed
	// one's entry is pruned.
	writeFiles(t, h.in, map[string]string{"b.txt": "id:b2", "d.txt": "id:d"})
	os.Remove(filepath.Join(h.in, "c.txt"))
	res, err = Run(context.Background(), config())
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(*extracted)
	if want := []string{"b.txt", "d.txt"}; !slices.Equal(*extracted, want) || res.Summary.Totals.Cached != 2 {
		t.Errorf("after changes: extracted %v, cached %d; want %v and 2", *extracted, res.Summary.Totals.Cached, want)
	}
	if got := h.sink().ids; !slices.Equal(got, []string{"2024/a", "2024/b2", "2024/d"}) {
		t.Errorf("reports %v", got)
	}
	// c's and b's old entries share a pack with a's and bad's, which the run used: whether the
	// pack was compacted depends on the entries' sizes. The four used ones are there in any case.
	got := cacheEntries(t, h.out)
	for _, name := range []string{"a.txt", "b.txt", "d.txt", "bad.txt"} {
		if !slices.Contains(got, entryOf(t, config(), name)) {
			t.Errorf("no cache entry for %s after the commit", name)
		}
	}
}

// sameOutputs compares two snapshots without run.json, whose times and run id differ.
func sameOutputs(a, b map[string]string) bool {
	a, b = maps2(a), maps2(b)
	for _, name := range []string{summaryFile, lockFile} {
		delete(a, name)
		delete(b, name)
	}
	return mapsEqual(a, b)
}

func maps2(m map[string]string) map[string]string {
	c := make(map[string]string, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// TestCacheEntryNotTrusted spoils one entry in each way a cache can be wrong: the input is read
// again with a warning naming it, the outputs are those of a full run, and the entry is rewritten.
func TestCacheEntryNotTrusted(t *testing.T) {
	spoil := map[string]func(t *testing.T, out, entry, other string){
		"corrupt": func(t *testing.T, out, entry, _ string) {
			p := placeOf(t, out, entry)
			at := p.entry.off + p.entry.frame()/2
			patchPack(t, p.pack, at, []byte{readFile(t, p.pack)[at] ^ 0x40})
		},
		"truncated": func(t *testing.T, out, entry, _ string) {
			data := entryData(t, out, entry)
			setEntry(t, out, entry, data[:len(data)-5])
		},
		"empty": func(t *testing.T, out, entry, _ string) { setEntry(t, out, entry, nil) },
		"frame of another length": func(t *testing.T, out, entry, _ string) {
			p := placeOf(t, out, entry)
			patchPack(t, p.pack, p.entry.off, bin.LittleEndian.AppendUint32(nil, p.entry.n-1))
		},
		"another input's": func(t *testing.T, out, entry, other string) {
			setEntry(t, out, entry, entryData(t, out, other))
		},
		"another version's": func(t *testing.T, out, entry, _ string) {
			// What a run of another version wrote for this very input, moved to this key.
			dir := t.TempDir()
			writeFiles(t, filepath.Join(dir, "in"), map[string]string{"a.txt": "id:a"})
			cfg := Config{In: filepath.Join(dir, "in"), Out: filepath.Join(dir, "out"), Version: "other",
				StagesID: "fake", Stages: fakeStages(nil)}
			if _, err := Run(context.Background(), cfg); err != nil {
				t.Fatal(err)
			}
			setEntry(t, out, entry, entryData(t, cfg.Out, entryOf(t, cfg, "a.txt")))
		},
	}
	for name, spoil := range spoil {
		t.Run(name, func(t *testing.T) {
			h, config, extracted := cachedHarness(t, map[string]string{"a.txt": "id:a", "b.txt": "id:b"})
			if _, err := Run(context.Background(), config()); err != nil {
				t.Fatal(err)
			}
			first := snapshot(t, h.out)
			spoil(t, h.out, entryOf(t, config(), "a.txt"), entryOf(t, config(), "b.txt"))

			var logBuf bytes.Buffer
			cfg := config()
			log := zerolog.New(&logBuf)
			cfg.Log = &log
			res, err := Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(*extracted, []string{"a.txt"}) || res.Summary.Totals.Cached != 1 {
				t.Errorf("extracted %v, cached %d; want a.txt read again, b.txt cached", *extracted, res.Summary.Totals.Cached)
			}
			if !strings.Contains(logBuf.String(), "cache entry ignored") || !strings.Contains(logBuf.String(), "a.txt") {
				t.Errorf("no warning naming the input:\n%s", logBuf.String())
			}
			if !sameOutputs(first, snapshot(t, h.out)) {
				t.Error("outputs differ from the full run's")
			}
			// The entry was written again and is trusted by the next run.
			if res, err := Run(context.Background(), config()); err != nil || res.Summary.Totals.Cached != 2 {
				t.Errorf("next run: cached %d (%v), want 2", res.Summary.Totals.Cached, err)
			}
		})
	}
}

func TestCacheFullIgnoresAndRewrites(t *testing.T) {
	h, config, extracted := cachedHarness(t, map[string]string{"a.txt": "id:a", "b.txt": "id:b"})
	if _, err := Run(context.Background(), config()); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a.txt", "b.txt"} {
		setEntry(t, h.out, entryOf(t, config(), name), []byte("spoilt"))
	}
	var logBuf bytes.Buffer
	cfg := config()
	cfg.Full = true
	log := zerolog.New(&logBuf)
	cfg.Log = &log
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(*extracted) != 2 || res.Summary.Totals.Cached != 0 || strings.Contains(logBuf.String(), "cache entry") {
		t.Errorf("--full: extracted %v, cached %d, log %s; want every file read, the cache not even looked at",
			*extracted, res.Summary.Totals.Cached, logBuf.String())
	}
	if res, err := Run(context.Background(), config()); err != nil || res.Summary.Totals.Cached != 2 {
		t.Errorf("after --full: cached %d (%v), want 2: --full rewrites the entries", res.Summary.Totals.Cached, err)
	}
	if n := len(cachePacks(t, h.out)); n != 1 {
		t.Errorf("%d packs after --full and a rerun, want 1: --full leaves the earlier packs unused", n)
	}
}

// TestCacheNotPoisonedByAFailedRun: a night that commits nothing (here: refused, every input
// unreadable) neither prunes the entries of the inputs it did not see nor leaves temporary files,
// and the next good night finds them all.
func TestCacheNotPoisonedByAFailedRun(t *testing.T) {
	h, config, extracted := cachedHarness(t, map[string]string{"a.txt": "id:a", "b.txt": "id:b"})
	if _, err := Run(context.Background(), config()); err != nil {
		t.Fatal(err)
	}
	before := cacheEntries(t, h.out)
	aside := t.TempDir()
	for _, name := range []string{"a.txt", "b.txt"} {
		os.Rename(filepath.Join(h.in, name), filepath.Join(aside, name))
	}
	writeFiles(t, h.in, map[string]string{"junk.txt": "fail"})
	// A crashed writer's temporary file, which a committed run removes.
	writeFiles(t, filepath.Join(h.out, cacheDir, cacheFormatDir), map[string]string{cacheTmpPrefix + "crashed": "half"})
	if _, err := Run(context.Background(), config()); err == nil {
		t.Fatal("a night of junk was committed")
	}
	after := cacheEntries(t, h.out)
	for _, k := range before {
		if !slices.Contains(after, k) {
			t.Errorf("entry %s removed by a run that committed nothing", k)
		}
	}
	os.Remove(filepath.Join(h.in, "junk.txt"))
	for _, name := range []string{"a.txt", "b.txt"} {
		os.Rename(filepath.Join(aside, name), filepath.Join(h.in, name))
	}
	res, err := Run(context.Background(), config())
	if err != nil {
		t.Fatal(err)
	}
	if res.Summary.Totals.Cached != 2 || len(*extracted) != 0 {
		t.Errorf("after the failed night: cached %d, extracted %v; want both cached", res.Summary.Totals.Cached, *extracted)
	}
	if got := cacheEntries(t, h.out); !slices.Equal(got, before) {
		t.Errorf("entries after the next commit %v, want %v (junk's entry pruned)", got, before)
	}
	for _, f := range cacheFiles(t, h.out) {
		if strings.Contains(f, cacheTmpPrefix) {
			t.Errorf("temporary file %s left after a commit", f)
		}
	}
}

// TestCacheKeyedBySettings: a setting that changes what the stages make of a file (here a limit)
// misses the cache.
func TestCacheKeyedBySettings(t *testing.T) {
	_, config, extracted := cachedHarness(t, map[string]string{"a.txt": "id:a"})
	if _, err := Run(context.Background(), config()); err != nil {
		t.Fatal(err)
	}
	cfg := config()
	cfg.Limits.MaxRows = 5
	if res, err := Run(context.Background(), cfg); err != nil || res.Summary.Totals.Cached != 0 || len(*extracted) != 1 {
		t.Errorf("another --max-rows: cached %d, extracted %v (%v); want the file read again", res.Summary.Totals.Cached, *extracted, err)
	}
}

// TestIncrementalMatchesFullRun runs the real stages and writers over a folder that changes
// (a file added, one changed, one removed), each time incrementally in one output folder (on
// one worker, then on three) and in full in a fresh one: the data files and workbooks are the same.
func TestIncrementalMatchesFullRun(t *testing.T) {
	seed, err := os.ReadFile(filepath.Join("..", "fixtures", "seed", "input.txt"))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 3))
	report := func() string { return string(synth.Random(rng).Render(synth.Tabs)) }
	files := map[string]string{
		"seed/input.txt": string(seed),
		"bad/input.txt":  "\x00\x01 not a report \x00",
		"copy/input.txt": string(seed),
	}
	for i := range 3 {
		files[fmt.Sprintf("synth/%d.txt", i)] = report()
	}
	root := t.TempDir()
	in, incr := filepath.Join(root, "in"), filepath.Join(root, "incr")
	writeFiles(t, in, files)
	steps := []struct {
		name   string
		change func()
		cached int
	}{
		{"first", func() {}, 0},
		{"unchanged", func() {}, 6},
		{"added", func() { writeFiles(t, in, map[string]string{"synth/new.txt": report()}) }, 6},
		{"changed", func() { writeFiles(t, in, map[string]string{"synth/1.txt": report()}) }, 6},
		{"removed", func() { os.Remove(filepath.Join(in, "synth", "0.txt")) }, 6},
	}
	if raceEnabled {
		// Every change at once, compared with a full run only then: three runs instead of ten.
		all := steps[2:]
		steps = []struct {
			name   string
			change func()
			cached int
		}{steps[0], {"all changes", func() {
			for _, s := range all {
				s.change()
			}
		}, 4}}
	}
	for i, step := range steps {
		step.change()
		inc, err := Run(context.Background(), Config{In: in, Out: incr, Workers: 1 + 2*(i%2), Version: "test"})
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if raceEnabled && i < len(steps)-1 {
			continue
		}
		full, err := Run(context.Background(), Config{In: in, Out: filepath.Join(root, "full"+fmt.Sprint(i)), Workers: 2, Version: "test", Full: true})
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if inc.Summary.Totals.Cached != step.cached || full.Summary.Totals.Cached != 0 {
			t.Errorf("%s: cached %d (full run %d), want %d", step.name, inc.Summary.Totals.Cached, full.Summary.Totals.Cached, step.cached)
		}
		a, b := outputSums(inc.Summary), outputSums(full.Summary)
		if !slices.Equal(a, b) {
			t.Errorf("%s: incremental outputs differ from a full run's:\n%v\n%v", step.name, a, b)
		}
		if !sameOutputs(snapshot(t, incr), snapshot(t, full.Summary.Out)) {
			t.Errorf("%s: the output folders differ", step.name)
		}
		ta, tb := inc.Summary.Totals, full.Summary.Totals
		ta.Cached = 0
		if ta != tb {
			t.Errorf("%s: totals %+v, full run %+v", step.name, ta, tb)
		}
	}
}

func outputSums(s *Summary) []string {
	var l []string
	for _, o := range s.Outputs {
		l = append(l, o.Path+" "+o.SHA256)
	}
	return l
}

func readFile(t *testing.T, p string) []byte {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func writeFile(t *testing.T, p string, data []byte) {
	t.Helper()
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestReuseOutputs: an unchanged rerun links the last dataset's data files instead of writing
// them, unless anything they depend on changed or the files are not those recorded.
func TestReuseOutputs(t *testing.T) {
	cases := []struct {
		name   string
		change func(t *testing.T, h *harness, cfg *Config)
		reused bool
	}{
		{"unchanged", func(*testing.T, *harness, *Config) {}, true},
		{"full", func(_ *testing.T, _ *harness, cfg *Config) { cfg.Full = true }, false},
		{"excluded body", func(_ *testing.T, _ *harness, cfg *Config) { cfg.ExcludeBodies = []string{"X"} }, false},
		{"input renamed", func(t *testing.T, h *harness, _ *Config) {
			os.Rename(filepath.Join(h.in, "b.txt"), filepath.Join(h.in, "c.txt"))
		}, false},
		{"data file altered", func(t *testing.T, h *harness, _ *Config) {
			p := filepath.Join(h.out, "govreports-2024.xlsx")
			data := readFile(t, p)
			os.Remove(p) // the link: write the dataset's file itself
			writeFile(t, filepath.Join(h.out, currentLink, "govreports-2024.xlsx"), append(data, 'x'))
			os.Symlink(filepath.Join(currentLink, "govreports-2024.xlsx"), p)
		}, false},
		{"record spoilt", func(t *testing.T, h *harness, _ *Config) {
			writeFile(t, filepath.Join(h.out, cacheDir, cacheFormatDir, outputsRecordFile), []byte("{"))
		}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h, config, _ := cachedHarness(t, map[string]string{"a.txt": "id:a year:2023", "b.txt": "id:b", "bad.txt": "fail"})
			if _, err := Run(context.Background(), config()); err != nil {
				t.Fatal(err)
			}
			cfg := config()
			c.change(t, h, &cfg)
			res, err := Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if reused := res.Summary.OutputsFrom != ""; reused != c.reused || reused == h.sink().written {
				t.Fatalf("outputs_from %q, sink written %v; want reused %v", res.Summary.OutputsFrom, h.sink().written, c.reused)
			}
			// Whatever happened, the outputs are a full run's.
			full := config()
			full.Out, full.Full, full.ExcludeBodies = filepath.Join(t.TempDir(), "full"), true, cfg.ExcludeBodies
			want, err := Run(context.Background(), full)
			if err != nil {
				t.Fatal(err)
			}
			if a, b := outputSums(res.Summary), outputSums(want.Summary); !slices.Equal(a, b) {
				t.Errorf("outputs %v, a full run's %v", a, b)
			}
			if !sameOutputs(snapshot(t, h.out), snapshot(t, full.Out)) {
				t.Error("output folder differs from a full run's")
			}
			ta, tb := res.Summary.Totals, want.Summary.Totals
			ta.Cached = 0
			if ta != tb {
				t.Errorf("totals %+v, a full run's %+v", ta, tb)
			}
		})
	}
}

// TestGoBuildID: the build ID read from the test binary's ELF note is the one the go command
// reports for it; a file without one gives "".
func TestGoBuildID(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("ELF executables only")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	got := goBuildID(exe)
	out, err := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "tool", "buildid", exe).Output()
	if err != nil {
		t.Skipf("go tool buildid: %v", err)
	}
	if want := strings.TrimSpace(string(out)); got != want || got == "" {
		t.Errorf("goBuildID = %q, want %q", got, want)
	}
	if id := buildID(); id != "go:"+got {
		t.Errorf("buildID = %q, want the build ID", id)
	}
	plain := filepath.Join(t.TempDir(), "plain")
	if err := os.WriteFile(plain, []byte("not an executable"), 0o644); err != nil {
		t.Fatal(err)
	}
	if id := goBuildID(plain); id != "" {
		t.Errorf("a text file has build ID %q", id)
	}
}

// TestCacheEntryOneAllocation: an entry is built in one allocation, however large its reports:
// they are most of its bytes, which growing it would copy again and again.
func TestCacheEntryOneAllocation(t *testing.T) {
	res := &fileResult{format: "text", encoding: "utf-8", bytes: 9000}
	for i := range 3 {
		enc, err := (&transform.Report{ID: fmt.Sprint("r", i), Unit: "单位", Title: strings.Repeat("报告", 1000)}).AppendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		res.reports = append(res.reports, encodedReport{id: fmt.Sprint("r", i), unit: "单位", enc: enc,
			refused: errors.New("refused")})
	}
	var k cacheKey
	var entry []byte
	if n := testing.AllocsPerRun(10, func() { entry = encodeCacheEntry(k, res) }); n > 1 {
		t.Errorf("%.0f allocations for an entry, want 1", n)
	}
	var back fileResult
	if err := decodeCacheEntry(entry, k, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.reports) != 3 || !bytes.Equal(back.reports[2].enc, res.reports[2].enc) || back.reports[1].id != "r1" {
		t.Errorf("the entry reads back as %+v", back.reports)
	}
}
