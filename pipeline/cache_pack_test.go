package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/rs/zerolog"
)

// runLogged runs cfg and returns its result and its log.
func runLogged(t *testing.T, cfg Config) (Result, string) {
	t.Helper()
	var buf bytes.Buffer
	log := zerolog.New(&buf)
	cfg.Log = &log
	res, err := Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return res, buf.String()
}

// cacheWarnings are the warnings in a run's log about the cache.
func cacheWarnings(log string) []string {
	var l []string
	for line := range strings.Lines(log) {
		if strings.Contains(line, `"level":"warn"`) && strings.Contains(line, "cache") {
			l = append(l, line)
		}
	}
	return l
}

// onlyIndexedPacks fails when out's cache format folder holds anything but packs with their
// index and the outputs record.
func onlyIndexedPacks(t *testing.T, out string) {
	t.Helper()
	packs := cachePacks(t, out)
	for _, f := range cacheFiles(t, out) {
		id, _, ok := packID(strings.TrimPrefix(f, cacheFormatDir+"/"))
		if f != cacheFormatDir+"/"+outputsRecordFile && !(ok && slices.Contains(packs, id)) {
			t.Errorf("%s left in the cache", f)
		}
	}
}

// TestCachePackDamage damages the one pack of a run in each way a crash, a power cut or a disk
// can: the inputs whose entries cannot be trusted are read again (with a warning, but for a pack
// whose index was never written), the others are taken from the cache, and the next commit leaves
// only packs with an index.
func TestCachePackDamage(t *testing.T) {
	const entryWarning, packWarning = "cache entry ignored", "cache pack ignored"
	// Each damages the pack (entries by offset) and says which inputs (by index in entries, -1:
	// all) are read again and the warning it gives.
	cases := []struct {
		name   string
		damage func(t *testing.T, pack string, entries []packEntry) (int, string)
	}{
		{"torn tail", func(t *testing.T, pack string, e []packEntry) (int, string) {
			last := e[len(e)-1]
			os.Truncate(pack, last.off+last.frame()-3)
			return len(e) - 1, entryWarning
		}},
		{"torn frame header", func(t *testing.T, pack string, e []packEntry) (int, string) {
			os.Truncate(pack, e[len(e)-1].off+2)
			return len(e) - 1, entryWarning
		}},
		{"corrupt entry in the middle", func(t *testing.T, pack string, e []packEntry) (int, string) {
			mid := e[1]
			at := mid.off + mid.frame()/2
			patchPack(t, pack, at, []byte{readFile(t, pack)[at] ^ 0x01})
			return 1, entryWarning
		}},
		{"no index (a crash before it was written)", func(t *testing.T, pack string, _ []packEntry) (int, string) {
			os.Remove(strings.TrimSuffix(pack, packExt) + indexExt)
			return -1, ""
		}},
		{"corrupt index", func(t *testing.T, pack string, _ []packEntry) (int, string) {
			idx := strings.TrimSuffix(pack, packExt) + indexExt
			patchPack(t, idx, 20, []byte{readFile(t, idx)[20] ^ 0x01})
			return -1, packWarning
		}},
		{"index without its pack", func(t *testing.T, pack string, _ []packEntry) (int, string) {
			os.Remove(pack)
			return -1, packWarning
		}},
		{"not a pack", func(t *testing.T, pack string, _ []packEntry) (int, string) {
			patchPack(t, pack, 0, []byte("GRCPACK1"))
			return -1, packWarning
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{"a.txt": "id:a", "b.txt": "id:b", "c.txt": "id:c"}
			h, config, extracted := cachedHarness(t, files)
			if _, err := Run(context.Background(), config()); err != nil {
				t.Fatal(err)
			}
			index := cacheIndex(t, h.out)
			nameOf := map[cacheKey]string{}
			for name := range files {
				k := placeOf(t, h.out, entryOf(t, config(), name)).entry.key
				nameOf[k] = name
			}
			var entries []packEntry
			var pack string
			for _, p := range index {
				entries, pack = append(entries, p.entry), p.pack
			}
			slices.SortFunc(entries, func(a, b packEntry) int { return int(a.off - b.off) })
			if len(entries) != 3 || len(cachePacks(t, h.out)) != 1 {
				t.Fatalf("first run: %d entries in %d packs, want 3 in 1", len(entries), len(cachePacks(t, h.out)))
			}

			damaged, warning := c.damage(t, pack, entries)
			want := slices.Sorted(func(yield func(string) bool) {
				for i, e := range entries {
					if (damaged < 0 || i == damaged) && !yield(nameOf[e.key]) {
						return
					}
				}
			})
			res, log := runLogged(t, config())
			slices.Sort(*extracted)
			if !slices.Equal(*extracted, want) || res.Summary.Totals.Cached != 3-len(want) {
				t.Errorf("extracted %v, cached %d; want %v read again", *extracted, res.Summary.Totals.Cached, want)
			}
			warnings := cacheWarnings(log)
			switch {
			case warning == "" && len(warnings) != 0:
				t.Errorf("a warning about a pack nobody indexed:\n%s", warnings)
			case warning != "" && (len(warnings) != 1 || !strings.Contains(warnings[0], warning)):
				t.Errorf("warnings %s, want one %q", warnings, warning)
			case warning == entryWarning && !strings.Contains(warnings[0], filepath.Join(h.in, want[0])):
				t.Errorf("warning %s does not name %s", warnings[0], want[0])
			}
			onlyIndexedPacks(t, h.out)
			res, log = runLogged(t, config())
			if res.Summary.Totals.Cached != 3 || len(cacheWarnings(log)) != 0 {
				t.Errorf("next run: cached %d, want 3 without warnings:\n%s", res.Summary.Totals.Cached, log)
			}
		})
	}
}

// TestCacheTwoRunsPacks: a run that adds an input writes a second pack; the next run reads from both.
func TestCacheTwoRunsPacks(t *testing.T) {
	h, config, extracted := cachedHarness(t, map[string]string{"a.txt": "id:a", "b.txt": "id:b"})
	if _, err := Run(context.Background(), config()); err != nil {
		t.Fatal(err)
	}
	first := cachePacks(t, h.out)
	writeFiles(t, h.in, map[string]string{"c.txt": "id:c"})
	if res, _ := runLogged(t, config()); res.Summary.Totals.Cached != 2 || !slices.Equal(*extracted, []string{"c.txt"}) {
		t.Errorf("second run: cached %d, extracted %v; want a and b cached", res.Summary.Totals.Cached, *extracted)
	}
	packs := cachePacks(t, h.out)
	if len(packs) != 2 || !slices.Contains(packs, first[0]) {
		t.Fatalf("packs %v after the second run, want the first run's %v and one more", packs, first)
	}
	res, log := runLogged(t, config())
	if res.Summary.Totals.Cached != 3 || len(*extracted) != 0 || len(cacheWarnings(log)) != 0 {
		t.Errorf("third run: cached %d, extracted %v; want all three from two packs:\n%s", res.Summary.Totals.Cached, *extracted, log)
	}
	if got := cachePacks(t, h.out); !slices.Equal(got, packs) {
		t.Errorf("packs %v after an unchanged run, want %v", got, packs)
	}
	onlyIndexedPacks(t, h.out)
}

// TestCacheCompaction: a pack less than half used is copied (its used entries) into the run's
// pack and removed; one at least half used stays as it is.
func TestCacheCompaction(t *testing.T) {
	cases := []struct {
		name    string
		remove  []string
		compact bool
	}{
		{"one in four used", []string{"b.txt", "c.txt", "d.txt"}, true},
		{"three in four used", []string{"d.txt"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := map[string]string{"a.txt": "id:a", "b.txt": "id:b", "c.txt": "id:c", "d.txt": "id:d"}
			h, cfg, extracted := cachedHarness(t, files)
			config := func() Config {
				c := cfg()
				c.AllowShrink = true // the outputs lose three reports in four
				return c
			}
			if _, err := Run(context.Background(), config()); err != nil {
				t.Fatal(err)
			}
			first := cachePacks(t, h.out)
			var kept []string
			for name := range files {
				if slices.Contains(c.remove, name) {
					os.Remove(filepath.Join(h.in, name))
				} else {
					kept = append(kept, entryOf(t, config(), name))
				}
			}
			slices.Sort(kept)
			res, _ := runLogged(t, config())
			if res.Summary.Totals.Cached != len(kept) {
				t.Fatalf("cached %d, want %d", res.Summary.Totals.Cached, len(kept))
			}
			packs, entries := cachePacks(t, h.out), cacheEntries(t, h.out)
			switch {
			case len(packs) != 1:
				t.Errorf("packs %v, want one", packs)
			case c.compact && (packs[0] == first[0] || !slices.Equal(entries, kept)):
				t.Errorf("pack %s (first run's %s) holds %v; want a new pack with only %v", packs[0], first[0], entries, kept)
			case !c.compact && (packs[0] != first[0] || len(entries) != len(files)):
				t.Errorf("pack %s (first run's %s) holds %d entries; want the first run's pack as it was", packs[0], first[0], len(entries))
			}
			onlyIndexedPacks(t, h.out)
			res, log := runLogged(t, config())
			if res.Summary.Totals.Cached != len(kept) || len(*extracted) != 0 || len(cacheWarnings(log)) != 0 {
				t.Errorf("after compaction: cached %d, extracted %v, want all cached:\n%s", res.Summary.Totals.Cached, *extracted, log)
			}
		})
	}
}

// TestCachePackCount: nights that each add an input add a small pack each; past maxPacks the
// smallest are copied into the night's pack, and every entry is still found.
func TestCachePackCount(t *testing.T) {
	h, config, _ := cachedHarness(t, map[string]string{"big.txt": "id:big " + strings.Repeat("x", 4096)})
	if _, err := Run(context.Background(), config()); err != nil {
		t.Fatal(err)
	}
	nights := maxPacks + 3
	if raceEnabled {
		nights = maxPacks + 1
	}
	for i := range nights {
		writeFiles(t, h.in, map[string]string{fmt.Sprintf("f%02d.txt", i): fmt.Sprintf("id:f%02d", i)})
		res, _ := runLogged(t, config())
		if res.Summary.Totals.Cached != i+1 {
			t.Fatalf("night %d: cached %d, want %d", i, res.Summary.Totals.Cached, i+1)
		}
		if n := len(cachePacks(t, h.out)); n > maxPacks || n != min(i+2, maxPacks) {
			t.Fatalf("night %d: %d packs, want %d", i, n, min(i+2, maxPacks))
		}
	}
	onlyIndexedPacks(t, h.out)
	packs := cachePacks(t, h.out)
	if res, _ := runLogged(t, config()); res.Summary.Totals.Cached != nights+1 {
		t.Errorf("last run: cached %d, want %d", res.Summary.Totals.Cached, nights+1)
	}
	if got := cachePacks(t, h.out); !slices.Equal(got, packs) {
		t.Errorf("an unchanged run at maxPacks packs changed them: %v, was %v", got, packs)
	}
}

// TestCachePruneRemoves: after a commit, a pack none of whose entries the run used, a pack
// without index, temporary files and an older format's cache are removed.
func TestCachePruneRemoves(t *testing.T) {
	h, config, _ := cachedHarness(t, map[string]string{"a.txt": "id:a", "b.txt": "id:b"})
	if _, err := Run(context.Background(), config()); err != nil {
		t.Fatal(err)
	}
	first := cachePacks(t, h.out)
	writeFiles(t, filepath.Join(h.out, cacheDir), map[string]string{
		"v1/ab/ab01": "an entry of the first format",
		cacheFormatDir + "/" + cacheTmpPrefix + "x":                 "a crashed writer's",
		cacheFormatDir + "/" + packPrefix + "0123456789abcdef.pack": packMagic + "a crashed run's",
	})
	writeFiles(t, h.in, map[string]string{"a.txt": "id:a2", "b.txt": "id:b2"})
	if res, _ := runLogged(t, config()); res.Summary.Totals.Cached != 0 {
		t.Fatalf("cached %d, want none", res.Summary.Totals.Cached)
	}
	packs := cachePacks(t, h.out)
	if len(packs) != 1 || packs[0] == first[0] {
		t.Errorf("packs %v, want only the second run's (the first run's %v was all dead)", packs, first)
	}
	onlyIndexedPacks(t, h.out)
}

// TestCacheKeyInTwoPacks: a prune that stopped after copying entries and before removing their
// pack leaves each key in two packs; the next run takes one and removes the other pack.
func TestCacheKeyInTwoPacks(t *testing.T) {
	h, config, _ := cachedHarness(t, map[string]string{"a.txt": "id:a", "b.txt": "id:b"})
	if _, err := Run(context.Background(), config()); err != nil {
		t.Fatal(err)
	}
	id := cachePacks(t, h.out)[0]
	for _, ext := range []string{packExt, indexExt} {
		data := readFile(t, filepath.Join(packDir(h.out), packPrefix+id+ext))
		writeFile(t, filepath.Join(packDir(h.out), packPrefix+"fedcba9876543210"+ext), data)
	}
	res, log := runLogged(t, config())
	if res.Summary.Totals.Cached != 2 || len(cacheWarnings(log)) != 0 {
		t.Errorf("cached %d, want 2 without warnings:\n%s", res.Summary.Totals.Cached, log)
	}
	if n := len(cachePacks(t, h.out)); n != 1 {
		t.Errorf("%d packs, want 1", n)
	}
	onlyIndexedPacks(t, h.out)
}

// TestCacheConcurrentPutGet: workers put and get at once (run it under -race); every entry is
// read back by the next run's cache.
func TestCacheConcurrentPutGet(t *testing.T) {
	cfg, err := Config{In: t.TempDir(), Out: t.TempDir(), Version: "test"}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	const workers, each = 4, 50
	keyOf := func(i int) cacheKey { return cacheKey{byte(i), byte(i >> 8), 1} }
	resOf := func(i int) fileResult {
		return fileResult{format: "txt", bytes: int64(i), reject: &RejectInfo{Stage: StageTransform, Reason: strings.Repeat("r", i)}}
	}
	c := newInputCache(cfg)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w * each; i < (w+1)*each; i++ {
				var res fileResult
				if c.get(Input{Path: "x"}, keyOf(i), &res) {
					t.Errorf("entry %d found before it was written", i)
				}
				res = resOf(i)
				c.put(Input{Path: "x"}, keyOf(i), &res)
			}
		})
	}
	wg.Wait()
	if n, err := c.prune(); err != nil || n != 0 {
		t.Fatalf("prune: %d removed, %v", n, err)
	}

	c = newInputCache(cfg)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < workers*each; i += workers {
				var res fileResult
				want := resOf(i)
				if !c.get(Input{Path: "x"}, keyOf(i), &res) || res.reject == nil || *res.reject != *want.reject || res.bytes != want.bytes {
					t.Errorf("entry %d: %+v, want %+v", i, res.reject, want.reject)
				}
			}
		})
	}
	wg.Wait()
	if _, err := c.prune(); err != nil {
		t.Fatal(err)
	}
	if n := len(cachePacks(t, cfg.Out)); n != 1 {
		t.Errorf("%d packs, want the one", n)
	}
}
