from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/attempts/", views.login_attempt_list_view, name="login-attempt-list"),
    path("accounts/tokens/", views.api_token_list_view, name="api-token-list"),
    path("accounts/tokens/<int:pk>/revoke/", views.api_token_revoke_view, name="api-token-revoke"),
]
