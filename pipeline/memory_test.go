package pipeline

import "testing"

func TestParseBytes(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
	}{{"0", 0}, {"512", 512}, {"512MiB", 512 << 20}, {" 2 GiB ", 2 << 30}, {"64KiB", 64 << 10}, {"3MB", 3e6}, {"7B", 7}} {
		if got, err := ParseBytes(c.in); err != nil || got != c.want {
			t.Errorf("ParseBytes(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "-1", "1.5GiB", "MiB", "12 apples", "99999999999GiB"} {
		if _, err := ParseBytes(bad); err == nil {
			t.Errorf("ParseBytes(%q) succeeded", bad)
		}
	}
}

func TestWeight(t *testing.T) {
	const budget = 64 << 20
	for _, c := range []struct {
		in   Input
		max  int64
		want int64
	}{
		{Input{Path: "a.txt", Size: 10}, 0, minWeight},
		{Input{Path: "a.txt", Size: 1 << 20}, 0, 17 << 20},
		{Input{Path: "a.DOCX", Size: 1 << 20}, 0, budget}, // 65 MiB, capped
		{Input{Path: "a.docx", Size: 1 << 20}, 8 << 20, 9 << 20},
		{Input{Path: "a.html", Size: 40 << 20}, 0, budget},
	} {
		want := min(c.want, budget)
		if got := weight(c.in, c.max, budget); got != want {
			t.Errorf("weight(%+v, %d) = %d, want %d", c.in, c.max, got, want)
		}
	}
}
