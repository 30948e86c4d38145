"""URLs of supervision."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="supervision_index"),
    path("visits/new/", views.visit_new, name="supervision_visit_new"),
    path("visits/<int:pk>/", views.visit_detail, name="supervision_visit"),
    path("visits/<int:pk>/items/", views.item_add, name="supervision_item_add"),
    path("items/<int:pk>/report/", views.item_report, name="supervision_item_report"),
    path("items/<int:pk>/verify/", views.item_verify, name="supervision_item_verify"),
]
