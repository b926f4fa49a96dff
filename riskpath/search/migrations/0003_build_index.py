"""Index the records that exist when search is installed."""

from django.db import migrations


def build(apps, schema_editor):
    from riskpath.search.keys import entry_keys
    from riskpath.people.duplicates import normalise, normalise_postcode

    Entry = apps.get_model("search", "SearchEntry")
    Key = apps.get_model("search", "SearchKey")
    sources = [
        ("young_person", apps.get_model("people", "YoungPerson")),
        ("person_of_interest", apps.get_model("people", "PersonOfInterest")),
        ("location", apps.get_model("locations", "Location")),
        ("group", apps.get_model("groups", "Group")),
    ]
    for kind, model in sources:
        for record in model.objects.filter(deleted_at__isnull=True).iterator():
            dob, postcode = None, getattr(record, "postcode", "")
            if kind == "young_person":
                names = [f"{record.given_names} {record.family_name}", *(record.aliases or [])]
                dob = record.date_of_birth
            elif kind == "person_of_interest":
                person = record.young_person
                given = person.given_names if person else record.given_names
                family = person.family_name if person else record.family_name
                names = [f"{given} {family}", *(record.aliases or [])]
                dob = person.date_of_birth if person else record.date_of_birth
            elif kind == "location":
                names = [record.name, record.address]
            else:
                names = [record.name]
            entry = Entry.objects.create(
                area_id=record.area_id,
                kind=kind,
                record_id=record.pk,
                names=" | ".join(n for n in (normalise(x) for x in names) if n),
                date_of_birth=dob,
                postcode=normalise_postcode(postcode or "")[:10],
            )
            Key.objects.bulk_create(
                Key(entry=entry, area_id=record.area_id, kind=kind, key=k, weight=w)
                for k, w in entry_keys(names, date_of_birth=dob, postcode=postcode or "").items()
            )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_trigram_index"),
        ("people", "0004_name_keys_and_merges"),
        ("locations", "0001_initial"),
        ("groups", "0003_membership_history_constraints"),
    ]

    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
