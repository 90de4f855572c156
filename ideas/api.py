"""REST API for the idea exchange (issue 17, "What to build" 5 and 7): the posts with the pages'
search and filters, each post with its comments, adoptions and attachments; sharing and editing
(with `version`), comments, follow and unfollow, "put me in touch", adoption by another hub, and
national admins' hiding and showing. Refusals are 400 by field, 403 when not yours, 409 for a
stale version or a state that no longer allows the change, as elsewhere."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from commissioning.api_helpers import valid
from commissioning.serializers import LongTextField

from . import selectors, services
from .models import Adoption, Attachment, Comment, Post, Theme
from .permissions import (
    adopting_hubs,
    can_ask_contact,
    get_comment_for_user,
    get_post_for_user,
    require_adopter,
    require_moderator,
    require_poster,
    require_reader,
)


class IdeaCommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.email", read_only=True)
    author_name = serializers.CharField(source="author.full_name", read_only=True)
    is_hidden = serializers.BooleanField(read_only=True)

    class Meta:
        model = Comment
        fields = [
            "id",
            "post",
            "author",
            "author_name",
            "body",
            "version",
            "created_at",
            "updated_at",
            "is_hidden",
            "hidden_at",
            "hidden_reason",
        ]
        read_only_fields = fields


class IdeaAdoptionSerializer(serializers.ModelSerializer):
    hub = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    proposal_title = serializers.CharField(source="proposal.title", read_only=True)

    class Meta:
        model = Adoption
        fields = ["id", "hub", "proposal", "proposal_title", "note", "adopted_at"]
        read_only_fields = fields


class IdeaAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ["number", "original_filename", "content_type", "size", "uploaded_at"]
        read_only_fields = fields


class PostSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.email", read_only=True)
    author_name = serializers.CharField(source="author.full_name", read_only=True)
    organisation_name = serializers.CharField(read_only=True)
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    hub = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    ccg = serializers.SlugRelatedField(slug_field="ods_code", read_only=True)
    programmes = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    crg = serializers.PrimaryKeyRelatedField(read_only=True)
    crg_name = serializers.CharField(source="crg.name", read_only=True, allow_null=True)
    themes = serializers.ListField(
        source="theme_values", child=serializers.ChoiceField(choices=Theme.choices), read_only=True
    )
    is_hidden = serializers.BooleanField(read_only=True)
    adopted = serializers.SerializerMethodField()

    class Meta:
        model = Post
        fields = [
            "id",
            "title",
            "problem",
            "tried",
            "results",
            "contacts",
            "programmes",
            "crg",
            "crg_name",
            "themes",
            "author",
            "author_name",
            "organisation",
            "organisation_name",
            "region",
            "hub",
            "ccg",
            "adopted",
            "version",
            "created_at",
            "updated_at",
            "is_hidden",
            "hidden_at",
            "hidden_reason",
        ]
        read_only_fields = fields

    def get_adopted(self, post) -> bool:
        adopted = getattr(post, "adopted", None)
        return bool(adopted) if adopted is not None else post.adoptions.exists()


class PostDetailSerializer(PostSerializer):
    comments = serializers.SerializerMethodField()
    adoptions = IdeaAdoptionSerializer(many=True, read_only=True)
    attachments = IdeaAttachmentSerializer(many=True, read_only=True)

    class Meta(PostSerializer.Meta):
        fields = [*PostSerializer.Meta.fields, "comments", "adoptions", "attachments"]
        read_only_fields = fields

    def get_comments(self, post) -> list[dict]:  # type: ignore[empty-body]
        return IdeaCommentSerializer(self.context["comments"], many=True).data  # type: ignore[return-value]


class PostWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True)
    problem = LongTextField(allow_blank=True)
    tried = LongTextField(required=False, default="", allow_blank=True)
    results = LongTextField(required=False, default="", allow_blank=True)
    contacts = LongTextField(required=False, default="", allow_blank=True)
    programmes = serializers.SlugRelatedField(
        slug_field="slug", many=True, queryset=selectors.programmes(), required=False, default=[]
    )
    crg = serializers.PrimaryKeyRelatedField(
        queryset=selectors.crgs(), required=False, allow_null=True, default=None
    )
    themes = serializers.ListField(
        child=serializers.ChoiceField(choices=Theme.choices), required=False, default=[]
    )


class PostCreateSerializer(PostWriteSerializer):
    organisation = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        help_text='Who you share it for, from your roles: "hub:<id>", "region:<id>" or'
        ' "ccg:<id>"; may be left out when you hold one such role.',
    )


class PostUpdateSerializer(PostWriteSerializer):
    version = serializers.IntegerField(min_value=1)


class CommentWriteSerializer(serializers.Serializer):
    body = LongTextField(allow_blank=True)


class CommentUpdateSerializer(CommentWriteSerializer):
    version = serializers.IntegerField(min_value=1)


class IdeaContactSerializer(serializers.Serializer):
    message = LongTextField(required=False, default="", allow_blank=True)


class AdoptSerializer(serializers.Serializer):
    hub = serializers.SlugRelatedField(slug_field="slug", queryset=selectors.hubs())
    proposal = serializers.PrimaryKeyRelatedField(queryset=selectors.proposals_of_hubs([]))
    note = LongTextField(required=False, default="", allow_blank=True)


class IdeaHideSerializer(serializers.Serializer):
    reason = LongTextField(allow_blank=True)
    version = serializers.IntegerField(min_value=1)


class IdeaVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1)


class IdeaFollowSerializer(serializers.Serializer):
    following = serializers.BooleanField()


class PostFilterSerializer(serializers.Serializer):
    q = serializers.CharField(required=False, default="", allow_blank=True, max_length=200)
    programme = serializers.SlugRelatedField(
        slug_field="slug", queryset=selectors.programmes(), required=False, default=None
    )
    crg = serializers.PrimaryKeyRelatedField(
        queryset=selectors.crgs(), required=False, default=None
    )
    theme = serializers.ChoiceField(choices=Theme.choices, required=False, default="")
    region = serializers.SlugRelatedField(
        slug_field="slug", queryset=selectors.regions(), required=False, default=None
    )
    hub = serializers.SlugRelatedField(
        slug_field="slug", queryset=selectors.hubs(), required=False, default=None
    )
    adopted = serializers.BooleanField(required=False, default=None, allow_null=True)


FILTERS = [
    OpenApiParameter("q", str, description="Words in the title, problem, what was tried, results."),
    OpenApiParameter("programme", str, description="A Programme of Care's slug."),
    OpenApiParameter("crg", int, description="A Clinical Reference Group's id."),
    OpenApiParameter("theme", str, enum=Theme.values),
    OpenApiParameter("region", str, description="The author's region (slug)."),
    OpenApiParameter("hub", str, description="The author's hub (slug)."),
    OpenApiParameter("adopted", bool, description="Adopted by another hub, or not."),
]


class PostViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Ideas and practice shared between hubs (seed 000 §4.2): newest first, 50 to a page."""

    serializer_class = PostSerializer
    lookup_value_regex = "[0-9]{1,18}"
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.post_list(None).none()
        require_reader(self.request.user)
        body = PostFilterSerializer(data=self.request.query_params)
        body.is_valid(raise_exception=True)
        return selectors.post_list(self.request.user, selectors.PostFilters(**body.validated_data))

    @extend_schema(parameters=FILTERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def _answer(self, post_pk: int, code=status.HTTP_200_OK) -> Response:
        post = get_post_for_user(self.request.user, post_pk)
        context = {"comments": selectors.post_page(self.request.user, post)["comments"]}
        return Response(PostDetailSerializer(post, context=context).data, status=code)

    @extend_schema(responses={200: PostDetailSerializer})
    def retrieve(self, request, pk=None):
        return self._answer(int(pk))

    @extend_schema(request=PostCreateSerializer, responses={201: PostDetailSerializer})
    def create(self, request):
        """Share an idea (hub staff, CCG and ICB leads, regional teams)."""
        require_poster(request.user)
        post = services.post_create(by=request.user, **valid(PostCreateSerializer, request))
        return self._answer(post.pk, status.HTTP_201_CREATED)

    @extend_schema(request=PostUpdateSerializer, responses={200: PostDetailSerializer})
    def update(self, request, pk=None):
        """The author changes the post, naming the version they started from."""
        post = get_post_for_user(request.user, pk, write=True)
        services.post_update(by=request.user, post=post, **valid(PostUpdateSerializer, request))
        return self._answer(post.pk)

    @extend_schema(request=CommentWriteSerializer, responses={201: IdeaCommentSerializer})
    @action(detail=True, methods=["post"])
    def comments(self, request, pk=None):
        """Comment on the post; its followers are emailed."""
        post = get_post_for_user(request.user, pk)
        data = valid(CommentWriteSerializer, request)
        comment = services.comment_add(by=request.user, post=post, **data)
        return Response(IdeaCommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: IdeaFollowSerializer})
    @action(detail=True, methods=["post"])
    def follow(self, request, pk=None):
        post = get_post_for_user(request.user, pk)
        services.post_follow(by=request.user, post=post)
        return Response({"following": True})

    @extend_schema(request=None, responses={200: IdeaFollowSerializer})
    @action(detail=True, methods=["post"])
    def unfollow(self, request, pk=None):
        post = get_post_for_user(request.user, pk)
        services.post_unfollow(by=request.user, post=post)
        return Response({"following": False})

    @extend_schema(request=IdeaContactSerializer, responses={201: None})
    @action(detail=True, methods=["post"], url_path="put-in-touch")
    def put_in_touch(self, request, pk=None):
        """Ask to be put in touch with the author (they are emailed)."""
        post = get_post_for_user(request.user, pk)
        if not can_ask_contact(request.user, post):
            raise PermissionDenied("This is your own post.")
        services.contact_request(
            by=request.user, post=post, **valid(IdeaContactSerializer, request)
        )
        return Response(status=status.HTTP_201_CREATED)

    @extend_schema(request=AdoptSerializer, responses={201: PostDetailSerializer})
    @action(detail=True, methods=["post"])
    def adopted(self, request, pk=None):
        """Staff of another hub mark the post adopted by their hub, naming its priority."""
        post = get_post_for_user(request.user, pk)
        require_adopter(request.user, post)
        body = AdoptSerializer(data=request.data)
        body.fields["proposal"].queryset = selectors.proposals_of_hubs(  # type: ignore[attr-defined]
            adopting_hubs(request.user, post)
        )
        body.is_valid(raise_exception=True)
        services.post_adopt(by=request.user, post=post, **body.validated_data)
        return self._answer(post.pk, status.HTTP_201_CREATED)

    @extend_schema(request=IdeaHideSerializer, responses={200: PostDetailSerializer})
    @action(detail=True, methods=["post"])
    def hide(self, request, pk=None):
        """A national admin hides the post, with the reason."""
        post = get_post_for_user(request.user, pk)
        require_moderator(request.user)
        services.post_hide(by=request.user, post=post, **valid(IdeaHideSerializer, request))
        return self._answer(post.pk)

    @extend_schema(request=IdeaVersionSerializer, responses={200: PostDetailSerializer})
    @action(detail=True, methods=["post"])
    def unhide(self, request, pk=None):
        post = get_post_for_user(request.user, pk)
        require_moderator(request.user)
        services.post_unhide(by=request.user, post=post, **valid(IdeaVersionSerializer, request))
        return self._answer(post.pk)


class IdeaCommentViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Comments on ideas: read one, change your own (with `version`), hide and show (admins)."""

    serializer_class = IdeaCommentSerializer
    lookup_value_regex = "[0-9]{1,18}"

    def get_object(self):
        return get_comment_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(request=CommentUpdateSerializer, responses={200: IdeaCommentSerializer})
    def update(self, request, pk=None):
        comment = get_comment_for_user(request.user, pk, write=True)
        data = valid(CommentUpdateSerializer, request)
        comment = services.comment_update(by=request.user, comment=comment, **data)
        return Response(IdeaCommentSerializer(comment).data)

    @extend_schema(request=IdeaHideSerializer, responses={200: IdeaCommentSerializer})
    @action(detail=True, methods=["post"])
    def hide(self, request, pk=None):
        comment = get_comment_for_user(request.user, pk)
        require_moderator(request.user)
        comment = services.comment_hide(
            by=request.user, comment=comment, **valid(IdeaHideSerializer, request)
        )
        return Response(IdeaCommentSerializer(comment).data)

    @extend_schema(request=IdeaVersionSerializer, responses={200: IdeaCommentSerializer})
    @action(detail=True, methods=["post"])
    def unhide(self, request, pk=None):
        comment = get_comment_for_user(request.user, pk)
        require_moderator(request.user)
        comment = services.comment_unhide(
            by=request.user, comment=comment, **valid(IdeaVersionSerializer, request)
        )
        return Response(IdeaCommentSerializer(comment).data)
