from django.urls import path

from atclusters.cooperation import views

urlpatterns = [
    path("clusters/<slug:slug>/partners/", views.partners, name="cluster_partners"),
    path("cooperation/meta-clusters/", views.meta_clusters, name="meta_clusters"),
]
