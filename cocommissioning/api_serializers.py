"""The bodies co-commissioning's API reads and writes (issue 15, "What to build" 7)."""

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from commissioning.limits import LONG_TEXT
from hubs import selectors as hub_selectors
from oversight.api import VERSION_HELP

from .models import (
    AgendaEntry,
    Application,
    ApplicationCCG,
    ApplicationWindow,
    ConflictsReview,
    Document,
    Function,
    Interest,
    Message,
    Model,
)


def _enum_field(choices: type[models.TextChoices], component_name: str):
    """A ChoiceField documented once as `component_name` (`status`, `kind` and `model` are
    field names other apps use for other choices)."""

    @extend_schema_field(
        {
            "type": "string",
            "enum": list(choices.values),
            "description": "\n".join(f"* `{v}` - {label}" for v, label in choices.choices),
        },
        component_name=component_name,
    )
    class EnumField(serializers.ChoiceField):
        def __init__(self, **kwargs):
            super().__init__(choices=choices.choices, **kwargs)

    return EnumField


ModelField = _enum_field(Model, "CoModelEnum")
StatusField = _enum_field(Application.Status, "CoApplicationStatusEnum")
FunctionField = _enum_field(Function, "CoFunctionEnum")
DocumentKindField = _enum_field(Document.Kind, "CoDocumentKindEnum")
MessageKindField = _enum_field(Message.Kind, "CoMessageKindEnum")
AnswerField = _enum_field(ConflictsReview.Answer, "CoCheckAnswerEnum")
OutcomeField = _enum_field(ConflictsReview.Outcome, "CoReviewOutcomeEnum")
InterestKindField = _enum_field(Interest.Kind, "CoInterestKindEnum")


def _ccg_field(**kwargs):
    return serializers.SlugRelatedField(
        slug_field="ods_code", queryset=hub_selectors.ccgs(), **kwargs
    )


def _text(**kwargs):
    return serializers.CharField(max_length=LONG_TEXT, **kwargs)


def _name(source: str):
    return serializers.CharField(source=source, read_only=True, allow_null=True, default=None)


# --- responses ----------------------------------------------------------------------------


class CoPartySerializer(serializers.ModelSerializer):
    ccg = serializers.CharField(source="ccg.ods_code", read_only=True)
    ccg_name = serializers.CharField(source="ccg.name", read_only=True)

    class Meta:
        model = ApplicationCCG
        fields = ["ccg", "ccg_name", "confirmed_at"]
        read_only_fields = fields


class CoDocumentSerializer(serializers.ModelSerializer):
    kind = DocumentKindField(read_only=True)
    uploaded_by = _name("uploaded_by.full_name")

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "original_filename",
            "content_type",
            "size",
            "uploaded_at",
            "uploaded_by",
        ]
        read_only_fields = fields


class CoMessageSerializer(serializers.ModelSerializer):
    kind = MessageKindField(read_only=True)
    by = _name("by.full_name")

    class Meta:
        model = Message
        fields = ["id", "kind", "text", "at", "by"]
        read_only_fields = fields


class CoAgendaEntrySerializer(serializers.ModelSerializer):
    """The application on a Commissioning Committee meeting's agenda, and the decision there:
    who took part and who was excluded for a declared interest, as at the decision."""

    meeting = serializers.IntegerField(source="item.meeting_id", read_only=True)
    item = serializers.IntegerField(source="item_id", read_only=True)
    outcome = _enum_field(AgendaEntry.Outcome, "CoDecisionOutcome")
    took_part = serializers.ListField(child=serializers.DictField(), read_only=True)
    excluded = serializers.ListField(child=serializers.DictField(), read_only=True)

    class Meta:
        model = AgendaEntry
        fields = [
            "id",
            "meeting",
            "item",
            "outcome",
            "reasons",
            "took_part",
            "excluded",
            "quorum",
            "decided_at",
        ]
        read_only_fields = fields


class CoConflictsReviewSerializer(serializers.ModelSerializer):
    register = AnswerField(read_only=True, allow_blank=True)
    declarations = AnswerField(read_only=True, allow_blank=True)
    exclusions = AnswerField(read_only=True, allow_blank=True)
    gp_contracts = AnswerField(read_only=True, allow_blank=True)
    outcome = OutcomeField(read_only=True, allow_blank=True)
    completed_by = _name("completed_by.full_name")

    class Meta:
        model = ConflictsReview
        fields = [
            "id",
            "application",
            "register",
            "register_evidence",
            "declarations",
            "declarations_evidence",
            "exclusions",
            "exclusions_evidence",
            "gp_contracts",
            "gp_contracts_evidence",
            "outcome",
            "outcome_note",
            "completed_at",
            "completed_by",
            "version",
        ]
        read_only_fields = fields


class CoApplicationSerializer(serializers.ModelSerializer):
    model = ModelField(read_only=True)
    status = StatusField(read_only=True)
    functions = serializers.ListField(child=FunctionField(), read_only=True)
    lead_ccg = serializers.CharField(source="lead_ccg.ods_code", read_only=True)
    lead_ccg_name = serializers.CharField(source="lead_ccg.name", read_only=True)
    parties = CoPartySerializer(many=True, read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "model",
            "go_live_on",
            "lead_ccg",
            "lead_ccg_name",
            "parties",
            "functions",
            "pooled_budget",
            "summary",
            "status",
            "submitted_at",
            "late_agreed_at",
            "late_reason",
            "decided_at",
            "decision_note",
            "live_at",
            "version",
        ]
        read_only_fields = fields


class CoApplicationDetailSerializer(CoApplicationSerializer):
    """An application with its documents, conversation and (for the region, the Commissioning
    Committee and national admins) the conflicts of interest review."""

    parties = CoPartySerializer(source="page_parties", many=True, read_only=True)
    documents = CoDocumentSerializer(source="page_documents", many=True, read_only=True)
    messages = CoMessageSerializer(source="page_messages", many=True, read_only=True)
    conflicts_review = CoConflictsReviewSerializer(
        source="page_review", read_only=True, allow_null=True
    )
    agenda_entries = CoAgendaEntrySerializer(source="page_entries", many=True, read_only=True)

    class Meta(CoApplicationSerializer.Meta):
        fields = [
            *CoApplicationSerializer.Meta.fields,
            "documents",
            "messages",
            "conflicts_review",
            "agenda_entries",
        ]
        read_only_fields = fields


class CoWindowSerializer(serializers.ModelSerializer):
    model = ModelField(read_only=True)

    class Meta:
        model = ApplicationWindow
        fields = ["id", "model", "go_live_on", "submit_by", "sign_off_on", "source"]
        read_only_fields = fields


class CoArrangementRowSerializer(serializers.Serializer):
    """A CCG open on the day asked for, and its arrangement that day (null: none)."""

    ccg = serializers.CharField(source="ccg.ods_code", read_only=True)
    ccg_name = serializers.CharField(source="ccg.name", read_only=True)
    hub = serializers.CharField(source="ccg.hub.slug", read_only=True, allow_null=True)
    region = serializers.CharField(source="ccg.hub.region.slug", read_only=True, allow_null=True)
    model = ModelField(source="arrangement.model", read_only=True, allow_null=True)
    functions = serializers.ListField(
        source="arrangement.functions", child=FunctionField(), read_only=True, allow_null=True
    )
    valid_from = serializers.DateField(
        source="arrangement.valid_from", read_only=True, allow_null=True
    )
    valid_to = serializers.DateField(source="arrangement.valid_to", read_only=True, allow_null=True)
    application = serializers.IntegerField(
        source="arrangement.application_id", read_only=True, allow_null=True
    )


class CoInterestSerializer(serializers.ModelSerializer):
    ccg = serializers.CharField(source="ccg.ods_code", read_only=True)
    kind = InterestKindField(read_only=True)

    class Meta:
        model = Interest
        fields = [
            "id",
            "ccg",
            "person",
            "position",
            "kind",
            "description",
            "managed_by",
            "valid_from",
            "valid_to",
            "archived",
            "version",
        ]
        read_only_fields = fields


# --- requests -----------------------------------------------------------------------------


class CoApplicationCreateSerializer(serializers.Serializer):
    lead_ccg = _ccg_field(help_text="The ODS code of the CCG you lead that applies.")
    model = ModelField(help_text="Joint or delegated (greater involvement needs no application).")
    go_live_on = serializers.DateField(help_text="A go-live date an application window offers.")
    functions = serializers.ListField(child=FunctionField(), required=False, default=list)
    partners = serializers.ListField(
        child=_ccg_field(),
        required=False,
        default=list,
        max_length=50,
        help_text="Joint only: the other CCGs of the joint committee (ODS codes).",
    )
    pooled_budget = serializers.BooleanField(required=False, default=False)
    summary = _text(required=False, allow_blank=True, default="")


class CoApplicationUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
    go_live_on = serializers.DateField(required=False)
    functions = serializers.ListField(child=FunctionField(), required=False)
    pooled_budget = serializers.BooleanField(required=False)
    summary = _text(required=False, allow_blank=True)


class CoVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)


class CoReasonSerializer(CoVersionSerializer):
    reason = _text(allow_blank=True, help_text="Required: why.")


class CoNoteSerializer(CoVersionSerializer):
    note = _text(required=False, allow_blank=True, default="")


class CoAgendaSerializer(CoVersionSerializer):
    meeting = serializers.IntegerField(help_text="A scheduled Commissioning Committee meeting.")


class CoDecisionSerializer(CoVersionSerializer):
    outcome = serializers.ChoiceField(
        choices=[
            AgendaEntry.Outcome.SIGNED_OFF,
            AgendaEntry.Outcome.NOT_APPROVED,
            AgendaEntry.Outcome.DEFERRED,
        ]
    )
    reasons = _text(required=False, allow_blank=True, default="")


class CoChangesSerializer(CoVersionSerializer):
    text = _text(allow_blank=True, help_text="Required: what must change.")


class CoConfirmSerializer(serializers.Serializer):
    ccg = _ccg_field(
        required=False,
        allow_null=True,
        default=None,
        help_text="The partner CCG you lead that takes part (needed only if you lead several).",
    )


class CoMessageCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=[Message.Kind.QUESTION, Message.Kind.ANSWER, Message.Kind.NOTE],
        help_text="The region asks questions, the CCGs' leads answer; either adds notes.",
    )
    text = _text(allow_blank=True)


class CoDocumentUploadSerializer(serializers.Serializer):
    kind = DocumentKindField()
    file = serializers.FileField(help_text="A PDF or a Word document (.docx), judged by content.")


class CoConflictsReviewUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
    register = AnswerField(required=False, allow_blank=True)
    register_evidence = _text(required=False, allow_blank=True)
    declarations = AnswerField(required=False, allow_blank=True)
    declarations_evidence = _text(required=False, allow_blank=True)
    exclusions = AnswerField(required=False, allow_blank=True)
    exclusions_evidence = _text(required=False, allow_blank=True)
    gp_contracts = AnswerField(required=False, allow_blank=True)
    gp_contracts_evidence = _text(required=False, allow_blank=True)
    outcome = OutcomeField(
        required=False,
        allow_blank=True,
        help_text="With an outcome the review is complete: every check must be answered.",
    )
    outcome_note = _text(required=False, allow_blank=True)


class CoWindowCreateSerializer(serializers.Serializer):
    model = ModelField()
    go_live_on = serializers.DateField()
    submit_by = serializers.DateField()
    sign_off_on = serializers.DateField(required=False, allow_null=True, default=None)
    source = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class CoInterestCreateSerializer(serializers.Serializer):
    ccg = _ccg_field(help_text="The CCG whose register this entry joins (one you lead).")
    person = serializers.CharField(max_length=200)
    position = serializers.CharField(max_length=200)
    kind = InterestKindField()
    description = _text(allow_blank=True)
    managed_by = _text(required=False, allow_blank=True, default="")
    valid_from = serializers.DateField()
    valid_to = serializers.DateField(required=False, allow_null=True, default=None)


class CoInterestUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
    person = serializers.CharField(max_length=200, required=False)
    position = serializers.CharField(max_length=200, required=False)
    kind = InterestKindField(required=False)
    description = _text(required=False, allow_blank=True)
    managed_by = _text(required=False, allow_blank=True)
    valid_from = serializers.DateField(required=False)
    valid_to = serializers.DateField(required=False, allow_null=True)


class CoArrangementQuerySerializer(serializers.Serializer):
    on = serializers.DateField(required=False, help_text="The day (default today).")
    region = serializers.SlugRelatedField(
        slug_field="slug", queryset=hub_selectors.regions(), required=False
    )
    hub = serializers.SlugRelatedField(
        slug_field="slug", queryset=hub_selectors.hubs(), required=False
    )
    model = ModelField(required=False)
