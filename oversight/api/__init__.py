"""REST API for oversight groups: serializers, filters, and the views for groups (with their
CCG places and members) and for interests and sub-groups. Other apps' APIs reuse a few parts."""

from .boards import CarriedMemberViewSet
from .filters import IdFilter
from .groups import CCGMembershipViewSet, GroupMemberViewSet, GroupViewSet
from .interests import InterestViewSet, SubGroupViewSet
from .serializers import VERSION_HELP, ConflictSerializer

__all__ = [
    "VERSION_HELP",
    "CCGMembershipViewSet",
    "CarriedMemberViewSet",
    "ConflictSerializer",
    "GroupMemberViewSet",
    "GroupViewSet",
    "IdFilter",
    "InterestViewSet",
    "SubGroupViewSet",
]
