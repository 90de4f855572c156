"""The idea exchange's audit events: one name per action (issue 17, "What to build" 5)."""

from commissioning import audit

POST_CREATED = "ideas.post_created"
POST_UPDATED = "ideas.post_updated"
POST_HIDDEN = "ideas.post_hidden"
POST_UNHIDDEN = "ideas.post_unhidden"
POST_FOLLOWED = "ideas.post_followed"
POST_UNFOLLOWED = "ideas.post_unfollowed"
POST_ADOPTED = "ideas.post_adopted"
ATTACHMENT_ADDED = "ideas.attachment_added"
COMMENT_ADDED = "ideas.comment_added"
COMMENT_UPDATED = "ideas.comment_updated"
COMMENT_HIDDEN = "ideas.comment_hidden"
COMMENT_UNHIDDEN = "ideas.comment_unhidden"
CONTACT_REQUESTED = "ideas.contact_requested"


def record(by, verb: str, target, **data) -> None:
    audit.record(actor=by, verb=verb, target=target, **data)


audit.label_verbs(
    {
        POST_CREATED: "Idea shared",
        POST_UPDATED: "Idea changed",
        POST_HIDDEN: "Idea hidden by a moderator",
        POST_UNHIDDEN: "Idea shown again",
        POST_FOLLOWED: "Idea followed",
        POST_UNFOLLOWED: "Idea no longer followed",
        POST_ADOPTED: "Idea adopted by a hub",
        ATTACHMENT_ADDED: "Document attached",
        COMMENT_ADDED: "Comment added",
        COMMENT_UPDATED: "Comment changed",
        COMMENT_HIDDEN: "Comment hidden by a moderator",
        COMMENT_UNHIDDEN: "Comment shown again",
        CONTACT_REQUESTED: "Asked to be put in touch",
    }
)
