from django.urls import path

from . import views

app_name = "reviews"

urlpatterns = [
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/new/", views.review_create_view, name="review_create"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/edit/", views.review_edit, name="review_edit"),
    path("reviews/<int:pk>/delete/", views.review_delete_view, name="review_delete"),
    path("reviews/<int:pk>/history/", views.review_history, name="review_history"),
]
