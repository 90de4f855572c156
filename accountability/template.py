"""The default RACI matrix a group starts from, drawn from seed 000: NHS England stays
accountable for specialised commissioning (nationally for national policy, through its regional
team locally); the oversight group recommends; the hub does the commissioning work; CCGs,
clinical groups, providers and the public are consulted or informed. Groups adapt it."""

PARTIES = [
    "NHS England national team",
    "NHS England regional team",
    "Specialised commissioning hub",
    "Oversight group",
    "CCGs",
    "Clinical Reference Groups and Programme of Care boards",
    "Providers",
    "Patients and the public",
]

# (stage, activity, one letter per party in PARTIES order; "-" for none)
ACTIVITIES = [
    ("Plan", "Assess population needs and inequalities", "IARCCCIC"),
    ("Plan", "Set local priorities and agree the priorities plan", "IARRCCIC"),
    ("Plan", "Input into national commissioning intentions", "ACRCCCII"),
    ("Specify", "Write national service specifications and policies", "AICICRCC"),
    ("Specify", "Design local pathways and service models", "IARCRCCC"),
    ("Change", "Review services and consult on changes", "IARCCCCC"),
    ("Change", "Propose service change or reconfiguration", "IARRCCCC"),
    ("Change", "Decide service change or reconfiguration", "IARCIIII"),
    ("Deliver", "Identify QIPP savings", "IARRCICI"),
    ("Deliver", "Contract with providers", "IARIIICI"),
    ("Deliver", "Monitor delivery, quality and outcomes", "IARCIIRI"),
    ("Deliver", "Oversee the financial position, value and equity", "IARCIIII"),
]
