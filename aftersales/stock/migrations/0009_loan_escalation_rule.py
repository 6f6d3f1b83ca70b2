from django.db import migrations


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    from aftersales.stock.defaults import ensure_defaults

    ensure_defaults(apps)  # adds the overdue loan's escalation rule (stock.loan_escalation)


class Migration(migrations.Migration):
    dependencies = [("stock", "0008_monthly_count_rule")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
