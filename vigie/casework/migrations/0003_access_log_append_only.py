"""The access log is append-only at the database: a trigger refuses every UPDATE and DELETE of its rows.

PostgreSQL (production, CI): a PL/pgSQL row trigger raising an exception. TRUNCATE is left to the database owner
(the test runner empties tables with it). SQLite (development, most tests) has no trigger: there the model's save
and delete refuse, and tests/casework/test_access_log_postgres.py proves the database side on PostgreSQL.
"""

from django.db import migrations

TABLE = "casework_accesslogentry"

POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION casework_access_log_refuse() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'casework access log is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER casework_access_log_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION casework_access_log_refuse();
"""
POSTGRES_DOWN = f"""
DROP TRIGGER IF EXISTS casework_access_log_append_only ON {TABLE};
DROP FUNCTION IF EXISTS casework_access_log_refuse();
"""
def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor, [])
        for statement in statements if isinstance(statements, list) else [statements]:
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("casework", "0002_cases_and_access_log")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_UP}), _run({"postgresql": POSTGRES_DOWN})
        )
    ]
