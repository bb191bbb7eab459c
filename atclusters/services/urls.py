from django.urls import path

from atclusters.services import views

urlpatterns = [
    path("services/", views.catalogue, name="service_catalogue"),
    path("services/queue/", views.queue, name="service_queue"),
    path("services/mine/", views.my_requests, name="service_my_requests"),
    path("services/uptake/", views.uptake, name="service_uptake"),
    path("services/manage/", views.manage, name="service_manage"),
    path("services/manage/new/", views.service_new, name="service_new"),
    path("services/categories/", views.categories, name="service_categories"),
    path("services/import/", views.catalogue_import, name="service_import"),
    path(
        "services/import/<slug:what>.<slug:fmt>", views.catalogue_file, name="service_import_file"
    ),
    path("services/benefits/new/", views.programme_new, name="programme_new"),
    path(
        "services/benefits/<slug:programme_slug>/edit/",
        views.programme_edit,
        name="programme_edit",
    ),
    path("services/<slug:service_slug>/edit/", views.service_edit, name="service_edit"),
    path("services/uptake.<slug:fmt>", views.uptake_export, name="service_uptake_export"),
    path(
        "services/requests/<int:request_id>/<slug:action>/",
        views.request_action,
        name="service_request_action",
    ),
    path("services/benefits/", views.programme_list, name="programme_list"),
    path(
        "services/benefits/<slug:programme_slug>/", views.programme_detail, name="programme_detail"
    ),
    path("services/claims/<int:claim_id>/<slug:action>/", views.claim_action, name="claim_action"),
    path("services/<slug:service_slug>/", views.detail, name="service_detail"),
]
