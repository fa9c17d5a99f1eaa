from django.urls import path

from . import action_views, focal_point_views, views

app_name = "needs"

urlpatterns = [
    path("needs/", views.need_list_view, name="need_list"),
    path("needs/export/<str:fmt>/", views.need_export, name="need_export"),
    path("reviews/<int:review_pk>/needs/new/", views.need_create_view, name="need_create"),
    path("needs/<int:pk>/edit/", views.need_edit_view, name="need_edit"),
    path("needs/<int:pk>/delete/", views.need_delete_view, name="need_delete"),
    path("needs/<int:pk>/history/", views.need_history, name="need_history"),
    path("needs/deleted/", views.deleted_needs, name="deleted_needs"),
    path("needs/deleted/<int:history_id>/restore/", views.need_restore_view, name="need_restore"),
    path("needs/<int:pk>/confirm/", focal_point_views.need_confirm_view, name="need_confirm"),
    path("needs/<int:pk>/status/", focal_point_views.need_status_view, name="need_status"),
    path("needs/propose/<str:iso3>/", focal_point_views.need_propose_view, name="need_propose"),
    path("needs/proposals/", focal_point_views.proposal_list_view, name="proposals"),
    path(
        "needs/proposals/<int:pk>/decide/",
        focal_point_views.proposal_decide_view,
        name="proposal_decide",
    ),
    path(
        "needs/<str:ref>/actions/new/",
        action_views.need_action_create_view,
        name="action_create",
    ),
    path(
        "needs/<str:ref>/actions/<int:action_id>/edit/",
        action_views.need_action_edit_view,
        name="action_edit",
    ),
    path(
        "needs/<str:ref>/actions/<int:action_id>/delete/",
        action_views.need_action_delete_view,
        name="action_delete",
    ),
    path("needs/actions/export/<str:fmt>/", action_views.need_action_export, name="action_export"),
]
