"""URLs of funds."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.fund_list, name="fund_list"),
    path("new/", views.fund_new, name="fund_new"),
    path("reconcile/", views.reconcile, name="fund_reconcile"),
    path("<int:pk>/", views.fund_detail, name="fund_detail"),
    path("<int:pk>/entries/new/", views.entry_new, name="fund_entry_new"),
    path(
        "<int:pk>/entries/<int:entry_id>/reverse/",
        views.entry_reverse,
        name="fund_entry_reverse",
    ),
    path("<int:pk>/export/", views.fund_export, name="fund_export"),
]
