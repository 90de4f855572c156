"""REST API for primary care co-commissioning (issue 15, "What to build" 7; seed 002): the
same access helpers, selectors and services as the pages. Anything you may not read answers
404; read but not change, 403; a stale `version`, 409 (commissioning.api_errors); a service's
refusal, 400 keyed by its field. Bodies are in api_serializers."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from accounts.permissions import scopes
from commissioning.api_helpers import valid
from governance.uploads import validate_upload
from oversight.api import ConflictSerializer

from . import selectors, services
from .api_serializers import (
    CoAgendaSerializer,
    CoApplicationCreateSerializer,
    CoApplicationDetailSerializer,
    CoApplicationSerializer,
    CoApplicationUpdateSerializer,
    CoChangesSerializer,
    CoConfirmSerializer,
    CoConflictsReviewSerializer,
    CoConflictsReviewUpdateSerializer,
    CoDecisionSerializer,
    CoDocumentSerializer,
    CoDocumentUploadSerializer,
    CoMessageCreateSerializer,
    CoMessageSerializer,
    CoNoteSerializer,
    CoReasonSerializer,
    CoVersionSerializer,
)
from .models import Application, ConflictsReview, Message
from .permissions import (
    can_draft,
    can_review,
    can_sign_off,
    confirmable_ccgs,
    get_application_for_user,
    get_conflicts_review_for_reviewer,
    leads_ccg,
    require,
)

Status = Application.Status
ID = "[0-9]{1,18}"


def _user(view):
    """The requesting user, or None for the schema generator's fake request."""
    return None if getattr(view, "swagger_fake_view", False) else view.request.user


def reads_review(user, application: Application) -> bool:
    """The region's team, the Commissioning Committee and national admins read the conflicts
    of interest review."""
    s = scopes(user)
    return can_review(user, application) or s.national or can_sign_off(user, application)


def _detail(user, application: Application) -> dict:
    page = selectors.application_page(application)
    application.page_parties = page["parties"]
    application.page_documents = page["documents"]
    application.page_messages = page["messages"]
    application.page_entries = page["agenda_entries"]
    review = page["conflicts_review"]
    application.page_review = review if review and reads_review(user, application) else None
    return CoApplicationDetailSerializer(application).data


def _answer(user, application: Application, code=status.HTTP_200_OK) -> Response:
    fresh = get_application_for_user(user, application.pk)
    return Response(_detail(user, fresh), status=code)


ERRORS = {409: ConflictSerializer}


def move_schema(body):
    """A change to an application: its body in, the application out (409 on a stale version
    or a move its status does not allow)."""
    return extend_schema(request=body, responses={200: CoApplicationDetailSerializer, **ERRORS})


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Co-commissioning applications you may read: your CCG's (as its lead or a partner's
    lead), your region's, from the region's recommendation on for the Commissioning Committee
    (delegated), every one for national admins. Each change sends the `version` it was made
    from."""

    lookup_value_regex = ID
    serializer_class = CoApplicationSerializer
    filterset_fields = ["status", "model", "go_live_on"]

    def get_queryset(self):
        user = _user(self)
        if user is None:
            return selectors.applications_for(None).none()
        return selectors.applications_for(user)

    def _application(self, pk) -> Application:
        return get_application_for_user(self.request.user, pk)

    @extend_schema(responses={200: CoApplicationDetailSerializer})
    def retrieve(self, request, pk=None):
        return Response(_detail(request.user, self._application(pk)))

    @extend_schema(
        request=CoApplicationCreateSerializer, responses={201: CoApplicationDetailSerializer}
    )
    def create(self, request):
        """A CCG's lead drafts an application for their CCG (joint: with partner CCGs)."""
        data = valid(CoApplicationCreateSerializer, request)
        require(leads_ccg(request.user, data["lead_ccg"]), "You apply only for a CCG you lead.")
        application = services.application_create(by=request.user, **data)
        return _answer(request.user, application, status.HTTP_201_CREATED)

    @move_schema(CoApplicationUpdateSerializer)
    def partial_update(self, request, pk=None):
        """Change a draft (or one returned for changes): go-live date, functions, summary."""
        application = self._application(pk)
        require(can_draft(request.user, application), "Only the lead CCG's leads change it.")
        data = valid(CoApplicationUpdateSerializer, request)
        fields = {
            "go_live_on": application.go_live_on,
            "functions": application.functions,
            "summary": application.summary,
            "pooled_budget": application.pooled_budget,
        } | data
        application = services.application_update(
            by=request.user, application=application, **fields
        )
        return _answer(request.user, application)

    def _move(self, request, pk, allowed, why: str, body, service, **extra):
        application = self._application(pk)
        require(allowed(request.user, application), why)
        data = valid(body, request)
        application = service(by=request.user, application=application, **data, **extra)
        return _answer(request.user, application)

    @move_schema(CoVersionSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit (or resubmit) for regional review: the lead CCG's leads."""
        return self._move(
            request,
            pk,
            can_draft,
            "Only the lead CCG's leads submit it.",
            CoVersionSerializer,
            services.application_submit,
        )

    @move_schema(CoReasonSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        return self._move(
            request,
            pk,
            can_draft,
            "Only the lead CCG's leads withdraw it.",
            CoReasonSerializer,
            services.application_withdraw,
        )

    @extend_schema(request=CoConfirmSerializer, responses={200: CoApplicationDetailSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """A partner CCG's lead confirms the CCG takes part in a joint application."""
        application = self._application(pk)
        mine = confirmable_ccgs(request.user, application)
        require(bool(mine), "Only a partner CCG's lead confirms, once.")
        ccg = valid(CoConfirmSerializer, request)["ccg"]
        if ccg is None:
            ccg = mine[0]
        elif ccg not in mine:
            raise ValidationError(
                {"ccg": ["Choose a partner CCG you lead that has not confirmed."]}
            )
        services.party_confirm(by=request.user, application=application, ccg=ccg)
        return _answer(request.user, application)

    @move_schema(CoReasonSerializer)
    @action(detail=True, methods=["post"], url_path="late-agree")
    def late_agree(self, request, pk=None):
        """The region agrees to an application after the window's deadline."""
        return self._move(
            request,
            pk,
            can_review,
            "Only the region's team agrees to a late application.",
            CoReasonSerializer,
            services.late_agree,
        )

    @move_schema(CoVersionSerializer)
    @action(detail=True, methods=["post"], url_path="start-review")
    def start_review(self, request, pk=None):
        return self._move(
            request,
            pk,
            can_review,
            "Only the region's team reviews it.",
            CoVersionSerializer,
            services.review_start,
        )

    @move_schema(CoChangesSerializer)
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request, pk=None):
        return self._move(
            request,
            pk,
            can_review,
            "Only the region's team asks for changes.",
            CoChangesSerializer,
            services.changes_request,
        )

    @move_schema(CoNoteSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """The region approves a joint application."""
        return self._move(
            request,
            pk,
            can_review,
            "Only the region's team approves it.",
            CoNoteSerializer,
            services.application_approve,
        )

    @move_schema(CoNoteSerializer)
    @action(detail=True, methods=["post"])
    def recommend(self, request, pk=None):
        """The region, assured about conflicts of interest, recommends a delegated one."""
        return self._move(
            request,
            pk,
            can_review,
            "Only the region's team recommends it.",
            CoNoteSerializer,
            services.application_recommend,
        )

    @move_schema(CoAgendaSerializer)
    @action(detail=True, methods=["post"])
    def agenda(self, request, pk=None):
        """The Commissioning Committee puts a recommended delegated application on a scheduled
        meeting's agenda, as an item for decision."""
        application = self._application(pk)
        require(can_sign_off(request.user, application), "Only the Commissioning Committee.")
        data = valid(CoAgendaSerializer, request)
        meeting = services.agenda_meetings().filter(pk=data["meeting"]).first()
        if meeting is None:
            raise ValidationError(
                {"meeting": ["Choose a scheduled Commissioning Committee meeting."]}
            )
        services.agenda_place(
            by=request.user, application=application, version=data["version"], meeting=meeting
        )
        return _answer(request.user, application)

    @move_schema(CoDecisionSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """The Commissioning Committee's decision at the held meeting whose agenda it is on:
        signed off, not approved (with reasons) or deferred. Refused (400) when the committee
        was not quorate for the item, counting without members excluded for an interest."""
        application = self._application(pk)
        require(can_sign_off(request.user, application), "Only the Commissioning Committee.")
        data = valid(CoDecisionSerializer, request)
        services.application_decide(by=request.user, application=application, **data)
        return _answer(request.user, application)

    @move_schema(CoReasonSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        """Not approved, with reasons, by the region while it reviews (the Commissioning
        Committee decides at a meeting: `decide`)."""
        return self._move(
            request,
            pk,
            can_review,
            "Only the region's team refuses it while it reviews.",
            CoReasonSerializer,
            services.application_refuse,
        )

    @extend_schema(request=CoMessageCreateSerializer, responses={201: CoMessageSerializer})
    @action(detail=True, methods=["post"])
    def messages(self, request, pk=None):
        """A question (the region), an answer (a CCG's lead) or a note (either)."""
        application = self._application(pk)
        data = valid(CoMessageCreateSerializer, request)
        region = can_review(request.user, application)
        ccg = any(leads_ccg(request.user, p.ccg) for p in application.parties.select_related("ccg"))
        allowed = {
            Message.Kind.QUESTION: region,
            Message.Kind.ANSWER: ccg,
            Message.Kind.NOTE: region or ccg,
        }[data["kind"]]
        require(allowed, "The region asks, the CCGs' leads answer.")
        message = services.message_add(by=request.user, application=application, **data)
        return Response(CoMessageSerializer(message).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses={200: CoDocumentSerializer(many=True)})
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": CoDocumentUploadSerializer},
        responses={201: CoDocumentSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[MultiPartParser, FormParser],
        pagination_class=None,
        filter_backends=[],
    )
    def documents(self, request, pk=None):
        """The documents the application rests on; the lead CCG's leads upload PDF or DOCX
        (judged by content), replacing the same kind's earlier one."""
        application = self._application(pk)
        if request.method == "GET":
            documents = selectors.documents_of(application)
            return Response(CoDocumentSerializer(documents, many=True).data)
        require(can_draft(request.user, application), "Only the lead CCG's leads attach them.")
        data = valid(CoDocumentUploadSerializer, request)
        try:
            content_type, stored_name = validate_upload(data["file"])
        except DjangoValidationError as bad:
            raise ValidationError({"file": bad.messages}) from bad
        document = services.document_attach(
            by=request.user,
            application=application,
            kind=data["kind"],
            upload=data["file"],
            content_type=content_type,
            stored_name=stored_name,
        )
        return Response(CoDocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class ConflictsReviewViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The region's conflicts of interest review of a delegated application: the region's team
    completes it (PATCH with `version`); the Commissioning Committee and national admins read
    it."""

    lookup_value_regex = ID
    serializer_class = CoConflictsReviewSerializer

    def get_queryset(self):
        user = _user(self)
        if user is None:
            return selectors.conflicts_reviews_visible_to(None).none()
        return selectors.conflicts_reviews_visible_to(user)

    def _review(self, pk) -> ConflictsReview:
        review = self.get_queryset().filter(pk=pk).first()
        if review is None or not reads_review(self.request.user, review.application):
            raise Http404("No such review.")
        return review

    def retrieve(self, request, pk=None):
        return Response(CoConflictsReviewSerializer(self._review(pk)).data)

    @extend_schema(
        request=CoConflictsReviewUpdateSerializer,
        responses={200: CoConflictsReviewSerializer, **ERRORS},
    )
    def partial_update(self, request, pk=None):
        review = get_conflicts_review_for_reviewer(request.user, self._review(pk).application)
        changes = valid(CoConflictsReviewUpdateSerializer, request)
        version = changes.pop("version")
        names = [n for n, _ in ConflictsReview.CHECKS]
        fields = [*names, *[f"{n}_evidence" for n in names], "outcome", "outcome_note"]
        answers = {f: getattr(review, f) for f in fields} | changes
        review = services.conflicts_review_save(
            by=request.user, review=review, version=version, **answers
        )
        return Response(CoConflictsReviewSerializer(review).data)
