from django.urls import path

from atclusters.registry import views

urlpatterns = [
    path("clusters/", views.cluster_list, name="cluster_list"),
    path("map/", views.cluster_map, name="cluster_map"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("regions/<str:code>/", views.region_detail, name="region_detail"),
    path("clusters/new/", views.cluster_create, name="cluster_create"),
    path("clusters/<slug:slug>/", views.cluster_detail, name="cluster_detail"),
    path("clusters/<slug:slug>/edit/", views.cluster_edit, name="cluster_edit"),
    path(
        "clusters/<slug:slug>/status/<str:action>/",
        views.cluster_transition,
        name="cluster_transition",
    ),
    path("clusters/<slug:slug>/members/", views.cluster_members, name="cluster_members"),
    path(
        "clusters/<slug:slug>/members/<int:membership_id>/end/",
        views.membership_end,
        name="membership_end",
    ),
    path(
        "memberships/<int:membership_id>/listing/",
        views.membership_listing,
        name="membership_listing",
    ),
    path("clusters/<slug:slug>/history/", views.cluster_history, name="cluster_history"),
    path("clusters/<slug:slug>/invite/", views.cluster_invite, name="cluster_invite"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/new/", views.agreement_form, name="agreement_create"),
    path("agreements/<slug:slug>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<slug:slug>/edit/", views.agreement_form, name="agreement_edit"),
    path(
        "agreements/<slug:slug>/documents/<int:document_id>/",
        views.agreement_document,
        name="agreement_document",
    ),
    path("import/", views.import_view, name="import"),
    path("import/template/<str:kind>.<str:fmt>", views.import_template, name="import_template"),
    path("export/<str:kind>.<str:fmt>", views.export, name="export"),
]

# Outside the language prefix (RegistryConfig.root_urls): the map's data reads the same in every
# language.
root_urlpatterns = [
    path("map/regions.geojson", views.map_regions, name="map_regions"),
    path("map/clusters.geojson", views.map_clusters, name="map_clusters"),
]
