"""PostgreSQL: the trigram extension and a GIN index on the stored names, so that a misspelt
name is found by ``pg_trgm``'s word similarity on the index. Nothing on SQLite, whose search
uses the key table alone. Run as the owner role (``riskpath migrate`` with
``DATABASE_OWNER_URL``): ``pg_trgm`` is a trusted extension, which a database's owner may
create."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "search_entry_names_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON search_searchentry "
        "USING gin (names gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index),
    ]
