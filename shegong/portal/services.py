from django.db import transaction

from shegong.audit.services import record_event
from shegong.edits import check_version

from .models import StationPage


@transaction.atomic
def save_station_page(*, unit, by, data, version=None):
    """Create or update the unit's public page (fields of StationPage), with an audit row.
    `version` is the one the form was opened at (None for a new page)."""
    page = StationPage.objects.select_for_update().filter(unit=unit).first()
    if page is None:
        page = StationPage(unit=unit)
    else:
        check_version(page, version)
        page.version += 1
    for key, value in data.items():
        setattr(page, key, value)
    page.save()
    record_event(
        action="portal.station_page_saved",
        by=by,
        unit=unit,
        obj=page,
        after={"服务场所名称": page.place_name, "公开": page.is_public},
    )
    return page
