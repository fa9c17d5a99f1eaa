from django.urls import path

from . import views

app_name = "countries"

urlpatterns = [
    path("states/", views.state_list, name="state_list"),
    path("states/<str:iso3>/", views.state_detail, name="state_detail"),
    path("states/<str:iso3>/needs/", views.state_needs, name="state_needs"),
    path("states/<str:iso3>/proposals/", views.state_proposals, name="state_proposals"),
    path("states/<str:iso3>/actions/", views.state_actions, name="state_actions"),
    path("states/<str:iso3>/assistance/", views.state_assistance, name="state_assistance"),
    path("states/<str:iso3>/interest/", views.state_interest, name="state_interest"),
]
