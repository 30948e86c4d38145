"""Keep the unit path copied on funds and their entries in step when a unit moves."""

from django.db.models import Value
from django.db.models.functions import Concat, Substr

from shegong.orgs import tree


def move_copies(*, old_path, new_path):
    from .models import Fund, FundEntry

    tail = Substr("unit_path", len(old_path) + 1)
    for model in (Fund, FundEntry):
        model.objects.filter(tree.subtree(old_path, "unit_path")).update(
            unit_path=Concat(Value(new_path), tail, output_field=tree.PathField())
        )
