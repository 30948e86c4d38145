from django.urls import path

from . import import_views, print_views, views, visit_views

urlpatterns = [
    path("", views.activity_list, name="activity_list"),
    path("new/", views.activity_create, name="activity_create"),
    path("export/", import_views.activity_export, name="activity_export"),
    path("print/", print_views.activity_print, name="activity_print"),
    path("import/", import_views.import_upload, name="activity_import_upload"),
    path("import/<int:pk>/", import_views.import_detail, name="activity_import"),
    path("import/<int:pk>/confirm/", import_views.import_confirm, name="activity_import_confirm"),
    path("import/<int:pk>/rejected/", import_views.import_rejects, name="activity_import_rejects"),
    path("check/", views.activity_check, name="activity_check"),
    path("<int:pk>/", views.activity_detail, name="activity_detail"),
    path("<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("<int:pk>/delete/", views.activity_delete, name="activity_delete"),
    path("<int:pk>/unlock/", views.activity_unlock, name="activity_unlock"),
    path("<int:pk>/photos/", views.activity_photos, name="activity_photos"),
    path("<int:pk>/photos/<int:photo_id>/", views.photo_file, name="activity_photo"),
    path("<int:pk>/attachments/", views.activity_attachment, name="activity_attachment"),
    path(
        "<int:pk>/attachments/<int:attachment_id>/",
        views.attachment_file,
        name="activity_attachment_file",
    ),
]

visit_urls = [
    path("", visit_views.visit_list, name="visit_list"),
    path("new/", visit_views.visit_create, name="visit_create"),
    path("export/", visit_views.visit_export, name="visit_export"),
    path("<int:pk>/edit/", visit_views.visit_edit, name="visit_edit"),
    path("<int:pk>/delete/", visit_views.visit_delete, name="visit_delete"),
]
