from django.urls import path

from atclusters.mapping import views

urlpatterns = [
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/compare/", views.compare, name="statistics_compare"),
    path("statistics/categories/<str:code>/", views.category_map, name="category_map"),
    path("regions/<str:code>/portfolio/", views.region_portfolio, name="region_portfolio"),
    path("regions/<str:code>/opportunities/", views.opportunities, name="region_opportunities"),
]
