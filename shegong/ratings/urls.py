"""URLs of ratings: staff pages (included at ratings/) and the public form (at rate/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.rating_index, name="rating_index"),
    path("poster/", views.rating_poster, name="rating_poster"),
]

public_urlpatterns = [
    path("<str:code>/", views.rate_station, name="rate_station"),
    path("<str:code>/thanks/", views.rate_thanks, name="rate_thanks"),
    path("<str:code>/<int:activity_id>/", views.rate_activity, name="rate_activity"),
]
