"""URLs of volunteers."""

urlpatterns = []
