from django.urls import path

from atclusters.stateaid import views

urlpatterns = [
    path("state-aid/", views.overview, name="stateaid_overview"),
    path("state-aid/check/", views.check, name="stateaid_check"),
    path("state-aid/grants/new/", views.grant_create, name="stateaid_grant_create"),
    path("state-aid/grants/<int:grant_id>/", views.grant_change, name="stateaid_grant_change"),
    path("state-aid/reported/", views.mark_reported, name="stateaid_mark_reported"),
    path(
        "state-aid/restructurings/<int:restructuring_id>/",
        views.restructuring_change,
        name="stateaid_restructuring_change",
    ),
    path("state-aid/import/", views.register_import, name="stateaid_import"),
    path("state-aid/export/<slug:kind>.<slug:fmt>", views.export, name="stateaid_export"),
    path(
        "state-aid/undertakings/<str:identifier>/",
        views.undertaking_detail,
        name="stateaid_undertaking",
    ),
    path(
        "state-aid/undertakings/<str:identifier>/declaration.pdf",
        views.declaration,
        name="stateaid_declaration",
    ),
]
