"""URLs of casework."""

urlpatterns = []
