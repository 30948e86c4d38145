"""The second-factor pages, the 安全管理员's factor list, and closing the expiry banner."""

from django.urls import path

from . import factor_views, token_views, views

urlpatterns = [
    path("accounts/factor/", factor_views.overview, name="otp_settings"),
    path("accounts/factor/verify/", factor_views.verify, name="otp_verify"),
    path("accounts/factor/enrol/", factor_views.enrol, name="otp_enrol"),
    path("accounts/factor/codes/", factor_views.regenerate_codes, name="otp_codes"),
    path("accounts/factor/disable/", factor_views.disable, name="otp_disable"),
    path(
        "accounts/password/dismiss/",
        views.password_expiry_dismiss,
        name="password_expiry_dismiss",
    ),
    path("accounts/tokens/", token_views.token_list, name="api_tokens"),
    path("accounts/tokens/<int:pk>/revoke/", token_views.token_revoke, name="api_token_revoke"),
    path("security/factors/", factor_views.factor_list, name="otp_factors"),
    path("security/factors/reset/", factor_views.factor_reset, name="otp_reset"),
]
