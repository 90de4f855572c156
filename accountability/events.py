"""The audit verbs this app records (the stored text; never build one from parts)."""

RACI_SEEDED = "raci.seeded"
RACI_SAVED = "raci.saved"
RACI_ACTIVITY_ADDED = "raci.activity_added"
RACI_PARTY_ADDED = "raci.party_added"
RACI_ARCHIVED = "raci.archived"
