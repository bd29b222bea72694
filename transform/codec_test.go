package transform_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/govreports/govreports/extract"
	"github.com/govreports/govreports/fixtures/synth"
	"github.com/govreports/govreports/transform"
)

// codecReports reads every fixture and a few synthetic reports of every layout, as real runs
// produce them.
func codecReports(t testing.TB) map[string]*transform.Report {
	t.Helper()
	out := map[string]*transform.Report{}
	read := func(name string, data []byte) {
		doc, err := extract.Read(context.Background(), name, data, extract.DefaultLimits())
		if err != nil {
			return // a fixture that must be rejected
		}
		reps, err := transform.Transform(context.Background(), doc, transform.Options{})
		if err != nil {
			return
		}
		for i, r := range reps {
			out[fmt.Sprintf("%s#%d", name, i)] = r
		}
	}
	root := filepath.Join("..", "fixtures")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasPrefix(d.Name(), "input.") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		read(p, data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range synth.Layouts() {
		for seed := uint64(1); seed <= 3; seed++ {
			r := synth.Random(rand.New(rand.NewPCG(seed, 5)))
			read(fmt.Sprintf("synth-%s-%d.txt", l, seed), r.Render(l))
		}
	}
	read("squashed.txt", synth.Seed().RenderSquashed(1))
	read("shredded.txt", synth.Seed().RenderShredded(2))
	if len(out) < 30 {
		t.Fatalf("only %d reports to encode", len(out))
	}
	return out
}

func roundTrip(t testing.TB, name string, r *transform.Report) []byte {
	t.Helper()
	enc, err := r.AppendBinary([]byte("prefix"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(enc, []byte("prefix")) {
		t.Fatalf("%s: AppendBinary lost what dst held", name)
	}
	enc = enc[len("prefix"):]
	got, err := transform.DecodeReport(enc)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if !reflect.DeepEqual(got, r) {
		t.Fatalf("%s: the decoded report differs:\n got %+v\nwant %+v", name, got, r)
	}
	// The decoded report keeps nothing of the buffer it came from.
	for i := range enc {
		enc[i] = 0xff
	}
	if !reflect.DeepEqual(got, r) {
		t.Fatalf("%s: the decoded report shares memory with its encoding", name)
	}
	again, _ := got.AppendBinary(nil)
	first, _ := r.AppendBinary(nil)
	if !bytes.Equal(again, first) {
		t.Fatalf("%s: encoding is not deterministic", name)
	}
	return first
}

func TestCodecRoundTripReports(t *testing.T) {
	total, n := 0, 0
	for name, r := range codecReports(t) {
		total += len(roundTrip(t, name, r))
		n++
	}
	t.Logf("%d reports, %d bytes each on average", n, total/n)
}

func TestCodecRoundTripEdges(t *testing.T) {
	full := func() *transform.Report {
		r := &transform.Report{ID: "x", Year: -3, Source: extract.Source{Bytes: math.MaxInt64}}
		r.T2[0] = transform.Value{Kind: 200, Method: 99, N: math.MinInt64, Raw: "-9223372036854775808"}
		r.T2[1] = transform.Value{Kind: transform.Numeric, N: 7, Raw: "07", Note: "其中 3 件",
			Pos: extract.Pos{Line: -1, Col: math.MaxInt}}
		r.T2[2] = transform.Value{Kind: 15, Method: 15, Raw: "0"}
		r.T2[3] = transform.Value{Kind: transform.Zero, Raw: "0", Pos: extract.Pos{Sheet: "表一", Row: 3, Col: 2}}
		r.T2[4] = transform.Value{Kind: transform.Zero, Raw: "0", Pos: extract.Pos{Sheet: "表一", Row: 4, Col: 2}}
		r.T2[5] = transform.Value{Kind: transform.Zero, Pos: extract.Pos{Sheet: "表二", Row: 4, Col: 2}}
		r.T2[6] = transform.Value{Kind: transform.Zero, Pos: extract.Pos{Sheet: "表一", Table: 2, Para: 9}}
		r.T3Labels[4] = "（三）不予公开"
		return r
	}
	cases := map[string]*transform.Report{
		"zero": {},
		"full": full(),
		"nil and empty": func() *transform.Report {
			r := full()
			r.Reads = map[string]*transform.TableRead{
				"table2": nil,
				"table3": {Found: true, Layout: extract.LayoutTabs, Place: "12", Cells: 9, ByMethod: map[string]int{}},
				"table4": {ByMethod: map[string]int{"grid": 3, "decoded": -1}},
				"":       {},
			}
			r.Findings = []transform.Finding{
				{Rule: "T3.BALANCE", Cells: []string{}},
				{Rule: "X", Severity: transform.SevInfo, Cells: []string{"", "table2.a.b"}, Culprit: "c", Status: "s", Place: "p"},
				{},
			}
			return r
		}(),
		"empty containers": {Reads: map[string]*transform.TableRead{}, Findings: []transform.Finding{}},
	}
	for name, r := range cases {
		roundTrip(t, name, r)
	}
}

// TestCodecCoversEveryField fills every field of a Report, however deep, with a value of its own
// and checks that the round trip keeps it: a field added to Report without the codec fails here.
func TestCodecCoversEveryField(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 50 {
		var r transform.Report
		fill(reflect.ValueOf(&r).Elem(), rng, 0)
		roundTrip(t, fmt.Sprintf("filled %d", i), &r)
	}
}

func fill(v reflect.Value, rng *rand.Rand, depth int) {
	switch v.Kind() {
	case reflect.String:
		if rng.IntN(4) > 0 {
			v.SetString(fmt.Sprintf("s%d·字", rng.IntN(1000)))
		}
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(rng.Int64N(1<<40) - 1<<39)
	case reflect.Uint8:
		v.SetUint(uint64(rng.IntN(256)))
	case reflect.Bool:
		v.SetBool(rng.IntN(2) == 1)
	case reflect.Array:
		for i := range v.Len() {
			fill(v.Index(i), rng, depth)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), rng, depth)
			}
		}
	case reflect.Slice:
		if depth > 3 || rng.IntN(5) == 0 {
			return
		}
		s := reflect.MakeSlice(v.Type(), rng.IntN(4), 4)
		for i := range s.Len() {
			fill(s.Index(i), rng, depth+1)
		}
		v.Set(s)
	case reflect.Map:
		if depth > 3 || rng.IntN(5) == 0 {
			return
		}
		m := reflect.MakeMap(v.Type())
		for range rng.IntN(4) {
			k := reflect.New(v.Type().Key()).Elem()
			fill(k, rng, depth+1)
			e := reflect.New(v.Type().Elem()).Elem()
			fill(e, rng, depth+1)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Pointer:
		if rng.IntN(5) == 0 {
			return
		}
		p := reflect.New(v.Type().Elem())
		fill(p.Elem(), rng, depth+1)
		v.Set(p)
	default:
		panic(fmt.Sprintf("fill: a field of kind %s: teach the codec and this test about it", v.Kind()))
	}
}

func TestCodecRefusesCorruptData(t *testing.T) {
	r := codecReports(t)
	var some *transform.Report
	for _, rep := range r {
		if len(rep.Findings) > 0 {
			some = rep
			break
		}
	}
	enc, _ := some.AppendBinary(nil)
	cases := map[string][]byte{
		"empty":         nil,
		"version":       append([]byte{transform.CodecVersion + 1}, enc[1:]...),
		"truncated":     enc[:len(enc)/2],
		"one byte less": enc[:len(enc)-1],
		"trailing":      append(append([]byte{}, enc...), 0),
		"huge count":    {transform.CodecVersion, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01},
		"long varint":   {transform.CodecVersion, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01},
	}
	for name, data := range cases {
		if _, err := transform.DecodeReport(data); !errors.Is(err, transform.ErrCodec) {
			t.Errorf("%s: error %v, want ErrCodec", name, err)
		}
	}
}

// TestCodecAllocationBound decodes inputs made of as many of the smallest findings and table
// reads as their bytes allow, the costliest bytes a decoder can be fed: what it allocates stays
// within a fixed multiple of the input, plus the Report itself.
func TestCodecAllocationBound(t *testing.T) {
	head := func() []byte {
		b := []byte{transform.CodecVersion}
		b = append(b, make([]byte, 15)...) // identity, source, scope evidence, version: empty and zero
		b = append(b, make([]byte, 13)...) // region: empty strings, zero places, nil candidates
		b = append(b, make([]byte, transform.NumMeasures)...)
		return append(b, make([]byte, transform.NumT3Rows)...)
	}
	const n = 20000
	findings := append(head(), 0) // no reads
	findings = binary.AppendUvarint(findings, n+1)
	findings = append(findings, make([]byte, 7*n)...)
	reads := head()
	reads = binary.AppendUvarint(reads, n+1)
	for i := range n {
		reads = binary.AppendUvarint(reads, uint64(len(fmt.Sprint(i))))
		reads = append(reads, fmt.Sprint(i)...)
		reads = append(reads, 1, 0, 0, 0, 0, 1) // set, not found, no layout or place, 0 cells, empty ByMethod
	}
	reads = append(reads, 0) // nil findings
	for name, data := range map[string][]byte{"findings": findings, "reads": reads} {
		if _, err := transform.DecodeReport(data); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		transform.DecodeReport(data)
		runtime.ReadMemStats(&after)
		if got, limit := after.TotalAlloc-before.TotalAlloc, uint64(64*len(data)+64<<10); got > limit {
			t.Errorf("%s: %d bytes decoded with %d bytes allocated, more than %d", name, len(data), got, limit)
		}
	}
}

// FuzzDecodeReport: no input makes the decoder panic, and whatever decodes encodes back to a
// report that decodes the same. (Allocation is measured by TestCodecAllocationBound: measuring it
// here would stop the world on every input.)
func FuzzDecodeReport(f *testing.F) {
	for _, name := range []string{"seed/input.txt", "xlsx-seed/input.xlsx", "html-seed/input.html"} {
		data, err := os.ReadFile(filepath.Join("..", "fixtures", filepath.FromSlash(name)))
		if err != nil {
			f.Fatal(err)
		}
		doc, err := extract.Read(context.Background(), name, data, extract.DefaultLimits())
		if err != nil {
			f.Fatal(err)
		}
		reps, err := transform.Transform(context.Background(), doc, transform.Options{})
		if err != nil {
			f.Fatal(err)
		}
		enc, _ := reps[0].AppendBinary(nil)
		f.Add(enc)
	}
	f.Add([]byte{transform.CodecVersion})
	f.Fuzz(func(t *testing.T, data []byte) {
		var numbers transform.Report
		numErr := numbers.UnmarshalNumbers(data)
		r, err := transform.DecodeReport(data)
		if err != nil {
			return
		}
		if numErr != nil {
			t.Fatalf("the report decodes, its numbers do not: %v", numErr)
		}
		checkNumbers(t, "fuzz", &numbers, r)
		enc, err := r.AppendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		again, err := transform.DecodeReport(enc)
		if err != nil {
			t.Fatalf("re-encoded report does not decode: %v", err)
		}
		if !reflect.DeepEqual(again, r) {
			t.Fatal("re-encoded report decodes differently")
		}
	})
}

// BenchmarkCodec measures encoding and decoding the seed report; bytes/report is its encoded size.
func BenchmarkCodec(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("..", "fixtures", "seed", "input.txt"))
	if err != nil {
		b.Fatal(err)
	}
	doc, err := extract.Read(context.Background(), "seed.txt", data, extract.DefaultLimits())
	if err != nil {
		b.Fatal(err)
	}
	reps, err := transform.Transform(context.Background(), doc, transform.Options{})
	if err != nil {
		b.Fatal(err)
	}
	r := reps[0]
	enc, _ := r.AppendBinary(nil)
	b.Run("encode", func(b *testing.B) {
		b.ReportAllocs()
		buf := make([]byte, 0, 2*len(enc))
		for b.Loop() {
			buf, _ = r.AppendBinary(buf[:0])
		}
		b.ReportMetric(float64(len(enc)), "bytes/report")
	})
	// Into a reused Report, as the store's cursors decode: whole, or the numbers alone.
	for _, c := range []struct {
		name   string
		decode func(*transform.Report, []byte) error
	}{{"decode-into", (*transform.Report).UnmarshalBinary}, {"numbers", (*transform.Report).UnmarshalNumbers}} {
		decode := c.decode
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var into transform.Report
			for b.Loop() {
				if err := decode(&into, enc); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(enc)), "bytes/report")
		})
	}
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := transform.DecodeReport(enc); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(enc)), "bytes/report")
	})
}

// checkNumbers: got, decoded by UnmarshalNumbers, holds what want is named by and every value's
// kind, method and number, and nothing else.
func checkNumbers(t *testing.T, name string, got, want *transform.Report) {
	t.Helper()
	w := transform.Report{ID: want.ID, Source: extract.Source{Path: want.Source.Path}, Unit: want.Unit,
		Body: want.Body, City: want.City, Year: want.Year, FormatVersion: want.FormatVersion,
		T2: want.T2, T3: want.T3, T4: want.T4}
	strip := func(v *transform.Value) { *v = transform.Value{Kind: v.Kind, Method: v.Method, N: v.N} }
	for i := range w.T2 {
		strip(&w.T2[i])
	}
	for row := range w.T3 {
		for col := range w.T3[row] {
			strip(&w.T3[row][col])
		}
	}
	for i := range w.T4 {
		strip(&w.T4[i])
	}
	if !reflect.DeepEqual(got, &w) {
		t.Fatalf("%s: the numbers decoded differ from the report's:\n got %+v\nwant %+v", name, got, &w)
	}
}

// TestCodecNumbers: UnmarshalNumbers, which the batch stage's passes over every report use, reads
// of every report what it is named by and every value's kind, method and number, the same as
// UnmarshalBinary, and keeps nothing of the bytes it read.
func TestCodecNumbers(t *testing.T) {
	for name, r := range codecReports(t) {
		enc, err := r.AppendBinary(nil)
		if err != nil {
			t.Fatal(err)
		}
		var got transform.Report
		got.Findings = []transform.Finding{{Rule: "left from the last report"}}
		if err := got.UnmarshalNumbers(enc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for i := range enc {
			enc[i] = 0xff
		}
		checkNumbers(t, name, &got, r)
		for m := range transform.Measures {
			if got.Value(m) != (transform.Value{Kind: r.Value(m).Kind, Method: r.Value(m).Method, N: r.Value(m).N}) {
				t.Fatalf("%s: measure %s differs", name, transform.Measures[m].Name)
			}
		}
	}
	if err := new(transform.Report).UnmarshalNumbers([]byte{transform.CodecVersion, 200}); !errors.Is(err, transform.ErrCodec) {
		t.Errorf("truncated: err = %v, want ErrCodec", err)
	}
}
