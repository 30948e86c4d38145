"""Keep the unit paths copied on projects, workers and trainings in step when a unit moves."""

from django.db.models import Value
from django.db.models.functions import Concat, Substr

from shegong.orgs import tree


def move_copies(*, old_path, new_path):
    from .models import Project, Training, Worker

    for model, field in ((Project, "issuer_path"), (Worker, "unit_path"), (Training, "unit_path")):
        tail = Substr(field, len(old_path) + 1)
        model.objects.filter(tree.subtree(old_path, field)).update(
            **{field: Concat(Value(new_path), tail, output_field=tree.PathField())}
        )
