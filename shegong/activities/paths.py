"""Keep the unit path copied on activities and visits, and the summary rows, in step
when a unit moves."""

from django.db.models import Value
from django.db.models.functions import Concat, Substr

from shegong.orgs import tree


def move_copies(*, old_path, new_path):
    """Rewrite the copied paths, moving the subtree's summary rows along with them."""
    from . import rollups
    from .models import Activity, Visit

    def copy_paths():
        tail = Substr("org_path", len(old_path) + 1)
        for model in (Activity, Visit):
            model.objects.filter(tree.subtree(old_path, "org_path")).update(
                org_path=Concat(Value(new_path), tail, output_field=tree.PathField())
            )

    rollups.move_subtree(old_path, new_path, copy_paths)
