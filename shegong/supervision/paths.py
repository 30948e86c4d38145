"""Keep the station path copied on visits and items in step when a unit moves."""

from django.db.models import Value
from django.db.models.functions import Concat, Substr

from shegong.orgs import tree


def move_copies(*, old_path, new_path):
    from .models import Item, Visit

    tail = Substr("station_path", len(old_path) + 1)
    for model in (Visit, Item):
        model.objects.filter(tree.subtree(old_path, "station_path")).update(
            station_path=Concat(Value(new_path), tail, output_field=tree.PathField())
        )
