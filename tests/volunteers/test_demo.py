from decimal import Decimal

from django.core.management import call_command

from shegong.demo import volunteers as demo
from shegong.volunteers.models import Entry, Team, Volunteer


def test_demo_volunteers_are_built_once_with_hours_a_spend_and_a_reversal(db):
    call_command("seed_demo", quiet=True)
    demo.build()
    demo.build()
    assert Team.objects.filter(station__code="S500119001").count() == 1
    volunteers = Volunteer.objects.filter(station__code="S500119001")
    assert volunteers.count() == 6
    kinds = list(Entry.objects.values_list("kind", flat=True))
    assert kinds.count("spent") == 1 and kinds.count("reversal") == 1
    for v in volunteers:
        last = v.entries.order_by("-id").first()
        assert v.balance == (last.balance_after if last else Decimal("0"))
