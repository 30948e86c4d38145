"""URLs of supervision."""

urlpatterns = []
