"""The audit verbs this app records (the stored text; never build one from parts)."""

EXPORT_REQUESTED = "export.requested"
