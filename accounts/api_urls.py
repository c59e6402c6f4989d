from django.urls import path

from accounts import api

urlpatterns = [
    path("auth/token/", api.TokenObtainView.as_view(), name="api_token"),
    path("auth/token/refresh/", api.TokenRefreshView.as_view(), name="api_token_refresh"),
    path("auth/logout/", api.LogoutView.as_view(), name="api_logout"),
    path("me/", api.MeView.as_view(), name="api_me"),
]
