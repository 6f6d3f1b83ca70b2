from django.db import migrations


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    from aftersales.stock.defaults import ensure_defaults

    ensure_defaults(apps)  # the monthly count's deadline rule (stock.monthly_count)


class Migration(migrations.Migration):
    dependencies = [("stock", "0007_lot_number_trgm"), ("approvals", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
