from django.db import migrations


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    from aftersales.quality.defaults import ensure_defaults

    ensure_defaults(apps)  # adds the missing rule (quality.capa); existing rows stay


class Migration(migrations.Migration):
    dependencies = [("quality", "0005_capa")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
