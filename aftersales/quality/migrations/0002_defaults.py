from django.db import migrations


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    from aftersales.quality.defaults import ensure_defaults

    ensure_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial"), ("approvals", "0002_default_flows")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
