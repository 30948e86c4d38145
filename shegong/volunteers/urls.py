"""URLs of volunteers."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.volunteer_list, name="volunteer_list"),
    path("new/", views.volunteer_create, name="volunteer_create"),
    path("teams/", views.team_list, name="volunteer_teams"),
    path("teams/<int:pk>/edit/", views.team_edit, name="volunteer_team_edit"),
    path("activities/<int:pk>/", views.activity_volunteers, name="volunteer_activity"),
    path("signups/<int:pk>/hours/", views.signup_hours, name="volunteer_signup_hours"),
    path("signups/<int:pk>/cancel/", views.signup_cancel, name="volunteer_signup_cancel"),
    path("entries/<int:pk>/reverse/", views.entry_reverse, name="volunteer_entry_reverse"),
    path("<int:pk>/", views.volunteer_detail, name="volunteer_detail"),
    path("<int:pk>/edit/", views.volunteer_edit, name="volunteer_edit"),
    path("<int:pk>/signup/", views.volunteer_sign_up, name="volunteer_sign_up"),
    path("<int:pk>/spend/", views.volunteer_spend, name="volunteer_spend"),
    path("<int:pk>/statement/", views.volunteer_statement, name="volunteer_statement"),
    path(
        "<int:pk>/statement.xlsx", views.volunteer_statement_export, name="volunteer_statement_xlsx"
    ),
]
