from django.urls import path

from atclusters.cooperation import views

urlpatterns = [
    path("clusters/<slug:slug>/partners/", views.partners, name="cluster_partners"),
    path("cooperation/meta-clusters/", views.meta_clusters, name="meta_clusters"),
    path("cooperation/network/", views.cooperation_network, name="cooperation_network"),
    path("cooperation/initiatives/", views.initiative_list, name="initiative_list"),
    path("cooperation/initiatives/new/", views.initiative_create, name="initiative_create"),
]

urlpatterns += [
    path("partner-search/", views.posting_list, name="posting_list"),
    path("partner-search/new/", views.posting_create, name="posting_create"),
    path("partner-search/moderation/", views.moderation, name="posting_moderation"),
    path("partner-search/<int:posting_id>/", views.posting_detail, name="posting_detail"),
    path(
        "partner-search/<int:posting_id>/<slug:action>/",
        views.posting_action,
        name="posting_action",
    ),
]
