"""URLs of funds."""

urlpatterns = []
