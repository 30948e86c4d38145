"""The 总结材料 of a summary period: written, proofread, submitted and reviewed."""

from django.urls import path

from . import summary_views as views

urlpatterns = [
    path("check/", views.summary_check, name="summary_check"),
    path("<int:period_id>/", views.summary_edit, name="summary_edit"),
    path("<int:period_id>/<str:code>/", views.summary_detail, name="summary_detail"),
    path(
        "<int:period_id>/<str:code>/v<int:version>/",
        views.summary_version,
        name="summary_version",
    ),
]
