"""One audit chain per area, and one for the installation, so that areas never queue behind each
other to append. Every event written so far stays in the installation chain, hashed exactly as
it was; the single chain head becomes that chain's row of ``AuditChain``. On PostgreSQL a chain's
row refuses DELETE and TRUNCATE, as the chain head did."""

from django.db import migrations, models

TRIGGERS = """
CREATE TRIGGER audit_auditchain_no_delete
    BEFORE DELETE ON audit_auditchain
    FOR EACH ROW EXECUTE FUNCTION riskpath_audit_append_only();
CREATE TRIGGER audit_auditchain_no_truncate
    BEFORE TRUNCATE ON audit_auditchain
    FOR EACH STATEMENT EXECUTE FUNCTION riskpath_audit_append_only();
"""

DROP_TRIGGERS = """
DROP TRIGGER IF EXISTS audit_auditchain_no_delete ON audit_auditchain;
DROP TRIGGER IF EXISTS audit_auditchain_no_truncate ON audit_auditchain;
"""


def protect(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGERS, params=None)


def unprotect(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGERS, params=None)


def head_to_installation_chain(apps, schema_editor):  # type: ignore[no-untyped-def]
    using = schema_editor.connection.alias  # the owner's connection, where migrations run
    head = apps.get_model("audit", "AuditChainHead").objects.using(using).filter(pk=1).first()
    if head is not None:
        apps.get_model("audit", "AuditChain").objects.using(using).create(
            chain="installation", seq=head.seq, hash=head.hash
        )


def installation_chain_to_head(apps, schema_editor):  # type: ignore[no-untyped-def]
    using = schema_editor.connection.alias
    chains = apps.get_model("audit", "AuditChain").objects.using(using)
    chain = chains.filter(chain="installation").first()
    if chain is not None:
        apps.get_model("audit", "AuditChainHead").objects.using(using).create(
            pk=1, seq=chain.seq, hash=chain.hash
        )


class Migration(migrations.Migration):
    dependencies = [("audit", "0011_auditcheckpoint")]

    operations = [
        migrations.CreateModel(
            name="AuditChain",
            fields=[
                ("chain", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("seq", models.BigIntegerField(default=0)),
                ("hash", models.CharField(max_length=64)),
            ],
        ),
        migrations.RunPython(head_to_installation_chain, installation_chain_to_head),
        migrations.RunPython(protect, unprotect),
        migrations.DeleteModel(name="AuditChainHead"),
        migrations.AlterModelOptions(
            name="auditevent",
            options={"ordering": ["occurred_at", "id"]},
        ),
        migrations.AddField(
            model_name="auditevent",
            name="chain",
            field=models.CharField(default="installation", max_length=64),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(
                fields=("chain", "seq"), name="audit_event_chain_seq_unique"
            ),
        ),
    ]
