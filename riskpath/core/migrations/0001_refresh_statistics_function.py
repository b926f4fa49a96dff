"""On PostgreSQL only a table's owner may ANALYZE it, and the application's role owns no table
(see riskpath.core.db_roles). This function, owned by the role that runs migrations and run
with its rights, refreshes the planner's statistics for ``riskpath.core.db.refresh_statistics``.
It does nothing else, and only roles granted EXECUTE (``riskpath db grant-app-role``) may call
it."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION riskpath_refresh_statistics() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    ANALYZE;
END;
$$;
REVOKE ALL ON FUNCTION riskpath_refresh_statistics() FROM PUBLIC;
"""

DROP = "DROP FUNCTION IF EXISTS riskpath_refresh_statistics();"


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies: list[tuple[str, str]] = []
    operations = [migrations.RunPython(forwards, backwards)]
