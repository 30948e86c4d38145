from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="portal_home"),
    path("articles/", views.article_list, name="portal_articles"),
    path("articles/<int:pk>/", views.article_detail, name="portal_article"),
    path("articles/<int:pk>/photos/<int:photo_id>/", views.photo_file, name="portal_photo"),
]
