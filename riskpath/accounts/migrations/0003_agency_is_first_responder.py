from typing import Any

from django.db import migrations, models

# Police forces and local authorities are first responders under the National Referral
# Mechanism; existing agencies of those kinds start as such (an area administrator can
# change it, and mark the charities that are first responders too).
FIRST_RESPONDER_KINDS = ["police", "social_care", "local_authority"]


def mark_first_responders(apps: Any, schema_editor: Any) -> None:
    Agency = apps.get_model("accounts", "Agency")
    # On the migrating connection, which may be the owner's rather than the default.
    Agency.objects.using(schema_editor.connection.alias).filter(
        kind__in=FIRST_RESPONDER_KINDS
    ).update(is_first_responder=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_closureday"),
    ]

    operations = [
        migrations.AddField(
            model_name="agency",
            name="is_first_responder",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "A first-responder organisation under the National Referral Mechanism: "
                    "only these may make an NRM referral."
                ),
            ),
        ),
        migrations.RunPython(mark_first_responders, migrations.RunPython.noop),
    ]
