"""The audit verbs this app records (the stored text; never build one from parts)."""

DOCUMENT_DRAFTED = "document.drafted"
DOCUMENT_UPDATED = "document.updated"
DOCUMENT_AGREED = "document.agreed"
