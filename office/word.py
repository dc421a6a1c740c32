"""Word documents (python-docx) for the report pages: the work summary and the
feedback sheets to employer units. Chinese text is set in a font that Word and
WPS have on Chinese Windows (宋体 / 黑体 for headings)."""

import io

from django.http import HttpResponse
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Pt

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY_FONT = "SimSun"
HEADING_FONT = "SimHei"


def _set_font(style, name: str, size: float | None = None):
    style.font.name = name
    if size:
        style.font.size = Pt(size)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def new_document(*, landscape: bool = False):
    document = Document()
    _set_font(document.styles["Normal"], BODY_FONT, 11)
    for level in (1, 2, 3):
        _set_font(document.styles[f"Heading {level}"], HEADING_FONT)
    if landscape:
        section = document.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    return document


def add_table(document, header: list[str], rows) -> None:
    """A bordered table with a bold header row; every cell written as text."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = ""
        cell.paragraphs[0].add_run(str(text)).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = "" if value is None else str(value)


def page_break(document) -> None:
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def document_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def file_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """A prepared file as a download. `filename` is ASCII (dates and codes): browsers
    and older Windows handle it without RFC 5987 encoding."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def docx_response(document, filename: str) -> HttpResponse:
    """The document as a download (see file_response)."""
    return file_response(document_bytes(document), filename, DOCX_TYPE)
