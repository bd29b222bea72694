package load

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// screenshot, when set, is where TestWorkbookScreenshot writes the PNG of 全市汇总 shown in the README:
//
//	make run && go test ./load -run TestWorkbookScreenshot -screenshot ../docs/img/quanshi-huizong.png \
//		-screenshot-from ../out/govreports-2025.xlsx -screenshot-pages 1,3
var screenshot = flag.String("screenshot", "", "write a PNG of 全市汇总 rendered by LibreOffice to this path")

// screenshotFrom, when set, is the workbook whose first 全市汇总 sheet TestWorkbookScreenshot renders
// (that of `make run`: out/govreports-2025.xlsx) instead of a generated batch's; screenshotPages
// lists the printed pages it renders, one PNG each: the first to PATH, page n after it to PATH-n.png.
var (
	screenshotFrom  = flag.String("screenshot-from", "", "render the first 全市汇总 sheet of this workbook")
	screenshotPages = flag.String("screenshot-pages", "1", "the printed pages of 全市汇总 to render, as 1,3")
)

// lookSoffice finds LibreOffice or skips the test; in CI (CI=true) a missing LibreOffice fails it,
// so that CI cannot pass without opening the workbook.
func lookSoffice(t *testing.T) string {
	t.Helper()
	if testing.Short() && !inCI() {
		t.Skip("LibreOffice conversion skipped in -short mode")
	}
	path, err := exec.LookPath("soffice")
	if err != nil {
		const msg = "soffice (LibreOffice) not found: install it, e.g. apt-get install -y libreoffice-calc, to check " +
			"that LibreOffice opens the workbook"
		if inCI() {
			t.Fatal(msg + " (CI=true: the check is required)")
		}
		t.Skip(msg)
	}
	return path
}

// inCI reports a CI run, where a check must fail rather than skip when its tool is missing.
func inCI() bool { return os.Getenv("CI") == "true" }

// convert runs LibreOffice headless on files, converting them to format into outDir. It fails the
// test on a non-zero exit or an error message.
func convert(t *testing.T, soffice, format, outDir string, files ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	// A profile of its own, so that a running LibreOffice or a parallel test cannot interfere.
	profile := "file://" + filepath.ToSlash(t.TempDir())
	args := append([]string{"-env:UserInstallation=" + profile, "--headless", "--norestore",
		"--convert-to", format, "--outdir", outDir}, files...)
	cmd := exec.CommandContext(ctx, soffice, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out.String())
	}
	if strings.Contains(strings.ToLower(out.String()), "error") {
		t.Fatalf("soffice reported an error:\n%s", out.String())
	}
}

// TestWorkbookOpensInLibreOffice has LibreOffice load every workbook (continued sheets included)
// and save it again, as PDF and as xlsx. A file it cannot load makes the conversion fail; the xlsx
// it saves must still hold our sheets and numbers, so it read the file rather than repaired it.
func TestWorkbookOpensInLibreOffice(t *testing.T) {
	soffice := lookSoffice(t)
	bw := buildWorkbooks(t, workbookReports(), testRejects(), workbookConfig{maxRows: 40})
	var files []string
	for _, o := range bw.outs {
		files = append(files, filepath.Join(bw.dir, o.Path))
	}
	pdfDir, xlsxDir := t.TempDir(), t.TempDir()
	convert(t, soffice, "pdf", pdfDir, files...)
	convert(t, soffice, "xlsx:Calc MS Excel 2007 XML", xlsxDir, files...)

	for _, o := range bw.outs {
		pdf, err := os.ReadFile(filepath.Join(pdfDir, strings.TrimSuffix(o.Path, ".xlsx")+".pdf"))
		if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF")) {
			t.Errorf("%s: no PDF (%v)", o.Path, err)
		}
		orig := bw.open(t, o.Year)
		again, err := excelize.OpenFile(filepath.Join(xlsxDir, o.Path), excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatalf("%s saved by LibreOffice: %v", o.Path, err)
		}
		defer again.Close()
		if got, want := again.GetSheetList(), orig.GetSheetList(); !slices.Equal(got, want) {
			t.Errorf("%s: LibreOffice sees sheets %q, want %q", o.Path, got, want)
		}
		for _, sheet := range []string{sheetUnits, sheetDetail, sheetCoverage} {
			a, b := sheetRows(t, orig, sheet), sheetRows(t, again, sheet)
			if len(a) != len(b) {
				t.Errorf("%s %s: %d rows after LibreOffice, want %d", o.Path, sheet, len(b), len(a))
				continue
			}
			for r := range a {
				for c := range a[r] {
					if c < len(b[r]) && !sameNumber(a[r][c], b[r][c]) && a[r][c] != b[r][c] {
						t.Errorf("%s %s %s: %q after LibreOffice, want %q", o.Path, sheet, cellName(c+1, r+1), b[r][c], a[r][c])
					}
				}
			}
		}
	}
}

// TestWorkbookScreenshot renders 全市汇总 of a realistic city batch with LibreOffice, for the README.
// It runs only when -screenshot names the PNG to write.
func TestWorkbookScreenshot(t *testing.T) {
	if *screenshot == "" {
		t.Skip("pass -screenshot PATH to render 全市汇总 to a PNG")
	}
	soffice := lookSoffice(t)
	pdftoppm, err := exec.LookPath("pdftoppm")
	if err != nil {
		t.Skip("pdftoppm not found: install poppler-utils")
	}
	var f *excelize.File
	if *screenshotFrom != "" {
		var err error
		if f, err = excelize.OpenFile(*screenshotFrom); err != nil {
			t.Fatal(err)
		}
		defer f.Close()
	} else {
		bw := buildWorkbooks(t, cityBatch(2024, "平顶山市", 2024, 24), nil, standardConfig)
		f = bw.open(t, 2024)
	}
	// A copy holding only the first 全市汇总, so that its pages are the first pages of the PDF.
	keep := ""
	for _, s := range f.GetSheetList() {
		if keep == "" && strings.HasPrefix(s, sheetSummary+"-") {
			keep = s
		}
	}
	for _, s := range f.GetSheetList() {
		if s != keep {
			if err := f.DeleteSheet(s); err != nil {
				t.Fatal(err)
			}
		}
	}
	dir := t.TempDir()
	only := filepath.Join(dir, "quanshi-huizong.xlsx")
	if err := f.SaveAs(only); err != nil {
		t.Fatal(err)
	}
	convert(t, soffice, "pdf", dir, only)
	out, err := filepath.Abs(*screenshot)
	if err != nil {
		t.Fatal(err)
	}
	for k, p := range strings.Split(*screenshotPages, ",") {
		if _, err := strconv.Atoi(p); err != nil {
			t.Fatalf("-screenshot-pages %q: %q is not a page number", *screenshotPages, p)
		}
		base := strings.TrimSuffix(out, ".png")
		if k > 0 {
			base += "-" + p
		}
		cmd := exec.Command(pdftoppm, "-png", "-r", "80", "-f", p, "-l", p, "-singlefile",
			filepath.Join(dir, "quanshi-huizong.pdf"), base)
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v\n%s", err, msg)
		}
		t.Logf("wrote %s.png", base)
	}
}
