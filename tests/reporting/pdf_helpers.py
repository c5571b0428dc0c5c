"""Reading a rendered PDF back: its text (pypdf) and the names of its embedded fonts."""

import io

from pypdf import PdfReader


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def pdf_font_names(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]))
    return names


def assert_cjk_fonts(pdf: bytes) -> None:
    fonts = pdf_font_names(pdf)
    assert fonts and all("CJK" in name for name in fonts), fonts
