from django.urls import path, re_path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("dashboard/", views.index, name="index"),
    path("dashboard/figures/<slug:slug>.csv", views.figure_csv, name="figure_csv"),
    path("dashboard/snapshots/", views.snapshot_list, name="snapshots"),
    path("dashboard/snapshots/<int:pk>/delete/", views.snapshot_delete, name="snapshot_delete"),
    re_path(
        r"^dashboard/snapshots/(?P<pk>[0-9]+)\.(?P<file_format>csv|json)$",
        views.snapshot_download,
        name="snapshot_download",
    ),
]
