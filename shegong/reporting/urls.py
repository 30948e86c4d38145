from django.urls import path

from . import print_views, views

urlpatterns = [
    path("", views.report_index, name="report_index"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/print/", print_views.report_print, name="report_print"),
    path("<int:pk>/review/", views.report_review, name="report_review"),
    path("period/<int:period_id>/", views.period_report, name="period_report"),
    path("period/<int:period_id>/completeness/", views.completeness, name="completeness"),
    path(
        "period/<int:period_id>/completeness/remind/",
        views.completeness_remind,
        name="completeness_remind",
    ),
    path("period/<int:period_id>/lock/", views.period_lock, name="period_lock"),
    path("period/<int:period_id>/reopen/", views.period_reopen, name="period_reopen"),
]

dashboard_urls = [
    path("", views.dashboard, name="dashboard"),
    path("portal/<int:notice_id>/", views.dashboard_portal, name="dashboard_portal"),
    path("<str:code>/", views.dashboard, name="dashboard_unit"),
    path("<str:code>/achievements/", views.dashboard_achievements, name="dashboard_achievements"),
    path("<str:code>/export/", views.dashboard_export, name="dashboard_export"),
]
