package extract

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// smallBuilt is a budget small enough for test inputs of a few hundred KB to pass it.
func smallBuilt() Limits {
	lim := DefaultLimits()
	lim.MaxBuilt = 1 << 20
	return lim
}

// TestMaxBuilt: every reader stops a file that builds more than MaxBuilt with ErrLimit, naming the
// file, the part being read and the flag; the same content in a smaller dose reads.
func TestMaxBuilt(t *testing.T) {
	paras := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "第%d段：本机关依法公开政府信息。\n\n", i)
		}
		return b.String()
	}
	docxParas := func(n int) []byte {
		var b strings.Builder
		for range n {
			b.WriteString(wp("本机关依法公开政府信息。"))
		}
		return buildDOCX(t, b.String())
	}
	docxRows := func(n int) []byte {
		rows := make([]string, n)
		for i := range rows {
			rows[i] = wtr("", dcell{text: "行" + strconv.Itoa(i)}, dcell{text: "1"}, dcell{text: "2"})
		}
		return buildDOCX(t, wtbl(rows...))
	}
	// Cells spanning many columns: a small page, a large grid.
	htmlTable := func(n int) []byte {
		var b strings.Builder
		b.WriteString("<html><body><table>")
		for i := range n {
			fmt.Fprintf(&b, "<tr><td>行%d</td><td colspan=\"1000\">1</td></tr>", i)
		}
		b.WriteString("</table></body></html>")
		return []byte(b.String())
	}
	xlsxRows := func(n int) []byte {
		f := excelize.NewFile()
		defer f.Close()
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			t.Fatal(err)
		}
		for i := range n {
			if err := sw.SetRow("A"+strconv.Itoa(i+1), []any{"单位" + strconv.Itoa(i), 1, 2, 3, 4, 5}); err != nil {
				t.Fatal(err)
			}
		}
		if err := sw.Flush(); err != nil {
			t.Fatal(err)
		}
		return xlsxBytes(t, f)
	}
	cases := []struct {
		name        string
		small, big  []byte
		place, what string
	}{
		{"text paragraphs", []byte(paras(100)), []byte(paras(20000)), "", "the text"},
		{"text decoded", []byte(paras(10)), []byte(strings.Repeat("一二三四五六七八九十\n", 120000)), "", "the decoded text"},
		{"html paragraphs", []byte("<html><body>" + strings.Repeat("<p>x</p>", 100) + "</body></html>"),
			[]byte("<html><body>" + strings.Repeat("<p>x</p>", 60000) + "</body></html>"), "element ", "the page's elements"},
		{"html table", htmlTable(1), htmlTable(200), "table 1 row ", "the page's tables"},
		{"docx paragraphs", docxParas(100), docxParas(30000), "word/document.xml line ", "the document"},
		{"docx table", docxRows(100), docxRows(20000), "word/document.xml line ", "the document"},
		{"xlsx sheet", xlsxRows(100), xlsxRows(20000), "Sheet1!A", `sheet "Sheet1"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := Read(context.Background(), "in/small", c.small, smallBuilt()); err != nil && !strings.Contains(err.Error(), "no readable content") &&
				!strings.Contains(err.Error(), "has no text") {
				t.Fatalf("the small dose was refused: %v", err)
			}
			_, err := Read(context.Background(), "in/big", c.big, smallBuilt())
			checkReadError(t, err, "in/big", ErrLimit, c.place)
			for _, want := range []string{"--max-built", c.what} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			// With no limit the budget is not in the way.
			lim := smallBuilt()
			lim.MaxBuilt = 0
			if _, err := Read(context.Background(), "in/big", c.big, lim); err != nil && strings.Contains(err.Error(), "--max-built") {
				t.Errorf("MaxBuilt 0 still limits: %v", err)
			}
		})
	}
}

// Expansion bombs: small files that expand to hundreds of MB. Each is read in a child process
// (this test binary, run again), which reports its peak resident memory; the file must be refused
// with ErrLimit and the peak stay under 300 MiB.

const bombEnv = "GOVREPORTS_BOMB"

// writeDOCXBomb writes a DOCX of about 0.8 MB holding 250 MB of paragraphs.
func writeDOCXBomb(t testing.TB, path string) {
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, e := range []struct{ name, body string }{{"[Content_Types].xml", docxContentTypes}, {"word/styles.xml", chineseStyles}} {
		w, _ := zw.Create(e.name)
		io.WriteString(w, e.body)
	}
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	doc := docxDocument("\x00")
	head, tail, _ := strings.Cut(doc, "\x00")
	bw.WriteString(head)
	para := []byte(wp("x"))
	for n := 0; n < 250<<20; n += len(para) {
		bw.Write(para)
	}
	bw.WriteString(tail)
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}

// writeHTMLBomb writes 20 MB of <p>x</p>.
func writeHTMLBomb(t testing.TB, path string) {
	data := []byte("<html><body>" + strings.Repeat("<p>x</p>", 20<<20/8) + "</body></html>")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeTextBomb writes 60 MB of one-character paragraphs, under the default --max-bytes.
func writeTextBomb(t testing.TB, path string) {
	if err := os.WriteFile(path, bytes.Repeat([]byte("x\n\n"), 20<<20), 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeHTMLTableBomb writes 20 MB of table rows.
func writeHTMLTableBomb(t testing.TB, path string) {
	data := []byte("<html><body><table>" + strings.Repeat("<tr><td>x</td></tr>", 20<<20/19) + "</table></body></html>")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestExpansionBombs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and reads files that expand to hundreds of MB")
	}
	if raceEnabled {
		t.Skip("the race detector's shadow memory makes peak RSS meaningless")
	}
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("needs /proc to read a process's peak memory")
	}
	dir := t.TempDir()
	for _, b := range []struct {
		name  string
		write func(testing.TB, string)
	}{{"bomb.docx", writeDOCXBomb}, {"bomb.html", writeHTMLBomb}, {"table.html", writeHTMLTableBomb}, {"bomb.txt", writeTextBomb}} {
		t.Run(b.name, func(t *testing.T) {
			path := filepath.Join(dir, b.name)
			b.write(t, path)
			info, _ := os.Stat(path)
			cmd := exec.Command(os.Args[0], "-test.run=^TestBombChild$", "-test.v")
			cmd.Env = append(os.Environ(), bombEnv+"="+path)
			start := time.Now()
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			var peak int64
			var reason string
			for _, line := range strings.Split(string(out), "\n") {
				if v, ok := strings.CutPrefix(strings.TrimSpace(line), "peak-kib "); ok {
					peak, _ = strconv.ParseInt(v, 10, 64)
				}
				if v, ok := strings.CutPrefix(strings.TrimSpace(line), "refused "); ok {
					reason = v
				}
			}
			t.Logf("%s: %d bytes on disk, refused in %v with peak RSS %d MiB: %s", b.name, info.Size(),
				time.Since(start).Round(time.Millisecond), peak>>10, reason)
			if reason == "" {
				t.Fatalf("the bomb was not refused:\n%s", out)
			}
			if peak == 0 || peak > 300<<10 {
				t.Errorf("peak RSS %d KiB, want at most 300 MiB", peak)
			}
		})
	}
}

// TestBombChild reads the file named by GOVREPORTS_BOMB and prints whether it was refused and the
// process's peak resident memory (VmHWM).
func TestBombChild(t *testing.T) {
	path := os.Getenv(bombEnv)
	if path == "" {
		t.Skip("run by TestExpansionBombs")
	}
	_, err := ReadFile(context.Background(), path, DefaultLimits())
	if err != nil && bytes.Contains([]byte(err.Error()), []byte("--max-built")) {
		fmt.Printf("refused %v\n", err)
	} else {
		fmt.Printf("read: %v\n", err)
	}
	status, rerr := os.ReadFile("/proc/self/status")
	if rerr != nil {
		t.Fatal(rerr)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			fmt.Printf("peak-kib %s\n", strings.TrimSuffix(strings.TrimSpace(v), " kB"))
		}
	}
}
