from django.db import migrations


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    from aftersales.quality.defaults import ensure_thresholds

    ensure_thresholds(apps)


class Migration(migrations.Migration):
    dependencies = [("quality", "0003_warnings")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
