from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path

from shegong.accounts import views as account_views
from shegong.activities import urls as activity_urls
from shegong.api.api import api
from shegong.articles import urls as article_urls
from shegong.audit import views as audit_views
from shegong.campaigns import urls as campaign_urls
from shegong.casework import urls as casework_urls
from shegong.documents import views as document_views
from shegong.funds import urls as fund_urls
from shegong.orgs import account_views as member_views
from shegong.orgs import views as org_views
from shegong.portal import urls as portal_urls
from shegong.projects import urls as project_urls
from shegong.ratings import urls as rating_urls
from shegong.reporting import summary_urls
from shegong.reporting import urls as reporting_urls
from shegong.supervision import urls as supervision_urls
from shegong.volunteers import urls as volunteer_urls

from . import search_views, views

admin.site.site_header = "社工平台系统管理"
admin.site.site_title = "社工平台系统管理"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", lambda request: HttpResponse("ok"), name="healthz"),
    path("search/", search_views.search_page, name="search"),
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", account_views.password_change, name="password_change"),
    path("", include("shegong.accounts.urls")),
    path("accounts/users/", member_views.user_list, name="user_list"),
    path("accounts/users/new/", member_views.user_create, name="user_create"),
    path("accounts/users/<str:username>/", member_views.user_detail, name="user_detail"),
    path("accounts/users/<str:username>/profile/", member_views.user_profile, name="user_profile"),
    path(
        "accounts/users/<str:username>/reset/",
        member_views.user_reset_password,
        name="user_reset_password",
    ),
    path(
        "accounts/users/<str:username>/active/",
        member_views.user_set_active,
        name="user_set_active",
    ),
    path("accounts/users/<str:username>/grant/", member_views.user_grant, name="user_grant"),
    path(
        "accounts/users/<str:username>/revoke/<int:membership_id>/",
        member_views.user_revoke,
        name="user_revoke",
    ),
    path("security/locks/", account_views.locks, name="locks"),
    path("security/unlock/", account_views.unlock, name="unlock"),
    path("audit/", audit_views.audit_list, name="audit_list"),
    path("audit/export/", audit_views.audit_export, name="audit_export"),
    path("orgs/", org_views.org_tree, name="org_tree"),
    path("orgs/search/", org_views.org_search, name="org_search"),
    path("orgs/switch/", org_views.switch_unit, name="switch_unit"),
    path("orgs/<str:code>/", org_views.unit_detail, name="unit_detail"),
    path("orgs/<str:code>/children/", org_views.unit_children, name="unit_children"),
    path("orgs/<str:code>/edit/", org_views.unit_edit, name="unit_edit"),
    path("orgs/<str:code>/move/", org_views.unit_move, name="unit_move"),
    path("orgs/<str:code>/new/", org_views.unit_create, name="unit_create"),
    path("notices/", include(campaign_urls.urlpatterns)),
    path("notices/<int:pk>/word/", document_views.notice_word, name="notice_word"),
    path("notices/<int:pk>/print/", document_views.notice_print, name="notice_print"),
    path("activities/", include(activity_urls.urlpatterns)),
    path("visits/", include(activity_urls.visit_urls)),
    path("reports/", include(reporting_urls.urlpatterns)),
    path("summaries/", include(summary_urls.urlpatterns)),
    path(
        "summaries/<int:period_id>/<str:code>/word/",
        document_views.summary_word,
        name="summary_word",
    ),
    path(
        "summaries/<int:period_id>/<str:code>/print/",
        document_views.summary_print,
        name="summary_print",
    ),
    path("articles/", include(article_urls.urlpatterns)),
    path("articles/<int:pk>/word/", document_views.article_word, name="article_word"),
    path("portal/", include(portal_urls.urlpatterns)),
    path("cases/", include(casework_urls.urlpatterns)),
    path("volunteers/", include(volunteer_urls.urlpatterns)),
    path("ratings/", include(rating_urls.urlpatterns)),
    path("rate/", include(rating_urls.public_urlpatterns)),
    path("funds/", include(fund_urls.urlpatterns)),
    path("projects/", include(project_urls.urlpatterns)),
    path("staff/", include(project_urls.staff_urlpatterns)),
    path("supervision/", include(supervision_urls.urlpatterns)),
    path("dashboard/", include(reporting_urls.dashboard_urls)),
    path("notifications/", include(campaign_urls.notification_urls)),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
