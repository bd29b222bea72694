package transform_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/govreports/govreports/fixtures/synth"
)

// TestLayoutsProperty reads random valid reports back from every layout synth can print (the
// registry synth.Layouts, so a new layout joins by being listed there): every value must come back
// exact, except the cells a layout lost on purpose, which must be null with a finding naming them.
// A wrong value, or a null nobody explains, fails; so does a cell the reader could not place.
// `make test-property` runs it over GOVREPORTS_PROPERTY_N (1000) reports per layout.
func TestLayoutsProperty(t *testing.T) {
	n := uint64(propertyCount())
	if raceEnabled && os.Getenv("GOVREPORTS_PROPERTY_N") == "" {
		n = 50 // the race detector slows reading tenfold; make test-property runs the full count
	}
	for _, l := range synth.Layouts() {
		t.Run(string(l), func(t *testing.T) {
			var rc recovery
			for seed := uint64(1); seed <= n; seed++ {
				r := synth.Random(rand.New(rand.NewPCG(seed, 13)))
				rd, err := r.RenderSeed(l, seed)
				if err != nil {
					t.Fatalf("seed %d: %v", seed, err)
				}
				rc.checkRendering(t, fmt.Sprintf("%s-%d", l, seed), rd)
			}
			rc.report(t)
			if rc.nulls > 0 {
				t.Errorf("%d cells left null although the layout printed them: every printed value must read", rc.nulls)
			}
		})
	}
}
