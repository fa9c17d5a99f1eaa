from django.urls import path

from . import views

urlpatterns = [
    path("me/", views.MeViewSet.as_view({"get": "retrieve"}), name="me"),
    path(
        "me/token/",
        views.MyTokenViewSet.as_view({"post": "create", "delete": "destroy"}),
        name="my-token",
    ),
]
