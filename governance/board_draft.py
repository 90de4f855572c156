"""The first national draft of a strategy board's terms of reference (issue 16).

Seed 003 ("Specialised commissioning within our emerging ICS") is where oversight groups went
next: "A Specialised Commissioning Strategy Board will replace the previous Specialised
Commissioning Oversight Group (SCOG)". No NHS England original is in the seeds, so this text
is written by the product from the seed itself: the board's purpose and place in the ICS
("Proposed place based arrangements within the ICS"), its membership ("Membership of
Specialised Commissioning Strategy Group"), decision-making (the RLG; NHS England keeps formal
responsibility: "Place Based Commissioning Options") and the formal options it explores. Text
in square brackets is for the board to settle locally.

Installed as version 1 of the `board_terms_of_reference` template by the data migration
`governance/0006_board_terms_template`; later versions are made in the product.
"""

BOARD_KIND = "board_terms_of_reference"
BOARD_LABEL = "Strategy board terms of reference"

BOARD_TERMS_OF_REFERENCE = """\
[Name of system] specialised commissioning strategy board: terms of reference

National draft, adapted locally. Written from "Specialised commissioning within our emerging \
ICS" (seed 003). Text in square brackets is for the board to complete or change.

1. Purpose
1.1 The specialised commissioning strategy board replaces the specialised commissioning \
oversight group of [name of hub] in [name of system]. It acts as a workstream programme board \
within the integrated care system's governance structure.
1.2 Its key purpose is to provide joint, place-based leadership for the strategic planning of \
specialised pathways where this will join up care and improve patient outcomes, so that all \
local commissioners have at a minimum a seat at the table.
1.3 It explores the opportunities and benefits of more formal place-based arrangements, \
initially taking the [cardiology] pathway as a proof of principle.

2. Membership
2.1 The members are: the Regional Director of specialised commissioning; the STP/ICS lead; \
the Medical Director of the [name] DCO team; the STP/ICS governance lead; representatives of \
the specialised commissioning hub; one representative from each ICP area; representatives of \
tier 1 and 2 specialised providers; a lay representative; and a finance representative.
2.2 Membership is carried forward from the previous oversight group where available. The \
[Health Strategy Group] agrees the membership approach; seats without a member are gaps, \
named and filled as nominations are confirmed by the [Joint CCG Committee].
2.3 The chair is [to be agreed locally].

3. Quorum
3.1 The board is quorate when [the chair or a vice chair] and at least [three] voting members, \
including [one representative of an ICP area], are present.

4. Decision-making and recommendations
4.1 The board recommends. Decision making sits within the ICS and, for specialised \
commissioning, within the Regional Leadership Group (RLG) governance. The board's \
recommendations go to the RLG and to the ICS.
4.2 Under the current legislative framework NHS England retains formal responsibility for the \
commissioning of specialised services, whatever collaborative arrangements are in place.

5. Formal place-based arrangements
5.1 The board may propose more formal arrangements for jointly prioritised services: pooled \
budgets between NHS England and CCGs under section 13V of the NHS Act 2006; joint \
appointments between NHS England sub-regional specialised commissioners and local \
commissioners; and internal delegation where a wider place-based arrangement goes beyond \
specialised commissioning. Each is recorded in the formal arrangements register.

6. Meetings and reporting
6.1 The board meets [every two months]. It reports to [the Joint CCG Committee] and to the RLG \
[after each meeting], including progress on the exemplar pathway projects.

7. Review
7.1 These terms are reviewed [each year].
"""
BOARD_SUMMARY = (
    "First national draft for strategy boards, written by the product from seed 003 "
    "(no NHS England original is in the seeds)."
)
BOARD_PUBLISHED = "2018-04-01"  # when the first ICSs began (the NENC ICS's date in the register)


def install(template_model, version_model) -> int:
    """Create the board template with its first published version, unless it has versions
    (idempotent); takes the model classes so a data migration can pass its own."""
    import datetime

    template, _ = template_model.objects.get_or_create(kind=BOARD_KIND)
    if version_model.objects.filter(template=template).exists():
        return 0
    version_model.objects.create(
        template=template,
        number=1,
        status="published",
        body=BOARD_TERMS_OF_REFERENCE,
        change_summary=BOARD_SUMMARY,
        published_at=datetime.datetime.fromisoformat(f"{BOARD_PUBLISHED}T09:00:00+00:00"),
    )
    return 1
