"""URLs of ratings."""

urlpatterns = []
public_urlpatterns = []  # the public form, included at rate/
