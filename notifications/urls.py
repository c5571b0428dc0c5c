from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list_view, name="list"),
    path("<int:pk>/open/", views.notification_open, name="notification-open"),
    path("<int:pk>/read/", views.notification_read, name="notification-read"),
    path("read-all/", views.notifications_read_all, name="notification-read-all"),
    path("settings/", views.preference_edit, name="settings"),
]
