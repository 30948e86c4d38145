from django.db import transaction

from shegong.audit.services import record_event

from .models import StationPage


@transaction.atomic
def save_station_page(*, unit, by, data):
    """Create or update the unit's public page (fields of StationPage), with an audit row."""
    page, _ = StationPage.objects.update_or_create(unit=unit, defaults=data)
    record_event(
        action="portal.station_page_saved",
        by=by,
        unit=unit,
        obj=page,
        after={"服务场所名称": page.place_name, "公开": page.is_public},
    )
    return page
