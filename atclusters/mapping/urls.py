from django.urls import path

from atclusters.mapping import views

urlpatterns = [
    path("regions/<str:code>/portfolio/", views.region_portfolio, name="region_portfolio"),
]
