from django.urls import path

from . import views

app_name = "timeline"

urlpatterns = [
    path("timeline/", views.timeline_grid, name="grid"),
    path("timeline/hubs/<slug:slug>/", views.hub_timeline, name="hub"),
    path(
        "timeline/hubs/<slug:slug>/milestones/<int:pk>/done/",
        views.milestone_complete,
        name="milestone-complete",
    ),
    path(
        "timeline/hubs/<slug:slug>/engagement/",
        views.engagement_meeting_record,
        name="engagement-record",
    ),
    path(
        "timeline/milestones/<int:pk>/done-nationally/",
        views.milestone_complete_nationally,
        name="milestone-complete-nationally",
    ),
    path("timeline/calendar/<int:year>/", views.calendar, name="calendar"),
    path("timeline/calendar/<int:year>/new/", views.milestone_add, name="milestone-add"),
    path("timeline/calendar/<int:year>/seed/", views.calendar_seed, name="calendar-seed"),
    path(
        "timeline/calendar/<int:year>/roll-forward/",
        views.calendar_roll_forward,
        name="calendar-roll-forward",
    ),
    path("timeline/milestones/<int:pk>/", views.milestone_edit, name="milestone-edit"),
    path("timeline/reminders/", views.reminders_admin, name="reminders-admin"),
    path("timeline/reminders/<int:pk>/resend/", views.reminder_resend, name="reminder-resend"),
    path("timeline/delivery/", views.delivery_log, name="delivery-log"),
    path("timeline/delivery/<int:pk>/retry/", views.delivery_retry, name="delivery-retry"),
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/read-all/", views.notifications_read_all, name="read-all"),
    path("notifications/settings/", views.preferences, name="preferences"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification-open"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification-read"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
]
