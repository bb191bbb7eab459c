"""No two active bookings of one resource overlap, as a PostgreSQL exclusion constraint over the
resource and the held span tstzrange(start, held_until) (the buffer included), for pending and
confirmed bookings. btree_gist lets the GiST index compare the resource's key with =. SQLite has
no such constraint: there the booking service's IMMEDIATE transaction serialises the writes.

The constraint is added here and not in the model's Meta, so that SQLite never sees it (a table
rebuilt on SQLite would carry it) and django.contrib.postgres need not be installed."""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations, models


class TsTzRange(models.Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


NO_OVERLAP = ExclusionConstraint(
    name="booking_no_overlap",
    expressions=[
        ("resource", RangeOperators.EQUAL),
        (TsTzRange("start", "held_until", RangeBoundary()), RangeOperators.OVERLAPS),
    ],
    condition=models.Q(status__in=["pending", "confirmed"]),
)


def constraint_add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            NO_OVERLAP.create_sql(apps.get_model("facilities", "Booking"), schema_editor)
        )


def constraint_remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            NO_OVERLAP.remove_sql(apps.get_model("facilities", "Booking"), schema_editor)
        )


class Migration(migrations.Migration):
    dependencies = [("facilities", "0001_resources_bookings")]

    operations = [
        BtreeGistExtension(),
        migrations.RunPython(constraint_add, constraint_remove),
    ]
