from django.db import migrations


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    from aftersales.maintenance.defaults import ensure_defaults

    ensure_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [("maintenance", "0001_initial"), ("installed_base", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
