"""Writes the bench's document (headings, paragraphs, tables from a JSON file) as .docx, styled like the report:
A4, GB/T 9704 margins, 三号 Noto Serif CJK SC body text. Usage: make_docx.py content.json out.docx"""
import json
import sys

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt


def font(run_or_style, name, size):
    run_or_style.font.name = name
    run_or_style.font.size = Pt(size)
    run_or_style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


blocks = json.load(open(sys.argv[1], encoding="utf-8"))
document = Document()
section = document.sections[0]
section.page_width, section.page_height = Mm(210), Mm(297)
section.left_margin, section.right_margin, section.top_margin, section.bottom_margin = Mm(28), Mm(26), Mm(37), Mm(35)
font(document.styles["Normal"], "Noto Serif CJK SC", 16)
for block in blocks:
    if block["kind"] == "heading":
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        font(paragraph.add_run(block["text"]), "Noto Sans CJK SC", 22)
    elif block["kind"] == "paragraph":
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(32)
        paragraph.add_run(block["text"])
    elif block["kind"] == "table":
        rows = block["rows"]
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        table.style = "Table Grid"
        for cells, row in zip(rows, table.rows):
            for text, cell in zip(cells, row.cells):
                font(cell.paragraphs[0].add_run(text), "Noto Serif CJK SC", 10.5)
    elif block["kind"] == "pagebreak":
        document.add_page_break()
document.save(sys.argv[2])
