"""URLs of projects."""

urlpatterns = []
staff_urlpatterns = []  # the staff register, included at staff/
