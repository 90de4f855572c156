"""The audit verbs this app records (the stored text; never build one from parts)."""

from commissioning import audit

MILESTONE_CALENDAR_ADDED = "milestone_calendar.added"
MILESTONE_CALENDAR_CHANGED = "milestone_calendar.changed"
MILESTONE_CALENDAR_ARCHIVED = "milestone_calendar.archived"
MILESTONE_CALENDAR_SEEDED = "milestone_calendar.seeded"
MILESTONE_CALENDAR_ROLLED_FORWARD = "milestone_calendar.rolled_forward"
MILESTONE_CALENDAR_COMPLETED = "milestone_calendar.completed"
NOTIFICATIONS_PREFERENCES_SET = "notifications.preferences_set"
CALENDAR_FEED_RENEWED = "calendar_feed.renewed"
REMINDER_RESENT = "reminder.resent"
ENGAGEMENT_MEETING_RECORDED = "engagement_meeting.recorded"


audit.label_verbs(
    {
        MILESTONE_CALENDAR_ADDED: "Planning milestone added",
        MILESTONE_CALENDAR_CHANGED: "Planning milestone changed",
        MILESTONE_CALENDAR_ARCHIVED: "Planning milestone archived",
        MILESTONE_CALENDAR_SEEDED: "Planning calendar set up",
        MILESTONE_CALENDAR_ROLLED_FORWARD: "Planning calendar rolled forward",
        MILESTONE_CALENDAR_COMPLETED: "Planning milestone completed",
        NOTIFICATIONS_PREFERENCES_SET: "Notification preferences set",
        CALENDAR_FEED_RENEWED: "Calendar feed address renewed",
        REMINDER_RESENT: "Reminder sent again",
        ENGAGEMENT_MEETING_RECORDED: "Engagement meeting recorded",
    }
)
