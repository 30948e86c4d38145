from django.urls import path

from . import views

urlpatterns = [
    path("", views.notice_list, name="notice_list"),
    path("new/", views.notice_create, name="notice_create"),
    path("<int:pk>/", views.notice_detail, name="notice_detail"),
    path("<int:pk>/edit/", views.notice_edit, name="notice_edit"),
    path("<int:pk>/issue/", views.notice_issue, name="notice_issue"),
    path("<int:pk>/close/", views.notice_close, name="notice_close"),
    path("<int:pk>/sign/", views.notice_sign, name="notice_sign"),
    path("<int:pk>/derive/", views.notice_derive, name="notice_derive"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path(
        "<int:pk>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_id>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("<int:pk>/expected/", views.expected_list, name="notice_expected"),
    path("<int:pk>/expected/add/", views.expected_add, name="expected_add"),
    path(
        "<int:pk>/expected/<int:expected_id>/excuse/",
        views.expected_excuse,
        name="expected_excuse",
    ),
]

notification_urls = [
    path("", views.notifications, name="notifications"),
    path("read/", views.notifications_read, name="notifications_read"),
    path("<int:pk>/", views.notification_open, name="notification_open"),
]
