package region

import (
	"testing"
	"unicode/utf8"
)

var benchBodies = []string{
	"平顶山市城乡一体化示范区", "淮安市洪泽区人民政府办公室", "洪泽区人民政府", "沭阳县发展和改革局",
	"上海市黄浦区人民政府打浦桥街道办事处", "宿迁市人民政府", "河南省人民政府办公厅", "沐阳县人民政府",
	"宿迁市新华区民政局", "柳州市高新技术产业开发区",
}

// BenchmarkResolve is the cost per report (the data already loaded).
func BenchmarkResolve(b *testing.B) {
	r := NewResolver(nil)
	r.Resolve("宿迁市人民政府", Hints{})
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		r.Resolve(benchBodies[i%len(benchBodies)], Hints{Year: 2023})
		i++
	}
}

// BenchmarkResolveAmbiguous decides 鼓楼区 by a narrative: the dearest common case.
func BenchmarkResolveAmbiguous(b *testing.B) {
	r := NewResolver(nil)
	h := Hints{Year: 2023, Dirs: []string{"inbox", "2023"}, Title: "鼓楼区人民政府2023年政府信息公开工作年度报告",
		Text: "本报告由鼓楼区人民政府办公室编制……联系地址：福州市鼓楼区某某路1号"}
	b.ReportAllocs()
	for b.Loop() {
		if r.Resolve("鼓楼区人民政府", h).Status != ResolvedContext {
			b.Fatal("not decided")
		}
	}
}

// BenchmarkLoad is the one-time cost of the first use: parsing the embedded file and indexing it.
func BenchmarkLoad(b *testing.B) {
	b.ReportMetric(float64(len(divisionsData)), "embedded-bytes")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(divisionsData); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzResolve(f *testing.F) {
	for _, s := range benchBodies {
		f.Add(s, "南京市", "联系地址：福州市", 2023)
	}
	f.Add("鼓楼区人民政府", "", "", 0)
	f.Add("北塘区市场监督管理局", "无锡市", "", 2014)
	f.Add("城关镇人民政府", "宝丰县", "", 0)
	f.Add("\xff人民政府", "\x00", "", -1)
	r := NewResolver(mustAliases(f, userAliases))
	f.Fuzz(func(t *testing.T, body, dir, text string, year int) {
		res := r.Resolve(body, Hints{Year: year, Dirs: []string{dir}, Title: body, Text: text})
		if res.Printed != body {
			t.Fatalf("printed %q, want %q", res.Printed, body)
		}
		if res.Status == "" {
			t.Fatal("no status")
		}
		if res.Status.Placed() {
			if res.Place.IsZero() || res.Kind == "" {
				t.Fatalf("placed without a place or kind: %+v", res)
			}
			if utf8.ValidString(body) && utf8.RuneCountInString(res.Body) == 0 {
				t.Fatalf("placed an empty body: %+v", res)
			}
		} else if !res.Place.IsZero() || res.Reason == "" {
			t.Fatalf("%s with a place or without a reason: %+v", res.Status, res)
		}
		if res.Status == Ambiguous && len(res.Candidates) < 2 {
			t.Fatalf("ambiguous with %d candidates", len(res.Candidates))
		}
		// The same question gets the same answer.
		again := r.Resolve(body, Hints{Year: year, Dirs: []string{dir}, Title: body, Text: text})
		if again.Status != res.Status || again.Place.Code != res.Place.Code || again.Body != res.Body {
			t.Fatalf("not deterministic: %+v vs %+v", res, again)
		}
	})
}
