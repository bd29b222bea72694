package main

import (
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/govreports/govreports/fixtures/city"
	"github.com/govreports/govreports/fixtures/synth"
)

// cmdGen writes synthetic reports: --n random reports of real bodies, or --city a whole city over
// several years with its manifest. The same flags give the same files.
func cmdGen(args []string, env cliEnv) int {
	fs := newFlags("gen", env)
	n := fs.Int("n", 0, "number of random reports to write")
	out := fs.String("out", "", "folder to write them into (created if missing)")
	seed := fs.Uint64("seed", 1, "random seed")
	layout := fs.String("layout", string(synth.Tabs), "with --n: how the tables are printed")
	cityName := fs.String("city", "", "write a whole city's reports, a prefecture-level city of the division codes by name or code (平顶山市, 410400), with manifest.json")
	years := fs.String("years", "2023-2025", "with --city: the report years, FIRST-LAST")
	perCounty := fs.Int("units-per-county", 0, "with --city: units under each district or county besides its government and office (0: 6 departments and every township)")
	clean := fs.Bool("clean", false, "with --city: plant no defects")
	if code := parseFlags(fs, args); code >= 0 {
		return code
	}
	switch {
	case *out == "" || (*n <= 0) == (*cityName == ""):
		fmt.Fprintln(env.stderr, "govreports gen: --out and either --n (at least 1) or --city are required")
		return exitUsage
	case *cityName != "":
		ys, err := parseYears(*years)
		if err != nil {
			fmt.Fprintf(env.stderr, "govreports gen: --years: %v\n", err)
			return exitUsage
		}
		if *perCounty < 0 {
			fmt.Fprintln(env.stderr, "govreports gen: --units-per-county must not be negative")
			return exitUsage
		}
		return genCity(env, *out, city.Options{City: *cityName, Years: ys, Seed: *seed, UnitsPerCounty: *perCounty,
			Clean: *clean, Out: filepath.ToSlash(*out)})
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

// parseYears reads "2023-2025" or "2024".
func parseYears(s string) ([]int, error) {
	first, last, ok := strings.Cut(s, "-")
	if !ok {
		last = first
	}
	a, err1 := strconv.Atoi(strings.TrimSpace(first))
	b, err2 := strconv.Atoi(strings.TrimSpace(last))
	if err1 != nil || err2 != nil || a > b || b-a > 20 {
		return nil, fmt.Errorf("%q is not FIRST-LAST (2023-2025)", s)
	}
	var ys []int
	for y := a; y <= b; y++ {
		ys = append(ys, y)
	}
	return ys, nil
}

func genCity(env cliEnv, out string, opt city.Options) int {
	c, err := city.Generate(opt)
	if err != nil {
		fmt.Fprintf(env.stderr, "govreports gen: %v\n", err)
		return exitUsage
	}
	if err := c.Write(out); err != nil {
		fmt.Fprintf(env.stderr, "govreports gen: %v\n", err)
		return exitFatal
	}
	m := c.Manifest
	size := 0
	for _, f := range c.Files {
		size += len(f.Data)
	}
	fmt.Fprintf(env.stdout, "%s%s %d–%d: %d units, %d report files (%.1f MB) in %s, %d planted defects; the truth in %s\n",
		m.Province.Name, m.City.Name, m.Years[0], m.Years[len(m.Years)-1], len(m.Units), len(c.Files), float64(size)/1e6,
		filepath.Join(out, city.ReportsDir), len(m.Defects), filepath.Join(out, city.ManifestFile))
	return exitOK
}

// gen writes n random reports: the seed report first, then random ones of real bodies (a city of
// the division codes and one of its units), all distinct in content (a duplicate would be
// rejected by run and skew a benchmark).
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
			r.City, r.Body = city.RandomBody(rng)
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
