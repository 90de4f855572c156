"""What every PDF the product makes must be (issue 18, finding 11): tagged PDF/UA-1, so that a
screen reader can read it (WCAG 2.2 AA applies to documents too). Reads the structure tree with
pypdf: marked content, a structure root, the document's language and title, and alternative
text on every figure."""

import os
from io import BytesIO
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject


def _resolve(value):
    return value.get_object() if isinstance(value, IndirectObject) else value


def structure_elements(reader: PdfReader) -> list[DictionaryObject]:
    """Every structure element under the document's /StructTreeRoot, depth first."""
    root = _resolve(reader.trailer["/Root"]["/StructTreeRoot"])
    found: list[DictionaryObject] = []
    stack = [_resolve(root.get("/K"))]
    while stack:
        node = _resolve(stack.pop())
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, DictionaryObject) and node.get("/Type", "/StructElem") in (
            "/StructElem",
        ):
            if "/S" in node:
                found.append(node)
            kids = node.get("/K")
            if kids is not None:
                stack.append(kids)
    return found


def assert_accessible_pdf(data: bytes, *, title: str = "") -> PdfReader:
    """Fails unless `data` is a tagged PDF/UA-1 document as the issue asks; returns the reader."""
    reader = PdfReader(BytesIO(data))
    catalog = reader.trailer["/Root"]
    mark_info = _resolve(catalog.get("/MarkInfo")) or {}
    assert bool(mark_info.get("/Marked", False)), "not a tagged PDF (/MarkInfo /Marked true)"
    assert "/StructTreeRoot" in catalog, "no structure tree (/StructTreeRoot)"
    assert str(catalog.get("/Lang", "")) == "en-GB", "no document language (/Lang)"
    info_title = str((reader.metadata or {}).get("/Title", ""))
    assert info_title.strip(), "no document title (/Title)"
    if title:
        assert title in info_title, f"title {info_title!r} does not name {title!r}"
    assert b"pdfuaid:part" in data or _has_ua_metadata(reader), "no PDF/UA identification"
    elements = structure_elements(reader)
    kinds = {str(e["/S"]) for e in elements}
    assert "/H1" in kinds, f"no level 1 heading among {sorted(kinds)}"
    figures = [e for e in elements if e["/S"] == "/Figure"]
    for figure in figures:
        assert str(figure.get("/Alt", "")).strip(), "a figure without alternative text (/Alt)"
    if "/Table" in kinds:
        assert "/TH" in kinds, "a table without header cells"
    return reader


def _has_ua_metadata(reader: PdfReader) -> bool:
    metadata = reader.trailer["/Root"].get("/Metadata")
    return metadata is not None and b"pdfuaid" in _resolve(metadata).get_data()


def pdf_text(reader: PdfReader) -> str:
    """The text of every page, with runs of white space made one space."""
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def keep_pdf(data: bytes, name: str) -> None:
    """With PDF_ARTEFACTS set to a folder, keep the PDF there to look at (render its pages with
    `pdftoppm -png -r 50`); the folder is outside the repository."""
    folder = os.environ.get("PDF_ARTEFACTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"{name}.pdf").write_bytes(data)
