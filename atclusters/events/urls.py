from django.urls import path

from atclusters.events import views

urlpatterns = [
    path("events/", views.home, name="events_home"),
    path("events/groups/new/", views.group_edit, name="events_group_new"),
    path("events/groups/<int:group_id>/", views.group_detail, name="events_group"),
    path("events/groups/<int:group_id>/edit/", views.group_edit, name="events_group_edit"),
    path("events/groups/<int:group_id>/topics/", views.topic_new, name="events_topic_new"),
    path(
        "events/groups/<int:group_id>/documents/",
        views.document_upload,
        name="events_document_upload",
    ),
    path("events/documents/<int:version_id>/", views.document_download, name="events_document"),
    path("events/topics/<int:topic_id>/", views.topic_detail, name="events_topic"),
    path("events/meetings/new/", views.meeting_edit, name="events_meeting_new"),
    path("events/meetings/<int:meeting_id>/", views.meeting_detail, name="events_meeting"),
    path("events/meetings/<int:meeting_id>/edit/", views.meeting_edit, name="events_meeting_edit"),
    path("events/meetings/<int:meeting_id>/rsvp/", views.meeting_rsvp, name="events_rsvp"),
    path(
        "events/meetings/<int:meeting_id>/attendance/",
        views.meeting_attendance,
        name="events_meeting_attendance",
    ),
    path("events/meetings/<int:meeting_id>/repeat/", views.meeting_repeat, name="events_repeat"),
    path(
        "events/meetings/<int:meeting_id>/minutes/",
        views.meeting_minutes,
        name="events_meeting_minutes",
    ),
    path("events/meetings/<int:meeting_id>/actions/", views.action_add, name="events_action_add"),
    path(
        "events/meetings/<int:meeting_id>/decisions/",
        views.decision_add,
        name="events_decision_add",
    ),
    path("events/decisions/", views.decisions, name="events_decisions"),
    path(
        "events/decisions/<int:decision_id>/edit/",
        views.decision_edit,
        name="events_decision_edit",
    ),
    path(
        "events/decisions/<int:decision_id>/remove/",
        views.decision_remove,
        name="events_decision_remove",
    ),
    path("events/meetings/<int:meeting_id>.ics", views.meeting_ics, name="events_meeting_ics"),
    path(
        "events/actions/<int:action_id>/status/", views.action_status, name="events_action_status"
    ),
    path("events/calendar.ics", views.public_calendar, name="events_calendar"),
    path("events/my-calendar/", views.my_calendar, name="events_my_calendar"),
    path("events/feed/<str:token>.ics", views.feed, name="events_feed"),
    path("events/new/", views.event_edit, name="events_event_new"),
    path("events/<int:event_id>/edit/", views.event_edit, name="events_event_edit"),
    path("events/<int:event_id>/remove/", views.event_remove, name="events_event_remove"),
    path("events/<int:event_id>/", views.event_detail, name="events_event"),
    path("events/<int:event_id>/check-in/", views.check_in, name="events_check_in"),
    path("events/registrations/<int:registration_id>/badge/", views.badge, name="events_badge"),
    path("events/<int:event_id>/programme/", views.programme, name="events_programme"),
    path("events/<int:event_id>.ics", views.event_ics, name="events_event_ics"),
    path("events/<int:event_id>/feedback/", views.feedback, name="events_feedback"),
    path(
        "events/<int:event_id>/feedback/results/",
        views.feedback_results,
        name="events_feedback_results",
    ),
    path("events/<int:event_id>/register/", views.register, name="events_register"),
    path(
        "events/<int:event_id>/tickets/<int:part_id>/close/",
        views.ticket_close,
        name="events_ticket_close",
    ),
    path(
        "events/<int:event_id>/registrations.<slug:fmt>",
        views.registrations_export,
        name="events_registrations_export",
    ),
    path(
        "events/registrations/<int:registration_id>/cancel/",
        views.registration_cancel,
        name="events_registration_cancel",
    ),
    path(
        "events/registrations/<int:registration_id>/payment/",
        views.registration_payment,
        name="events_registration_payment",
    ),
    path(
        "events/registrations/<int:registration_id>/approve/",
        views.registration_approve,
        name="events_registration_approve",
    ),
    path(
        "events/<int:event_id>/sessions/<int:session_id>/attendance/",
        views.attendance,
        name="events_attendance",
    ),
    path("events/<int:event_id>/import/", views.participants_import, name="events_import"),
    path(
        "events/<int:event_id>/certificates/",
        views.certificates_issue,
        name="events_certificates_issue",
    ),
    path(
        "events/certificates/<str:code>/revoke/",
        views.certificate_revoke,
        name="events_certificate_revoke",
    ),
    path(
        "events/certificates/<str:code>.pdf", views.certificate_pdf, name="events_certificate_pdf"
    ),
    path("verify/<str:code>/", views.certificate_verify, name="events_verify"),
    path("events/<int:event_id>/b2b/", views.b2b, name="events_b2b"),
    path("events/<int:event_id>/b2b.ics", views.b2b_ics, name="events_b2b_ics"),
    path("events/<int:event_id>/b2b.pdf", views.b2b_pdf, name="events_b2b_pdf"),
    path("events/<int:event_id>/b2b/request/", views.b2b_request, name="events_b2b_request"),
    path(
        "events/b2b/requests/<int:request_id>/answer/", views.b2b_answer, name="events_b2b_answer"
    ),
    path("events/<int:event_id>/b2b/schedule/", views.b2b_schedule, name="events_b2b_schedule"),
]

# What organisers add to an event, change and remove (views.PARTS): events_ticket_add,
# events_ticket_edit, events_ticket_remove, and the same for questions, survey questions,
# sessions and speakers.
for kind in views.PARTS:
    urlpatterns += [
        path(f"events/<int:event_id>/{kind}s/", views.part_add, {"kind": kind},
             name=f"events_{kind}_add"),
        path(f"events/<int:event_id>/{kind}s/<int:part_id>/", views.part_edit, {"kind": kind},
             name=f"events_{kind}_edit"),
        path(f"events/<int:event_id>/{kind}s/<int:part_id>/remove/", views.part_remove,
             {"kind": kind}, name=f"events_{kind}_remove"),
    ]  # fmt: skip
