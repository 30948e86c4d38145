"""URLs of purchased projects (at projects/) and of the staff register (at staff/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("new/", views.project_new, name="project_new"),
    path("criteria/", views.criteria, name="project_criteria"),
    path("criteria/<int:pk>/", views.criteria, name="project_criterion"),
    path("contractors/<str:code>/", views.contractor_record, name="contractor_record"),
    path("<int:pk>/", views.project_detail, name="project_detail"),
    path("<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("<int:pk>/activities/", views.project_activities, name="project_activities"),
    path(
        "<int:pk>/activities/<int:activity_id>/remove/",
        views.project_unlink_activity,
        name="project_unlink_activity",
    ),
    path("<int:pk>/records/", views.project_records, name="project_records"),
    path(
        "<int:pk>/records/<int:record_id>/remove/",
        views.project_unlink_record,
        name="project_unlink_record",
    ),
    path("<int:pk>/assessors/", views.project_assessor_add, name="project_assessor_add"),
    path(
        "<int:pk>/assessors/<int:user_id>/remove/",
        views.project_assessor_remove,
        name="project_assessor_remove",
    ),
    path("<int:pk>/evaluate/<str:stage>/", views.project_evaluate, name="project_evaluate"),
]

staff_urlpatterns = [
    path("", views.staff_index, name="staff_index"),
    path("new/", views.worker_new, name="worker_new"),
    path("<int:pk>/", views.worker_detail, name="worker_detail"),
    path("<int:pk>/edit/", views.worker_edit, name="worker_edit"),
]
