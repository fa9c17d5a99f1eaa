from django.urls import path

from . import focal_point_views

app_name = "needs"

urlpatterns = [
    path("needs/<int:pk>/confirm/", focal_point_views.need_confirm_view, name="need_confirm"),
    path("needs/<int:pk>/status/", focal_point_views.need_status_view, name="need_status"),
    path("needs/propose/<str:iso3>/", focal_point_views.need_propose_view, name="need_propose"),
    path("needs/proposals/", focal_point_views.proposal_list_view, name="proposals"),
    path(
        "needs/proposals/<int:pk>/decide/",
        focal_point_views.proposal_decide_view,
        name="proposal_decide",
    ),
]
