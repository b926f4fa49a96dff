"""The young person's fuller record: partner-system identifiers validated for shape (NHS
numbers by their check digit), postcodes normalised, aliases, care status."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from riskpath.core import clock
from riskpath.core.errors import FieldErrors
from riskpath.people import services
from riskpath.people.enums import CareStatus
from riskpath.people.identifiers import CLEANERS, nhs_check_digit_ok
from riskpath.people.models import YoungPerson
from tests.people.scenario import AuditWatch, Scene

# (field, typed, stored) — accepted and normalised
ACCEPTED = [
    ("mosaic_id", "1234", "1234"),
    ("mosaic_id", " 1234567890 ", "1234567890"),
    ("liquidlogic_id", "98765", "98765"),
    ("niche_id", "AB12CD34", "AB12CD34"),
    ("niche_id", "A" * 30, "A" * 30),
    ("flare_id", "FL-2024-0001", "FL-2024-0001"),
    ("flare_id", "x9", "x9"),
    ("nhs_number", "9434765919", "9434765919"),
    ("nhs_number", "943 476 5919", "9434765919"),
    ("nhs_number", "401 023 2137", "4010232137"),
    ("nhs_number", "1000000060", "1000000060"),  # 11 - remainder is 11: check digit 0
    ("postcode", "bs16 1qy", "BS16 1QY"),
    ("postcode", "BS161QY", "BS16 1QY"),
    ("postcode", " m1 1ae ", "M1 1AE"),
    ("postcode", "sw1a1aa", "SW1A 1AA"),
    ("postcode", "", ""),
    ("nhs_number", "", ""),
]

# (field, typed) — refused
REFUSED = [
    ("mosaic_id", "123"),  # too short
    ("mosaic_id", "12345678901"),  # too long
    ("mosaic_id", "12a45"),
    ("liquidlogic_id", "12-345"),
    ("liquidlogic_id", "999"),
    ("niche_id", "AB 12"),
    ("niche_id", "AB-12"),
    ("niche_id", "A" * 31),
    ("flare_id", "FL_2024"),
    ("flare_id", "-FL2024"),
    ("flare_id", "F" * 31),
    ("nhs_number", "9434765918"),  # wrong check digit
    ("nhs_number", "4010232138"),  # wrong check digit
    ("nhs_number", "1000000010"),  # 11 - remainder is 10: never valid
    ("nhs_number", "943476591"),  # nine digits
    ("nhs_number", "94347659190"),  # eleven digits
    ("nhs_number", "943-476-5919"),  # only spaces are removed
    ("postcode", "BS16"),
    ("postcode", "12345"),
    ("postcode", "BS16 1Q"),
    ("postcode", "BSS16 1QY"),
]


@pytest.mark.parametrize("field,typed,stored", ACCEPTED)
def test_identifier_shapes_accepted(field: str, typed: str, stored: str) -> None:
    assert CLEANERS[field](typed) == stored


@pytest.mark.parametrize("field,typed", REFUSED)
def test_identifier_shapes_refused(field: str, typed: str) -> None:
    with pytest.raises(ValueError):
        CLEANERS[field](typed)


@pytest.mark.parametrize(
    "number,valid",
    [
        ("9434765919", True),
        ("4010232137", True),
        ("1000000060", True),
        ("9434765910", False),
        ("9434765911", False),
        ("1000000010", False),
        ("943476591X", False),
    ],
)
def test_nhs_check_digit(number: str, valid: bool) -> None:
    assert nhs_check_digit_ok(number) is valid


@pytest.mark.django_db
@pytest.mark.parametrize("field,typed", REFUSED)
def test_the_service_refuses_a_bad_identifier_naming_the_field(
    scene: Scene, field: str, typed: str
) -> None:
    watch = AuditWatch()
    with pytest.raises(FieldErrors) as exc:
        services.young_person_create(
            actor=scene.colleague, given_names="Ash", family_name="Shape", **{field: typed}
        )
    assert set(exc.value.errors) == {field}
    assert not YoungPerson.objects.filter(family_name="Shape").exists()
    assert watch.new() == []


@pytest.mark.django_db
def test_create_stores_the_fuller_record_normalised(scene: Scene) -> None:
    watch = AuditWatch()
    person = services.young_person_create(
        actor=scene.colleague,
        given_names="Rowan",
        family_name="Fuller",
        date_of_birth=dt.date(2010, 4, 1),
        date_of_birth_estimated=True,
        aliases=["Ro", " ro ", "R-Dog", ""],
        gender="female",
        ethnicity="mixed",
        school="Hillside Academy",
        locality="Kingswood",
        postcode="bs15 9tr",
        care_status=CareStatus.LOOKED_AFTER,
        mosaic_id="123456",
        liquidlogic_id="7654321",
        niche_id="NCH123",
        flare_id="FL-1",
        nhs_number="943 476 5919",
    )
    person.refresh_from_db()
    assert person.aliases == ["Ro", "R-Dog"]
    assert person.postcode == "BS15 9TR"
    assert person.nhs_number == "9434765919"
    assert person.date_of_birth_estimated is True
    assert person.care_status == CareStatus.LOOKED_AFTER
    (event,) = watch.new()
    assert event.verb == Verb.PERSON_CREATED
    assert event.changes["nhs_number"] == {"before": None, "after": "9434765919"}
    assert event.changes["aliases"] == {"before": None, "after": ["Ro", "R-Dog"]}


@pytest.mark.django_db
def test_update_changes_only_the_given_fields_and_records_them(scene: Scene) -> None:
    person = scene.person
    watch = AuditWatch()
    services.young_person_update(
        actor=scene.colleague,
        person=person,
        expected_version=person.version,
        niche_id="N0001",
        postcode="bs16 1qy",
    )
    person.refresh_from_db()
    assert (person.niche_id, person.postcode, person.given_names) == ("N0001", "BS16 1QY", "Kai")
    (event,) = watch.new()
    assert event.verb == Verb.PERSON_UPDATED
    assert set(event.changes) == {"niche_id", "postcode"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "age,status,ok",
    [
        (17, CareStatus.CARE_LEAVER, False),
        (18, CareStatus.CARE_LEAVER, True),
        (24, CareStatus.CARE_LEAVER, True),
        (15, CareStatus.LOOKED_AFTER, True),
        (None, CareStatus.CARE_LEAVER, True),  # age not known: not refused
    ],
)
def test_care_leaver_status_needs_age_18_to_25(
    scene: Scene, age: int | None, status: str, ok: bool
) -> None:
    today = clock.today()
    dob = None if age is None else today.replace(year=today.year - age) - dt.timedelta(days=1)
    values: dict[str, Any] = {"given_names": "Cal", "family_name": "Leaver", "care_status": status}
    if not ok:
        with pytest.raises(FieldErrors) as exc:
            services.young_person_create(actor=scene.colleague, date_of_birth=dob, **values)
        assert set(exc.value.errors) == {"care_status"}
        assert "care leaver" in exc.value.errors["care_status"].lower()
        assert not AuditEvent.objects.filter(verb=Verb.PERSON_CREATED).exists()
    else:
        person = services.young_person_create(actor=scene.colleague, date_of_birth=dob, **values)
        assert person.care_status == status


@pytest.mark.django_db
def test_an_estimated_date_of_birth_needs_a_date(scene: Scene) -> None:
    with pytest.raises(FieldErrors) as exc:
        services.young_person_create(
            actor=scene.colleague,
            given_names="E",
            family_name="Stimate",
            date_of_birth_estimated=True,
        )
    assert set(exc.value.errors) == {"date_of_birth"}


@pytest.mark.django_db
def test_the_edit_page_shows_and_saves_the_new_fields(client_for: Any, scene: Scene) -> None:
    from django.urls import reverse

    person = scene.person
    client = client_for(scene.colleague)
    url = reverse("people:edit", args=[person.pk])
    assert client.get(url).status_code == 200
    data = {
        "given_names": person.given_names,
        "family_name": person.family_name,
        "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else "",
        "aliases": "Kaz\nK",
        "gender": "male",
        "ethnicity": "white",
        "care_status": "child_in_need",
        "postcode": "bs16 1qy",
        "nhs_number": "943 476 5919",
        "lead_professional": str(person.lead_professional_id),
        "version": person.version,
    }
    bad = client.post(url, {**data, "nhs_number": "943 476 5918"})
    assert bad.status_code == 400
    assert "the last digit does not match" in bad.content.decode()
    person.refresh_from_db()
    assert person.nhs_number == ""
    response = client.post(url, data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.aliases, person.postcode, person.nhs_number) == (
        ["Kaz", "K"],
        "BS16 1QY",
        "9434765919",
    )
    page = client.get(reverse("people:detail", args=[person.pk])).content.decode()
    assert "Kaz, K" in page and "BS16 1QY" in page and "943 476 5919" in page
    assert "Child in need" in page
