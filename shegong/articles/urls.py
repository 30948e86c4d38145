from django.urls import path

from . import views

urlpatterns = [
    path("", views.article_list, name="article_list"),
    path("new/", views.article_new, name="article_new"),
    path("check/", views.article_check, name="article_check"),
    path("calls/", views.call_list, name="call_list"),
    path("calls/new/", views.call_new, name="call_new"),
    path("calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("calls/<int:pk>/enter/", views.call_enter, name="call_enter"),
    path("calls/<int:pk>/entries/<int:entry_id>/score/", views.call_score, name="call_score"),
    path("calls/<int:pk>/publish/", views.call_publish, name="call_publish"),
    path("<int:pk>/", views.article_detail, name="article_detail"),
    path("<int:pk>/edit/", views.article_edit, name="article_edit"),
    path("<int:pk>/submit/", views.article_submit, name="article_submit"),
    path("<int:pk>/review/", views.article_review, name="article_review"),
    path("<int:pk>/hold/", views.article_hold, name="article_hold"),
    path("<int:pk>/versions/<int:version>/", views.article_version, name="article_version"),
    path("<int:pk>/photos/<int:photo_id>/", views.photo_file, name="article_photo"),
]
