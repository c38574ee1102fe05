"""Writes the 申报汇总表 rows of a tab-separated file with XlsxWriter, laid out as the bench's Swift sheet: title and
authority rows merged, a header row, one formatted row per application. The title, authority, headers and column
widths are in the .json file of the same name. Usage: write_xlsx.py rows.tsv out.xlsx
Prints the seconds spent reading and writing (interpreter start-up excluded, as for the Swift side) and the peak MB."""
import json
import resource
import sys
import time

import xlsxwriter

started = time.perf_counter()

sheet_data = json.load(open(sys.argv[1].rsplit(".", 1)[0] + ".json", encoding="utf-8"))
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1], encoding="utf-8")]
workbook = xlsxwriter.Workbook(sys.argv[2])
sheet = workbook.add_worksheet("申报汇总表")
title = workbook.add_format({"bold": True, "font_size": 18, "align": "center", "valign": "vcenter", "font_name": "方正小标宋简体"})
authority = workbook.add_format({"font_size": 12, "valign": "vcenter"})
header = workbook.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True, "font_name": "黑体"})
cell = workbook.add_format({"border": 1, "valign": "vcenter", "text_wrap": True, "font_name": "仿宋_GB2312"})
centered = workbook.add_format({"border": 1, "align": "center", "valign": "vcenter", "text_wrap": True, "font_name": "仿宋_GB2312"})
headers = sheet_data["headers"]
last = len(headers) - 1
for index, width in enumerate(sheet_data["widths"]):
    sheet.set_column(index, index, width)
sheet.set_row(0, 36)
sheet.merge_range(0, 0, 0, last, sheet_data["title"], title)
sheet.merge_range(1, 0, 1, last, sheet_data["authority"], authority)
for index, text in enumerate(headers):
    sheet.write_string(2, index, text, header)
for number, row in enumerate(rows):
    sheet.set_row(3 + number, 34)
    sheet.write_number(3 + number, 0, number + 1, centered)
    for index, text in enumerate(row, start=1):
        sheet.write_string(3 + number, index, text, cell)
sheet.freeze_panes(3, 0)
sheet.set_landscape()
sheet.set_paper(9)
sheet.fit_to_pages(1, 0)
sheet.repeat_rows(2)
workbook.close()
print(f"{time.perf_counter() - started:.4f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}")
