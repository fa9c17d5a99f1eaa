from django.urls import path

from . import catalogue_views, shared_views, views

app_name = "assistance"


def organisation_paths(kind: str, plural: str) -> list:
    """The add and edit pages of a kind of organisation (views.ORGANISATIONS)."""
    form, kwargs = views.organisation_form, {"kind": kind}
    return [
        path(f"assistance/{plural}/new/", form, kwargs, name=f"{kind}_create"),
        path(f"assistance/{plural}/<int:pk>/edit/", form, kwargs, name=f"{kind}_edit"),
    ]


urlpatterns = [
    # Activities
    path("assistance/", views.activity_list_view, name="activity_list"),
    path("assistance/activities.csv", views.activity_export, {"fmt": "csv"}, name="activity_csv"),
    path(
        "assistance/activities.xlsx",
        views.activity_export,
        {"fmt": "xlsx"},
        name="activity_xlsx",
    ),
    path("assistance/iati.xml", views.iati_export, name="iati"),
    path("assistance/activities/new/", views.activity_create, name="activity_create"),
    path("assistance/activities/import/", views.activity_import, name="activity_import"),
    path("assistance/activities/<str:ref>/", views.activity_detail_view, name="activity_detail"),
    path("assistance/activities/<str:ref>/edit/", views.activity_edit, name="activity_edit"),
    path("assistance/activities/<str:ref>/delete/", views.activity_delete, name="activity_delete"),
    path(
        "assistance/activities/<str:ref>/needs/",
        views.activity_link_need,
        name="activity_link_need",
    ),
    path(
        "assistance/activities/<str:ref>/needs/<str:need_ref>/unlink/",
        views.activity_unlink_need,
        name="activity_unlink_need",
    ),
    path("assistance/activities/<str:ref>/funding/", views.funding_add, name="funding_add"),
    path(
        "assistance/activities/<str:ref>/funding/<int:contribution_id>/remove/",
        views.funding_remove,
        name="funding_remove",
    ),
    # Providers and donors
    path("assistance/providers/", views.provider_list, name="provider_list"),
    *organisation_paths("provider", "providers"),
    path("assistance/donors/", views.donor_list, name="donor_list"),
    *organisation_paths("donor", "donors"),
    # The donors' catalogue of unmet needs
    path("catalogue/", catalogue_views.catalogue, name="catalogue"),
    path(
        "catalogue/export.csv",
        catalogue_views.catalogue_export,
        {"fmt": "csv"},
        name="catalogue_csv",
    ),
    path(
        "catalogue/export.xlsx",
        catalogue_views.catalogue_export,
        {"fmt": "xlsx"},
        name="catalogue_xlsx",
    ),
    # Needs shared by several States of a region (before the needs' own addresses)
    path("catalogue/shared/", shared_views.shared_needs, name="shared_needs"),
    path(
        "catalogue/shared/export.csv",
        shared_views.shared_needs_export,
        {"fmt": "csv"},
        name="shared_needs_csv",
    ),
    path(
        "catalogue/shared/export.xlsx",
        shared_views.shared_needs_export,
        {"fmt": "xlsx"},
        name="shared_needs_xlsx",
    ),
    path("catalogue/<str:ref>/", catalogue_views.catalogue_need, name="catalogue_need"),
    path(
        "catalogue/<str:ref>/interest/",
        catalogue_views.interest_register,
        name="interest_register",
    ),
    path(
        "catalogue/<str:ref>/interest/<int:interest_id>/withdraw/",
        catalogue_views.interest_withdraw,
        name="interest_withdraw",
    ),
]
