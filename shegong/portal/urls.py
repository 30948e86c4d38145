from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="portal_home"),
    path("articles/", views.article_list, name="portal_articles"),
    path("articles/<int:pk>/", views.article_detail, name="portal_article"),
    path("articles/<int:pk>/photos/<int:photo_id>/", views.photo_file, name="portal_photo"),
    path("stations/", views.stations, name="portal_stations"),
    path("stations/mine/", views.station_edit, name="portal_station_edit"),
    path("stations/<str:code>/", views.station, name="portal_station"),
    path("stations/<str:code>/poster/", views.station_poster, name="portal_poster"),
]
