from django.urls import path

from atclusters.funding import views

urlpatterns = [
    path("funding/", views.call_list, name="funding_calls"),
    path("funding/calls/<int:call_id>/", views.call_detail, name="funding_call"),
    path("funding/calls/new/", views.call_edit, name="funding_call_create"),
    path("funding/calls/<int:call_id>/edit/", views.call_edit, name="funding_call_edit"),
    path("funding/calls/import/", views.call_import, name="funding_call_import"),
    path("funding/deadlines.ics", views.calendar, name="funding_calendar"),
    path("funding/clusters/<slug:slug>/", views.cluster_calls, name="funding_cluster"),
    path("funding/regions/<str:code>/", views.region, name="funding_region"),
    path("funding/feeds/", views.feeds, name="funding_feeds"),
    path("funding/feeds/<int:feed_id>/run/", views.feed_run, name="funding_feed_run"),
    path("funding/cordis/import/", views.cordis_import, name="funding_cordis_import"),
    path("funding/review/", views.review, name="funding_review"),
    path(
        "funding/review/<int:participation_id>/", views.review_decide, name="funding_review_decide"
    ),
    path("funding/proposals/", views.proposals, name="funding_proposals"),
    path(
        "funding/calls/<int:call_id>/propose/",
        views.proposal_create,
        name="funding_proposal_create",
    ),
    path("funding/proposals/<int:proposal_id>/", views.proposal_detail, name="funding_proposal"),
    path(
        "funding/proposals/<int:proposal_id>/partners/",
        views.proposal_partner_add,
        name="funding_proposal_partner_add",
    ),
    path(
        "funding/proposals/<int:proposal_id>/partners/<int:partner_id>/remove/",
        views.proposal_partner_remove,
        name="funding_proposal_partner_remove",
    ),
    path(
        "funding/proposals/<int:proposal_id>/stage/",
        views.proposal_move,
        name="funding_proposal_move",
    ),
    path(
        "funding/proposals/<int:proposal_id>/documents/",
        views.proposal_document_upload,
        name="funding_proposal_document_upload",
    ),
    path(
        "funding/proposals/documents/<int:version_id>/",
        views.proposal_document_download,
        name="funding_proposal_document",
    ),
    path(
        "funding/proposals/<int:proposal_id>/tasks/",
        views.proposal_task_add,
        name="funding_proposal_task_add",
    ),
    path(
        "funding/proposals/tasks/<int:task_id>/done/",
        views.proposal_task_done,
        name="funding_proposal_task_done",
    ),
    path(
        "funding/proposals/<int:proposal_id>/invitations/",
        views.proposal_invite,
        name="funding_proposal_invite",
    ),
    path(
        "funding/proposals/invitations/<int:invitation_id>/",
        views.proposal_invitation_answer,
        name="funding_proposal_invitation_answer",
    ),
]
