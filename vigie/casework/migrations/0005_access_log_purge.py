"""The access log may now be purged, and only by the purge: its rows stay refused to every UPDATE, and a DELETE is
let through only when BOTH

1. the transaction asked for it: `SET LOCAL vigie.casework_log_purge = 'on'` (vigie.casework.retention does, just
   before deleting, and sets it back to 'off' right after); and
2. the row is older than its own group's log retention period (`casework_casegroup.log_retention_months`),
   measured from the database's clock.

So even the application cannot delete a recent row, nor an old one outside the purge. TRUNCATE (the test runner's
way of emptying tables) fires no row trigger and stays the database owner's.
"""

from django.db import migrations

TABLE = "casework_accesslogentry"

POSTGRES_UP = f"""
CREATE OR REPLACE FUNCTION casework_access_log_refuse() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
        AND coalesce(current_setting('vigie.casework_log_purge', true), '') = 'on'
        AND OLD.at < now() - make_interval(months => (
            SELECT log_retention_months FROM casework_casegroup WHERE id = OLD.group_id
        ))
    THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'casework access log is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
# Back to migration 0003's function: every UPDATE and DELETE refused.
POSTGRES_DOWN = """
CREATE OR REPLACE FUNCTION casework_access_log_refuse() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'casework access log is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def _run(statement):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("casework", "0004_indicator_sources")]

    operations = [migrations.RunPython(_run(POSTGRES_UP), _run(POSTGRES_DOWN))]
