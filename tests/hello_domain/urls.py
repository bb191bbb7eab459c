from django.urls import path

from tests.hello_domain import views

urlpatterns = [path("hello/", views.hello_page, name="hello_page")]
