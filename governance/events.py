"""The audit verbs this app records (the stored text; never build one from parts)."""

DOCUMENT_DRAFTED = "document.drafted"
DOCUMENT_UPDATED = "document.updated"
DOCUMENT_AGREED = "document.agreed"
TEMPLATE_DRAFTED = "national_template.drafted"
TEMPLATE_UPDATED = "national_template.updated"
TEMPLATE_PUBLISHED = "national_template.published"
TEMPLATE_ARCHIVED = "national_template.archived"
