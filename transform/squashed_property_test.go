package transform_test

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/fixtures/synth"
	"github.com/govreports/govreports/transform"
)

var long = flag.Bool("long", false, "run the property tests over many more random reports")

// truth maps every gov2021 cell path of a synthetic report to its value.
func truth(r synth.Report) map[string]int64 {
	m := map[string]int64{}
	for i := 0; i < transform.NumT2Current; i++ {
		m[transform.T2[i].Path()] = r.T2[i]
	}
	for row := 0; row < transform.NumT3Printed; row++ {
		for c := 0; c < transform.NumT3Cols; c++ {
			m[transform.T3Path(row, c)] = r.T3[row][c]
		}
	}
	for i := 0; i < transform.NumT4; i++ {
		m[transform.T4Path(i)] = r.T4[i]
	}
	return m
}

// recovery counts what a read of a synthetic report gave back.
type recovery struct {
	reports, complete   int
	cells, known, nulls int
	lost                int // cells the layout lost on purpose, null with a finding as they must be
	wrong               []string
}

func (rc *recovery) String() string {
	return fmt.Sprintf("%d reports, %d read completely (%.1f%%); %d cells: %d read (%.2f%%), %d null with a finding (%d of them lost by the layout), %d wrong",
		rc.reports, rc.complete, 100*float64(rc.complete)/float64(max(rc.reports, 1)), rc.cells, rc.known,
		100*float64(rc.known)/float64(max(rc.cells, 1)), rc.nulls+rc.lost, rc.lost, len(rc.wrong))
}

// check compares a read with the truth: every value must be the true one, or null with a finding
// naming its cell. A value that is wrong, or null without a finding, is a failure.
func (rc *recovery) check(t *testing.T, name string, text []byte, r synth.Report) {
	t.Helper()
	rc.checkRendering(t, name, synth.Rendering{Bytes: text, Ext: ".txt", Truth: truth(r)})
}

// checkRendering is check for any layout: the rendering names its file type, its true values and
// the cells it lost.
func (rc *recovery) checkRendering(t *testing.T, name string, rd synth.Rendering) {
	t.Helper()
	text := rd.Bytes
	doc, err := extract.Read(context.Background(), name+rd.Ext, text, extract.DefaultLimits())
	if err != nil {
		rc.wrong = append(rc.wrong, fmt.Sprintf("%s: extract: %v", name, err))
		return
	}
	reps, err := transform.Transform(context.Background(), doc, transform.Options{})
	if err != nil || len(reps) != 1 {
		rc.wrong = append(rc.wrong, fmt.Sprintf("%s: transform: %v (%d reports)", name, err, len(reps)))
		return
	}
	rep := reps[0]
	if rd.Body != "" && (rep.Body != rd.Body || rep.Year != rd.Year) {
		rc.wrong = append(rc.wrong, fmt.Sprintf("%s: body %q year %d, want %q %d", name, rep.Body, rep.Year, rd.Body, rd.Year))
	}
	named := map[string]bool{}
	for _, f := range rep.Findings {
		for _, c := range f.Cells {
			named[c] = true
		}
	}
	want := rd.Truth
	rc.reports++
	all := true
	visit := func(path string, v *transform.Value) {
		w, ok := want[path]
		if !ok {
			return
		}
		rc.cells++
		switch {
		case v.Known() && v.N == w:
			rc.known++
		case v.Known():
			rc.wrong = append(rc.wrong, fmt.Sprintf("%s: %s = %d (%q at %s), want %d", name, path, v.N, v.Raw, v.Pos, w))
			all = false
		case named[path] && rd.Lost[path]:
			rc.lost++
		case named[path]:
			rc.nulls++
			all = false
		default:
			rc.wrong = append(rc.wrong, fmt.Sprintf("%s: %s is null (%s %q) and no finding names it", name, path, v.Kind, v.Raw))
			all = false
		}
	}
	for i := 0; i < transform.NumT2; i++ {
		visit(transform.T2[i].Path(), &rep.T2[i])
	}
	for row := 0; row < transform.NumT3Rows; row++ {
		for c := 0; c < transform.NumT3Cols; c++ {
			visit(transform.T3Path(row, c), &rep.T3[row][c])
		}
	}
	for i := 0; i < transform.NumT4; i++ {
		visit(transform.T4Path(i), &rep.T4[i])
	}
	if all {
		rc.complete++
	}
}

func (rc *recovery) report(t *testing.T) {
	t.Helper()
	t.Log(rc.String())
	reportWrong(t, rc.wrong)
}

// reportWrong fails the test with the first twenty wrong cells.
func reportWrong(t *testing.T, wrong []string) {
	t.Helper()
	for i, w := range wrong {
		if i == 20 {
			t.Errorf("… %d more", len(wrong)-20)
			break
		}
		t.Error(w)
	}
}

// propertyCount is the number of random reports a property test reads: GOVREPORTS_PROPERTY_N when
// set (make test-property sets 1000), else 1000, or 200 under -short or the race detector (which
// slows reading tenfold), or 50,000 with -long.
func propertyCount() int {
	if n, err := strconv.Atoi(os.Getenv("GOVREPORTS_PROPERTY_N")); err == nil && n > 0 {
		return n
	}
	if *long {
		return 50000
	}
	if testing.Short() || raceEnabled {
		return 200
	}
	return 1000
}

// TestSquashedRoundTrip renders random valid reports with their cell boundaries lost and reads
// them back: every value comes back, or is null with a finding, never wrong.
func TestSquashedRoundTrip(t *testing.T) {
	var rc recovery
	for seed := uint64(1); seed <= uint64(propertyCount()); seed++ {
		r := synth.Random(rand.New(rand.NewPCG(seed, 7)))
		rc.check(t, fmt.Sprintf("squashed-%d", seed), r.RenderSquashed(seed), r)
	}
	rc.report(t)
	if rc.known*10 < rc.cells*9 {
		t.Errorf("only %d of %d cells read: the decoder should recover most of them", rc.known, rc.cells)
	}
}

// TestDelimitedLayoutsUntouched: the decoder and the shredded-table mechanisms stay away from
// tables whose cells are delimited; every layout reads whole, without their findings.
func TestDelimitedLayoutsUntouched(t *testing.T) {
	n := uint64(40)
	if testing.Short() || raceEnabled {
		n = 8
	}
	for _, l := range synth.CleanLayouts() {
		var rc recovery
		for seed := uint64(1); seed <= n; seed++ {
			r := synth.Random(rand.New(rand.NewPCG(seed, 3)))
			text := r.Render(l)
			rc.check(t, fmt.Sprintf("%s-%d", l, seed), text, r)
			doc, err := extract.Read(context.Background(), "x.txt", text, extract.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			reps, err := transform.Transform(context.Background(), doc, transform.Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range reps[0].Findings {
				switch f.Rule {
				case "X.AMBIGUOUS_SPLIT", "S.FUZZY_LABEL", "S.ROW_PLACEMENT", "S.MISSING_VALUE":
					t.Errorf("%s seed %d: %s %s", l, seed, f.Rule, f.Message)
				}
			}
		}
		if rc.complete != rc.reports || len(rc.wrong) > 0 {
			t.Errorf("%s: %s", l, rc.String())
		}
	}
}
