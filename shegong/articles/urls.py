from django.urls import path

from . import views

urlpatterns = [
    path("", views.article_list, name="article_list"),
    path("new/", views.article_new, name="article_new"),
    path("check/", views.article_check, name="article_check"),
    path("<int:pk>/", views.article_detail, name="article_detail"),
    path("<int:pk>/edit/", views.article_edit, name="article_edit"),
    path("<int:pk>/submit/", views.article_submit, name="article_submit"),
    path("<int:pk>/review/", views.article_review, name="article_review"),
    path("<int:pk>/hold/", views.article_hold, name="article_hold"),
    path("<int:pk>/versions/<int:version>/", views.article_version, name="article_version"),
    path("<int:pk>/photos/<int:photo_id>/", views.photo_file, name="article_photo"),
]
