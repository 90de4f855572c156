"""Priorities plan pages, one module per section: plans (and their workflow, versions and the
cross-hub view), proposals, assessment, delivery (with the dashboard and downloads). Each view
asks permissions.py for the object, calls one service and renders what selectors.py reads."""

from .assessment import (
    assessor_add,
    assessor_self_add,
    criteria_page,
    criterion_archive,
    criterion_rename,
    proposal_score,
    ranking_page,
)
from .assurance import plan_assure, plan_history
from .delivery import plan_csv, plan_dashboard, plan_priorities_csv, plan_xlsx, priority_delivery
from .plans import (
    cross_hub,
    plan_create,
    plan_detail,
    plan_edit,
    plan_list,
    plan_move,
    plan_pdf,
    plan_roll_forward,
    plan_version,
    plan_version_pdf,
    plan_version_pdf_retry,
)
from .programme import joint_programme, joint_programme_now, way_forward
from .proposals import proposal_action, proposal_create, proposal_detail, proposal_edit

__all__ = [
    "assessor_add",
    "assessor_self_add",
    "criteria_page",
    "criterion_archive",
    "criterion_rename",
    "cross_hub",
    "joint_programme",
    "joint_programme_now",
    "plan_assure",
    "plan_create",
    "plan_csv",
    "plan_dashboard",
    "plan_detail",
    "plan_edit",
    "plan_history",
    "plan_list",
    "plan_move",
    "plan_pdf",
    "plan_priorities_csv",
    "plan_roll_forward",
    "plan_version",
    "plan_version_pdf",
    "plan_version_pdf_retry",
    "plan_xlsx",
    "priority_delivery",
    "proposal_action",
    "proposal_create",
    "proposal_detail",
    "proposal_edit",
    "proposal_score",
    "ranking_page",
    "way_forward",
]
