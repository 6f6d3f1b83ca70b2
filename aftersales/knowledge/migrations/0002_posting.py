"""The postings of the published cases (issue 13: the candidate query at 100 000 cases).

The table is created in SQL so that its primary key carries ``main, category_id, is_public``
(``INCLUDE``): the candidate query is an index-only scan of it. Django's state knows the same
table and key. The backfill is the SQL of ``services.index.rebuild_statistics`` as of this
migration."""

import django.db.models.deletion
from django.db import migrations, models

CREATE = """
CREATE TABLE knowledge_posting (
    key varchar(60) NOT NULL,
    case_id bigint NOT NULL,
    main boolean NOT NULL,
    category_id bigint NOT NULL,
    is_public boolean NOT NULL,
    CONSTRAINT knowledge_posting_pk PRIMARY KEY (key, case_id) INCLUDE (main, category_id, is_public)
)
"""

BACKFILL = """
INSERT INTO knowledge_posting (key, case_id, main, category_id, is_public)
SELECT DISTINCT ON (k.key, c.id) k.key, c.id, k.main, c.category_id, c.is_public
FROM knowledge_case c,
     LATERAL (SELECT unnest(c.keys_main) AS key, true AS main
              UNION ALL SELECT unnest(c.keys_more), false) k
WHERE c.state = 'published' AND c.archived_at IS NULL
ORDER BY k.key, c.id, k.main DESC
"""


class Migration(migrations.Migration):
    dependencies = [
        ("installed_base", "0001_initial"),
        ("knowledge", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Posting",
                    fields=[
                        ("pk", models.CompositePrimaryKey("key", "case", blank=True, editable=False, primary_key=True, serialize=False)),
                        ("key", models.CharField(max_length=60)),
                        ("main", models.BooleanField(default=True)),
                        ("is_public", models.BooleanField(default=False)),
                        ("case", models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="knowledge.case")),
                        ("category", models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name="+", to="installed_base.productcategory")),
                    ],
                    options={
                        "verbose_name": "检索倒排项",
                        "verbose_name_plural": "检索倒排项",
                    },
                ),
            ],
            database_operations=[
                migrations.RunSQL(CREATE, "DROP TABLE knowledge_posting"),
                migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
            ],
        ),
    ]
