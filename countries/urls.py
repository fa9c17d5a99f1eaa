from django.urls import path

from . import views

app_name = "countries"

urlpatterns = [
    path("states/", views.state_list, name="state_list"),
    path("states/<str:iso3>/", views.state_detail, name="state_detail"),
]
