#!/usr/bin/env bash
# Makes the sample uploads that Examples/applications/*.json refer to (the files are committed; rerun after editing this).
# Each page names what it stands for, so a reader of a built 申请报告 can tell the parts apart.
set -euo pipefail
cd "$(dirname "$0")/../Examples/applications/attachments"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# page OUTPUT TITLE TEXT: one A4 page of text. pango-view sizes the page to the text, so it is drawn twice: the second
# time with the bottom margin that makes the page 842 pt high. One font, one page per file: each embedded CJK subset
# costs about 60 KB.
page() {
  local text="<span size='x-large'>$2</span>

$3

示例附件：本页由 scripts/example-attachments.sh 生成，代替企业上传的扫描件。"
  pango-view --no-display --output="$work/measure.pdf" --dpi=72 --width=475 --margin="60 60 60" \
    --font="Noto Sans CJK SC 12" --markup --text="$text"
  local height
  height=$(pdfinfo "$work/measure.pdf" | awk '/^Page size:/ { print int($5 + 0.5) }')
  pango-view --no-display --output="$1" --dpi=72 --width=475 --margin="60 60 $((60 + 842 - height))" \
    --font="Noto Sans CJK SC 12" --markup --text="$text"
}

page "$work/licence.pdf" "营业执照" "统一社会信用代码：91140100MA0K3L7P84　名称：山西示例有限公司　类型：有限责任公司"
pdftoppm -r 60 -jpeg -singlefile "$work/licence.pdf" business-licence
page financial-statements.pdf "财务报表" "资产负债表、利润表、现金流量表（单位：万元）"
page credit-proof.pdf "信用查询结果" "“信用中国（山西）”网站、国家企业信用信息公示系统查询结果：未列入失信黑名单、严重违法失信企业名单。"
page supporting-document.pdf "证明文件" "认定（批复）文件、审计报告、鉴证报告、合同或到账凭证等本方向须上传的证明材料。"
ls -l
