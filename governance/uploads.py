"""What may be uploaded as a governance document: PDF or DOCX, judged by content, not name."""

import io
import secrets
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import slugify

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def sniff(head: bytes, upload) -> str | None:
    """The real type of an upload from its bytes, or None if it is neither PDF nor DOCX."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        upload.seek(0)
        try:
            with zipfile.ZipFile(io.BytesIO(upload.read())) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
        if {"[Content_Types].xml", "word/document.xml"} <= names:
            return DOCX
    return None


def validate_upload(upload) -> tuple[str, str]:
    """Check an uploaded file; return (content type, safe stored name). Raises ValidationError."""
    limit = settings.DOCUMENT_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"The file must be smaller than {limit // (1024 * 1024)} MB", code="too_big"
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    kind = sniff(head, upload)
    if kind is None:
        raise ValidationError("The file must be a PDF or a Word document (.docx)", code="type")
    stem = slugify(upload.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].rsplit(".", 1)[0])[:60]
    extension = "pdf" if kind == PDF else "docx"
    return kind, f"{stem or 'document'}-{secrets.token_hex(4)}.{extension}"
