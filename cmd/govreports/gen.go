package main

import (
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"

	"github.com/govreports/govreports/fixtures/synth"
)

// cmdGen writes a synthetic corpus: the seed report first, then random reports, all distinct in
// content (a duplicate would be rejected by run and skew a benchmark). The same flags give the
// same files.
func cmdGen(args []string, env cliEnv) int {
	fs := newFlags("gen", env)
	n := fs.Int("n", 0, "number of reports to write")
	out := fs.String("out", "", "folder to write them into (created if missing)")
	seed := fs.Uint64("seed", 1, "random seed")
	layout := fs.String("layout", string(synth.Tabs), "how the tables are printed")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	switch {
	case *n <= 0 || *out == "":
		fmt.Fprintln(env.stderr, "govreports gen: --n (at least 1) and --out are required")
		return exitUsage
	case !slices.Contains(genLayouts(), synth.Layout(*layout)):
		fmt.Fprintf(env.stderr, "govreports gen: unknown layout %q (have %v)\n", *layout, genLayouts())
		return exitUsage
	}
	if err := gen(*out, *n, *seed, synth.Layout(*layout)); err != nil {
		fmt.Fprintf(env.stderr, "govreports gen: %v\n", err)
		return exitFatal
	}
	return exitOK
}

// genLayouts are the layouts gen writes: every text layout, and web pages scraped onto one line.
func genLayouts() []synth.Layout { return synth.AllLayouts() }

func gen(dir string, n int, seed uint64, layout synth.Layout) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	seen := make(map[[sha256.Size]byte]bool, n)
	for i := range n {
		var text []byte
		// Random reports of small bodies often coincide; redraw until the content is new.
		for attempt := 0; ; attempt++ {
			r := synth.Random(rng)
			if i == 0 && attempt == 0 {
				r = synth.Seed()
			}
			if layout == synth.Page {
				// A quarter of the pages print the 2019 trial format.
				_, _, text = synth.RandomPage(r, rng)
			} else {
				text = r.Render(layout)
			}
			if sum := sha256.Sum256(text); !seen[sum] {
				seen[sum] = true
				break
			}
			if attempt == 1000 {
				return fmt.Errorf("report %d: no new content after %d draws", i+1, attempt)
			}
		}
		name := filepath.Join(dir, fmt.Sprintf("report-%05d%s", i+1, layout.Ext()))
		if err := os.WriteFile(name, text, 0o644); err != nil {
			return err
		}
	}
	return nil
}
