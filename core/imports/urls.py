from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("import/", views.import_upload, name="upload"),
    path("import/template/<str:kind>/", views.import_template, name="template"),
    path("import/<int:pk>/", views.import_job, name="job"),
    path("import/<int:pk>/status/", views.import_job_status, name="job_status"),
    path("import/<int:pk>/problems/", views.import_job_problems, name="job_problems"),
    path("import/<int:pk>/confirm/", views.import_job_confirm, name="job_confirm"),
    path("import/<int:pk>/recheck/", views.import_job_recheck, name="job_recheck"),
]
