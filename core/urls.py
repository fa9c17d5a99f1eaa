from django.urls import path

from . import api_token_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", views.LogoutView.as_view(), name="logout"),
    path("accounts/lockouts/", views.lockout_list, name="lockout_list"),
    path("accounts/api-tokens/", api_token_views.api_tokens, name="api_tokens"),
]
