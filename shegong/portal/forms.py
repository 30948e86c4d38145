from shegong.forms import ModelForm

from .models import StationPage


class StationPageForm(ModelForm):
    class Meta:
        model = StationPage
        fields = [
            "place_name",
            "address",
            "hours",
            "contact",
            "services",
            "service_list",
            "staff",
            "process",
            "is_public",
            "show_volunteers",
            "show_funds",
            "show_ratings",
            "show_cases",
        ]
