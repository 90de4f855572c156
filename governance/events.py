"""The audit verbs this app records (the stored text; never build one from parts)."""

from commissioning import audit

DOCUMENT_DRAFTED = "document.drafted"
DOCUMENT_UPDATED = "document.updated"
DOCUMENT_AGREED = "document.agreed"
TEMPLATE_DRAFTED = "national_template.drafted"
TEMPLATE_UPDATED = "national_template.updated"
TEMPLATE_PUBLISHED = "national_template.published"
TEMPLATE_ARCHIVED = "national_template.archived"


audit.label_verbs(
    {
        TEMPLATE_DRAFTED: "National template drafted",
        TEMPLATE_UPDATED: "National template changed",
        TEMPLATE_PUBLISHED: "National template published",
        TEMPLATE_ARCHIVED: "National template archived",
    }
)
