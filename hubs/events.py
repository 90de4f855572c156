"""The audit verbs this app records (the stored text; never build one from parts)."""

REFERENCE_DATA_LOADED = "reference_data.loaded"
