from django.urls import path

from aman.accounts import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("users/", views.users, name="users"),
    path("users/<int:user_id>/", views.user_edit, name="user_edit"),
    path("settings/", views.site_settings, name="settings"),
]
