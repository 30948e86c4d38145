"""URLs of casework (under /cases/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("new/", views.case_new, name="case_new"),
    path("summary/", views.case_summary, name="case_summary"),
    path("summary/export/", views.summary_export, name="case_summary_export"),
    path("transfers/", views.transfer_list, name="case_transfers"),
    path("transfers/<int:pk>/decide/", views.transfer_decide, name="case_transfer_decide"),
    path("transfers/<int:pk>/cancel/", views.transfer_cancel, name="case_transfer_cancel"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("<int:pk>/assess/", views.case_assess, name="case_assess"),
    path("<int:pk>/plan/", views.case_plan, name="case_plan"),
    path("<int:pk>/records/", views.case_record, name="case_record"),
    path("<int:pk>/followups/", views.case_followup, name="case_followup"),
    path(
        "<int:pk>/followups/<int:followup_id>/done/",
        views.followup_done,
        name="case_followup_done",
    ),
    path("<int:pk>/close/", views.case_close, name="case_close"),
    path("<int:pk>/reopen/", views.case_reopen, name="case_reopen"),
    path("<int:pk>/transfer/", views.case_transfer, name="case_transfer"),
]
