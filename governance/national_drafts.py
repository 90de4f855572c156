"""The first national drafts of the terms of reference and the collaboration agreement.

Seed 000 §3.4.2: "In order to ensure national consistency when establishing specialised
commissioning oversight groups, we have developed draft terms of reference and a collaborative
agreement ... there is scope to adapt these to reflect local arrangements." The NHS England
originals are not in the seeds, so these texts are written from the guidance itself: §3.4 (the
group's purpose, recommendations to the regional team, no delegation in 2015/16, delivery
sub-groups) and §3.4.1 (membership and representation). Where the guidance sets no rule
(quorum, conflicts of interest, how often to meet, reporting) the text says so and offers a
starting point in square brackets for the group to settle locally.

The data migration `governance/0004_national_templates_first_versions` installs these as
version 1 of each template; later versions are made in the product by national admins. These
strings are that first version's text: change them only by publishing a new version.
"""

TERMS_OF_REFERENCE = """\
[Name of hub] specialised collaborative commissioning oversight group: terms of reference

National draft, adapted locally. Source: NHS England, "Developing a more collaborative approach \
to the commissioning of specialised services: guidance" (4 March 2015), section 3.4. Text in \
square brackets is for the group to complete or change.

1. Purpose
1.1 From 1 April 2015 one specialised collaborative commissioning oversight group is developed \
in each specialised commissioning hub (guidance 3.4). This is the group for [name of hub].
1.2 The group gives input to shaping proposals on priorities, service design and service \
change, so that joined up recommendations can be made to NHS England's regional team in \
support of decision-making and assurance.
1.3 The areas for discussion and recommendation include: local priority setting for service \
change, including developing a priorities plan and monitoring delivery against it; input into \
local service reviews, including engagement and consultation; greater CCG clinical input into \
national policy, standards and specifications for specialised services; supporting and \
proposing service changes, new pathways and reconfiguration; generating ideas for QIPP \
development and delivery; and oversight of financial management, including opportunities to \
improve value and equity.

2. Membership and representation
2.1 Every CCG in the hub is invited to join the group (guidance 3.4.1). A CCG that opts not to \
take part directly agrees with a neighbouring CCG that it will represent the interests of its \
local population, and the group records that representation.
2.2 Membership enables contribution from clinical and managerial staff, and from the range of \
stakeholders with whom specialised commissioners work. NHS England's specialised \
commissioning team for the hub is a member.
2.3 Representatives of Public Health England, patient and public engagement, local authorities \
and voluntary groups provide advice, support and input. The group engages and involves patients \
and the public in service design and reconfiguration.
2.4 The chair is [to be agreed locally]; a vice chair is [to be agreed locally].

3. Quorum
3.1 The guidance sets no quorum; the group agrees its own. Starting point: the group is \
quorate when [the chair or a vice chair] and at least [three] voting CCG members, in person or \
by representation, are present. The rule the group agrees is recorded with these terms so that \
each meeting shows whether it was quorate.

4. Recommendations to the NHS England regional team (no delegated decisions in 2015/16)
4.1 The group makes recommendations to NHS England's regional team. It does not take \
commissioning decisions.
4.2 There is no delegation of commissioning functions to oversight groups in 2015/16. NHS \
England retains legal and financial responsibility for the commissioning of all specialised \
services (guidance 3.4).
4.3 Each recommendation is recorded with the reasons for it and sent to the regional team, \
which records its response.

5. Conflicts of interest
5.1 The guidance sets no procedure; the group applies its members' own organisations' policies \
on conflicts of interest, and: members declare any interest at the start of each meeting and \
when it arises; the declaration and how it was handled are minuted; [a member with a material \
interest takes no part in the recommendation concerned].

6. Frequency of meetings
6.1 The guidance sets no frequency. The group meets [every two months], and as needed to keep \
to the planning calendar: shaping priorities in spring, the priorities plan and peer review, \
input into national commissioning intentions in September and next year's plan from October.

7. Reporting
7.1 The group's recommendations go to NHS England's regional team (section 4). Members report \
back to their own organisations [through their governing bodies].
7.2 Papers, minutes and the action log are shared with members [within ten working days] of \
each meeting.

8. Sub-groups
8.1 The group may establish delivery sub-groups to deliver the ambitions and priorities agreed, \
at a pathway or geographical level (guidance 3.4). Existing groups may be expanded rather than \
new ones set up.
8.2 Each sub-group has a written remit agreed by the group and reports to it. Sub-groups make \
no decisions on the group's behalf.

9. Review
9.1 These terms are reviewed [each year], and when the arrangements for collaborative \
commissioning change.
"""

COLLABORATION_AGREEMENT = """\
[Name of hub] specialised collaborative commissioning: collaboration agreement

National draft, adapted locally. Source: NHS England, "Developing a more collaborative approach \
to the commissioning of specialised services: guidance" (4 March 2015), sections 3.4 and 3.4.1. \
Text in square brackets is for the parties to complete or change.

1. Purpose
1.1 This agreement is between NHS England and the CCGs of [name of hub] that take part in the \
hub's specialised collaborative commissioning oversight group. It sets out how the parties \
work together to shape priorities, service design and service change across whole pathways of \
care, from 1 April 2015 (guidance 3.4).
1.2 The parties aim to reduce inequalities and improve service quality, value and \
sustainability.

2. Membership and representation
2.1 Every CCG in the hub is invited to sign this agreement and to join the oversight group. A \
CCG that opts not to take part directly names a neighbouring CCG to represent the interests of \
its local population; both CCGs confirm the arrangement (guidance 3.4.1).
2.2 Each party names its representative and a deputy, and ensures appropriate clinical and \
managerial contribution.
2.3 Patients and the public, Public Health England, local authorities and voluntary groups are \
involved in service design and reconfiguration.

3. Quorum
3.1 Recommendations are made only at a quorate meeting of the oversight group, as its terms of \
reference define [the chair or a vice chair and at least three voting CCG members].

4. Recommendations to the NHS England regional team (no delegated decisions in 2015/16)
4.1 The oversight group makes joined up recommendations to NHS England's regional team in \
support of decision-making and assurance. Decisions remain NHS England's.
4.2 There is no delegation of commissioning functions in 2015/16. NHS England retains legal \
and financial responsibility for the commissioning of all specialised services (guidance 3.4).
4.3 NHS England's regional team responds to each recommendation and explains its decision.

5. Conflicts of interest
5.1 Each party follows its own policy on conflicts of interest. Representatives declare \
interests at every meeting, and the declarations and how they were handled are recorded. \
[A representative with a material interest takes no part in the recommendation concerned.]

6. Frequency of meetings
6.1 The parties attend the oversight group's meetings [every two months], and the workshops \
and peer reviews of the planning cycle.

7. Reporting
7.1 Each party reports the group's recommendations and NHS England's responses to its own \
governing body [at least twice a year]. NHS England's regional team reports on delivery of the \
priorities plan to the group.
7.2 The parties share the information needed to set priorities and monitor delivery, within \
the law on information governance.

8. Sub-groups
8.1 The parties may take part in delivery sub-groups established by the oversight group at a \
pathway or geographical level (guidance 3.4), and resource them [as agreed].

9. Term, review and leaving
9.1 This agreement runs from [1 April 2015] and is reviewed [each year]. A party may leave on \
[three months'] written notice to the oversight group; its population's interests are then \
represented as in section 2.
"""

FIRST_VERSIONS = {
    "terms_of_reference": TERMS_OF_REFERENCE,
    "collaboration_agreement": COLLABORATION_AGREEMENT,
}
FIRST_SUMMARY = "First national draft, written from the 2015 guidance (seed 000 §3.4, §3.4.2)."
GUIDANCE_PUBLISHED = "2015-03-04"  # the guidance's own date: version 1 is published with it


def install(template_model, version_model) -> int:
    """Create each template with its first published version, unless it has versions already
    (idempotent). Takes the model classes so the data migration can pass its historical ones.
    Returns how many versions it created."""
    import datetime

    published = datetime.datetime.fromisoformat(f"{GUIDANCE_PUBLISHED}T09:00:00+00:00")
    made = 0
    for kind, body in FIRST_VERSIONS.items():
        template, _ = template_model.objects.get_or_create(kind=kind)
        if version_model.objects.filter(template=template).exists():
            continue
        version_model.objects.create(
            template=template,
            number=1,
            status="published",
            body=body,
            change_summary=FIRST_SUMMARY,
            published_at=published,
        )
        made += 1
    return made
