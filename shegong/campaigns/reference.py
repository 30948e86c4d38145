"""The holiday table's starting data, from data/holidays.csv (see its source column).

load() takes the model class so the data migration can pass its historical model and
`seed-demo` the current one; dates already present are left as the admin edited them.
"""

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "holidays.csv"


def load(Holiday):
    with open(DATA, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    Holiday.objects.bulk_create(
        [Holiday(date=r["date"], kind=r["kind"], name=r["name"], source=r["source"]) for r in rows],
        ignore_conflicts=True,
    )
