from django.urls import path

from . import views

app_name = "ideas"

urlpatterns = [
    path("ideas/", views.post_list, name="post-list"),
    path("ideas/new/", views.post_create, name="post-create"),
    path("ideas/<int:pk>/", views.post_detail, name="post-detail"),
    path("ideas/<int:pk>/edit/", views.post_edit, name="post-edit"),
    path("ideas/<int:pk>/history/", views.post_history, name="post-history"),
    path("ideas/<int:pk>/attachments/new/", views.attachment_create, name="attachment-create"),
    path(
        "ideas/<int:pk>/attachments/<int:number>/",
        views.attachment_download,
        name="attachment-download",
    ),
    path("ideas/<int:pk>/comments/new/", views.comment_create, name="comment-create"),
    path("ideas/<int:pk>/follow/", views.post_follow, name="post-follow"),
    path("ideas/<int:pk>/unfollow/", views.post_unfollow, name="post-unfollow"),
    path("ideas/<int:pk>/contact/", views.contact_create, name="contact-create"),
    path("ideas/<int:pk>/adopt/", views.post_adopt, name="post-adopt"),
    path("ideas/<int:pk>/hide/", views.post_hide, name="post-hide"),
    path("ideas/<int:pk>/unhide/", views.post_unhide, name="post-unhide"),
    path("ideas/comments/<int:pk>/edit/", views.comment_edit, name="comment-edit"),
    path("ideas/comments/<int:pk>/hide/", views.comment_hide, name="comment-hide"),
    path("ideas/comments/<int:pk>/unhide/", views.comment_unhide, name="comment-unhide"),
]
