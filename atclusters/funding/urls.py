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
]
