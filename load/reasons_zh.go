package load

import (
	"regexp"
	"strings"
)

// The analysts read why a file was rejected in Chinese. The pipeline and the readers give their
// reasons in English (the log, run.json and the rejects table keep them as they are); the common
// ones are translated whole, with the names and numbers they carry, and every other one gets the
// Chinese for its kind, the English wording staying in the workbook's last, unprinted column.

// zhReasons are tried in order; $1, $2 … are the submatches.
var zhReasons = []struct {
	re *regexp.Regexp
	zh string
}{
	{regexp.MustCompile(`^same content as (.+), whose reports are kept$`), "与 $1 的内容完全相同，只读取了那个文件"},
	{regexp.MustCompile(`^report (\S+) was already read from (.+)$`), "报告 $1 已经从 $2 读取过，不重复计入"},
	{regexp.MustCompile(`^no report found in the file$`), "文件中没有找到年度报告"},
	{regexp.MustCompile(`^internal error, please report it: `), "程序内部错误，请将此文件报告给开发人员"},
	{regexp.MustCompile(`no such file or directory`), "文件已不存在（找到之后、读取之前被删除或移走）"},
	{regexp.MustCompile(`permission denied`), "没有读取该文件的权限"},
	{regexp.MustCompile(`not a regular file`), "不是普通文件（是文件夹、管道或设备），无法读取"},
	{regexp.MustCompile(`file exceeds the size limit: (\d+) bytes, limit (\d+)`), "文件过大：$1 字节，超过上限 $2 字节（可用 --max-bytes 调高）"},
	{regexp.MustCompile(`file exceeds the size limit: grew past (\d+) bytes`), "文件在读取时增大，超过上限 $1 字节"},
	{regexp.MustCompile(`^empty file`), "空文件"},
	{regexp.MustCompile(`^unsupported file format: PDF`), "PDF 文件：请先转换为文本（pdftotext -layout），或提供 DOCX、HTML 原件"},
	{regexp.MustCompile(`legacy binary Office file`), "旧版 Office 文件（.doc、.xls）：请另存为 .docx 或 .xlsx"},
	{regexp.MustCompile(`^unsupported file format: (gzip |zip )?archive`), "压缩包：请先解压，再读取其中的报告"},
	{regexp.MustCompile(`^unsupported file format: RTF`), "RTF 文件：请另存为 .docx"},
	{regexp.MustCompile(`^unsupported file format: an image`), "图片（扫描件？）：请先做文字识别（OCR）"},
	{regexp.MustCompile(`^unsupported file format`), "不支持的文件格式"},
	{regexp.MustCompile(`^encrypted or password-protected file`), "文件已加密：请去掉密码后重新保存"},
	{regexp.MustCompile(`^binary content, not a report`), "二进制内容，不是报告"},
	{regexp.MustCompile(`^undecodable text`), "文字编码无法识别（应为 UTF-8、GB18030 或 UTF-16）"},
	{regexp.MustCompile(`entity bomb`), "文件已损坏或被恶意构造（XML 实体炸弹），拒绝读取"},
	{regexp.MustCompile(`its header declares`), "文件已损坏：压缩包中某一部分的实际大小与其声明的不符"},
	{regexp.MustCompile(`^corrupt file`), "文件已损坏或格式错误"},
	{regexp.MustCompile(`raise --max-rows`), "表格行数超过上限（可用 --max-rows 调高）"},
	{regexp.MustCompile(`raise --max-cells`), "表格单元格数超过上限（可用 --max-cells 调高）"},
	{regexp.MustCompile(`raise --max-uncompressed`), "解压后的大小超过上限（可用 --max-uncompressed 调高）"},
	{regexp.MustCompile(`^file exceeds a reading limit`), "文件超出读取上限"},
	{regexp.MustCompile(`no report tables`), "没有找到表二、表三、表四"},
	{regexp.MustCompile(`headings found but no table values`), "找到了表格标题，但标题后没有可读的数字"},
	{regexp.MustCompile(`collection table .* name no unit`), "汇总表的各行没有单位名称"},
	{regexp.MustCompile(`^no readable content`), "文件中没有可读的内容"},
	{regexp.MustCompile(`out of range`), "数值超出可写入的范围，写出数据时被拒绝"},
}

// rejectReasonZH says in Chinese why an input was rejected.
func rejectReasonZH(reason string) string {
	for _, r := range zhReasons {
		if m := r.re.FindStringSubmatchIndex(reason); m != nil {
			return string(r.re.ExpandString(nil, r.zh, reason, m))
		}
	}
	if strings.TrimSpace(reason) == "" {
		return "原因不明"
	}
	return "其他原因（程序原文见最后一列）"
}
