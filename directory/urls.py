from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/attempts/", views.login_attempt_list_view, name="login-attempt-list"),
]
