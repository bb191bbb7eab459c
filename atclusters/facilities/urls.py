from django.urls import path

from atclusters.facilities import views

urlpatterns = [
    path("facilities/", views.resource_list, name="facilities_resources"),
    path("facilities/<int:resource_id>/", views.resource_detail, name="facilities_resource"),
    path("facilities/<int:resource_id>/book/", views.book, name="facilities_book"),
    path("facilities/new/", views.resource_new, name="facilities_resource_new"),
    path(
        "facilities/<int:resource_id>/edit/", views.resource_edit, name="facilities_resource_edit"
    ),
    path("facilities/<int:resource_id>/manage/", views.manage, name="facilities_manage"),
    path("facilities/bookings/", views.my_bookings, name="facilities_my_bookings"),
    path("facilities/approvals/", views.approvals, name="facilities_approvals"),
    path("facilities/occupancy/", views.occupancy, name="facilities_occupancy"),
    path(
        "facilities/bookings/<int:booking_id>/<slug:action>/",
        views.booking_action,
        name="facilities_booking_action",
    ),
    path(
        "facilities/bookings/<int:booking_id>.ics", views.booking_ics, name="facilities_booking_ics"
    ),
    path("facilities/feed/<str:token>.ics", views.feed, name="facilities_feed"),
]
