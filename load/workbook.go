package load

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/xuri/excelize/v2"
	"golang.org/x/sync/errgroup"
)

// The consolidated workbook: one per reporting year, for the analysts of a disclosure office. It is
// built from the reports the tables were written from, the batch stage's decisions and rollups and
// the rejects, shown exactly as the tables hold them, so the two outputs cannot disagree.
// docs/workbook.md explains how to read it.

// OutputWorkbook is the Output.Table of a workbook file.
const OutputWorkbook = "workbook"

// WorkbookName is the file name of the workbook of year; 0 (unknown year) gives
// govreports-unknown.xlsx.
func WorkbookName(year int) string {
	if year == 0 {
		return "govreports-unknown.xlsx"
	}
	return "govreports-" + strconv.Itoa(year) + ".xlsx"
}

// excelMaxRows is Excel's limit of rows per sheet.
const excelMaxRows = 1_048_576

// workbookConfig holds what tests vary.
type workbookConfig struct {
	// maxRows is the number of rows a detail sheet may have, its header row included; a sheet that
	// would have more continues on "<name> (2)", ….
	maxRows int
}

// fixedTime stands for every date inside the workbook (document properties), so that the same
// inputs give the same bytes.
const fixedTime = "1980-01-01T00:00:00Z"

// writeWorkbooks writes dir/govreports-<year>.xlsx for every year that has reports
// (govreports-unknown.xlsx for reports of unknown year), each through a temporary file that is
// fsynced and renamed. A batch without reports gets no workbook. On failure nothing it wrote
// remains.
func writeWorkbooks(ctx context.Context, dir string, facts *runFacts, in *Input, opt Options, cfg workbookConfig) ([]Output, error) {
	defer facts.close()
	if facts.err != nil {
		return nil, facts.err
	}
	if cfg.maxRows < 3 || cfg.maxRows > excelMaxRows {
		return nil, fmt.Errorf("load: workbook: %d rows per sheet is out of range", cfg.maxRows)
	}
	if err := facts.seal(); err != nil {
		return nil, err
	}
	run := newRunView(facts, in, opt)
	// Each year's workbook is its own file built from what the pass gathered, which the builders
	// only read: BookWorkers years are built at once, each into its own slot, so the outputs and
	// their order do not depend on which finishes first.
	outs := make([]Output, len(run.years)) // a year not written keeps an empty Path
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(max(1, in.BookWorkers))
	for k, year := range run.years {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return fmt.Errorf("load: workbook: %w", err)
			}
			v, err := newYearView(run, facts.years[year])
			if err != nil {
				return err
			}
			o, err := writeWorkbookFile(gctx, dir, run, v, cfg)
			if err != nil {
				return err
			}
			outs[k] = o
			return nil
		})
	}
	fail := func(err error) ([]Output, error) {
		for _, o := range outs {
			if o.Path != "" {
				os.Remove(filepath.Join(dir, o.Path))
			}
		}
		return nil, err
	}
	if err := g.Wait(); err != nil {
		return fail(err)
	}
	if len(outs) > 0 {
		if err := syncDir(dir); err != nil {
			return fail(err)
		}
	}
	return outs, nil
}

// writeWorkbookFile builds one workbook and writes it to dir through a temporary file.
func writeWorkbookFile(ctx context.Context, dir string, run *runView, v *yearView, cfg workbookConfig) (Output, error) {
	name := WorkbookName(v.year)
	wrap := func(err error) error { return fmt.Errorf("load: %s: %w", name, err) }

	f := excelize.NewFile(excelize.Options{TmpDir: dir})
	defer f.Close()
	rows, err := newRowSpool(dir)
	if err != nil {
		return Output{}, wrap(err)
	}
	defer rows.close()
	if err := buildWorkbook(ctx, f, rows, run, v, cfg); err != nil {
		return Output{}, wrap(err)
	}

	spool, err := os.CreateTemp(dir, "."+name+".spool-*")
	if err != nil {
		return Output{}, wrap(err)
	}
	defer func() {
		spool.Close()
		os.Remove(spool.Name())
	}()
	z, err := newSpoolZip(spool, rows)
	if err != nil {
		return Output{}, wrap(err)
	}
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return z })
	// excelize adds the image content types in map order; sorted, the bytes no longer vary.
	if ct := f.ContentTypes; ct != nil {
		sort.SliceStable(ct.Defaults, func(i, j int) bool { return ct.Defaults[i].Extension < ct.Defaults[j].Extension })
	}
	// excelize hands its own buffer to the zip writer, which ignores it: nothing may arrive here.
	stray := &countingWriter{w: io.Discard}
	if err := f.Write(stray); err != nil {
		return Output{}, wrap(err)
	}
	if stray.n != 0 {
		return Output{}, wrap(fmt.Errorf("excelize wrote %d bytes around the archive writer", stray.n))
	}
	if err := rows.check(); err != nil {
		return Output{}, wrap(err)
	}

	tmp, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return Output{}, wrap(err)
	}
	sink := newSyncingFile(tmp)
	// CreateTemp makes the file private; the workbook is for the analysts to open.
	err = tmp.Chmod(0o644)
	if err == nil {
		err = z.writeArchive(sink)
	}
	if cerr := sink.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dir, name))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return Output{}, wrap(err)
	}
	return Output{Path: name, Table: OutputWorkbook, Year: v.year, Rows: int64(v.n), Bytes: sink.n,
		SHA256: hex.EncodeToString(sink.sum.Sum(nil))}, nil
}

// Sheet names. Detail sheets continue on "<name> (2)", … past the row limit.
const (
	sheetAbout    = "说明"
	sheetSummary  = "全市汇总" // + "-" + city: one sheet per city (summaryName), up to maxCitySheets
	sheetCoverage = "报送情况"
	sheetUnits    = "各单位一览"
	sheetDetail   = "申请明细"
	sheetFindings = "校验问题"
	sheetRejects  = "未能读取"
	sheetCharts   = "图表"
)

// workbookBuilder builds one workbook.
type workbookBuilder struct {
	ctx   context.Context
	f     *excelize.File
	rows  *rowSpool // the detail sheets' data rows (workbook_rows.go)
	st    *styles
	names *sheetNames
	cfg   workbookConfig
	run   *runView
	v     *yearView

	guide    []sheetGuide   // the sheets in order, for 说明
	notes    []string       // remarks for 说明 gathered while building (overflow, coverage)
	units    *detailSheet   // 各单位一览, whose parts the hyperlinks of 校验问题 point into
	top      []topUnit      // the units of the applications chart, found by unitSheet
	coverage coverageCounts // the rows of 报送情况 by kind, found by coverageSheet
	// details and findings (by severity rank) are what 申请明细 and 校验问题 show of each report,
	// spooled by unitSheet's pass (workbook_spool.go).
	details  *recordSpool
	findings [rankError + 1]*recordSpool
	// blankSums is set when some sum of 全市汇总 left out blanks (and so is coloured orange).
	blankSums bool
	// used holds the colours the workbook uses, for the legend.
	used     map[mark]bool
	severity [rankError + 1]int64
}

type sheetGuide struct{ name, about string }

func buildWorkbook(ctx context.Context, f *excelize.File, rows *rowSpool, run *runView, v *yearView, cfg workbookConfig) error {
	b := &workbookBuilder{ctx: ctx, f: f, rows: rows, st: newStyles(f), names: newSheetNames(), cfg: cfg, run: run, v: v,
		used: map[mark]bool{}, notes: append([]string(nil), v.notes...)}
	defer b.closeSpools()
	about := b.names.take(sheetAbout)
	if err := f.SetSheetName(f.GetSheetName(0), about); err != nil {
		return err
	}
	steps := []func() error{
		b.citySheets,
		b.coverageSheet,
		b.unitSheet,
		b.detailSheet,
		b.findingSheet,
		b.rejectSheet,
		b.chartSheet,
		func() error { return b.aboutSheet(about) },
		b.properties,
	}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := step(); err != nil {
			return err
		}
		if b.st.err != nil {
			return b.st.err
		}
	}
	// 说明 is the new file's first sheet and so already the active one. SetActiveSheet(0) would
	// say so again at a high price: excelize parses every streamed sheet back into memory to clear
	// its tab selection, which costs more than writing the workbook and breaks flat memory.
	return nil
}

// properties fixes every document property, so that nothing of the time or the machine of the
// run gets into the file.
func (b *workbookBuilder) properties() error {
	title := yearTitle(b.v.year) + "政府信息公开工作年度报告汇总"
	if err := b.f.SetDocProps(&excelize.DocProperties{
		Title:          title,
		Subject:        "政府信息公开工作年度报告 统计表汇总",
		Creator:        "govreports",
		LastModifiedBy: "govreports",
		Description:    "由 govreports 根据各单位年度报告生成，数据与 Parquet 输出一致。",
		Keywords:       "政府信息公开; 年度报告; 汇总",
		Language:       "zh-CN",
		Revision:       "1",
		Version:        b.run.opt.SchemaVersion,
		Created:        fixedTime,
		Modified:       fixedTime,
	}); err != nil {
		return err
	}
	return b.f.SetAppProps(&excelize.AppProperties{Application: b.run.opt.CreatedBy})
}

// yearTitle is "2024 年" or, for the unknown year, "年度未识别的".
func yearTitle(year int) string {
	if year == 0 {
		return "年度未识别的"
	}
	return strconv.Itoa(year) + " 年"
}

// checkCtx is called every so many rows of a long sheet.
func (b *workbookBuilder) checkCtx(row int) error {
	if row%4096 == 0 {
		return b.ctx.Err()
	}
	return nil
}
