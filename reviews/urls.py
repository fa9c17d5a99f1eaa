from django.urls import path

from . import country_views

app_name = "reviews"

urlpatterns = [
    path("states/", country_views.state_list, name="state_list"),
    path("states/<str:iso3>/", country_views.state_detail, name="state_detail"),
]
