from django.db import migrations


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    from aftersales.quality.defaults import ensure_defaults

    # adds the missing rules (quality.old_part_return, quality.supplier_claim)
    ensure_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [("quality", "0007_old_parts")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
