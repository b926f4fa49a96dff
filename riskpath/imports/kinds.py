"""What each kind of import reads: its columns, how a row's text becomes the arguments of the
domain service that records it, and how a row is known again when the file is re-imported.

A kind never writes by itself: it calls the same service as the pages
(``intelligence_item_submit``, ``missing_episode_record``), so the access policy, the
validation and the audit event of each record are the ones every other channel has."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from riskpath.accounts.models import User
from riskpath.intelligence.enums import (
    Assessment,
    HandlingCode,
    HarmType,
    Provenance,
    SourceEvaluation,
)
from riskpath.intelligence.models import IntelligenceItem
from riskpath.people.enums import EpisodeKind
from riskpath.people.models import MissingEpisode, YoungPerson

REFERENCE = "Reference"
NAME_EXAMPLE = "Alex Example (27/3/2010)"


@dataclass(frozen=True)
class Column:
    heading: str
    required: bool
    hint: str


Problems = list[tuple[str, str]]  # (column heading, problem)


@dataclass(frozen=True)
class ImportKind:
    key: str
    label: str  # "intelligence", "missing episodes"
    columns: tuple[Column, ...]
    # the service's field names -> the column that holds them, to place the service's errors
    field_columns: dict[str, str]
    parse: Callable[[Any, dict[str, str], YoungPeople, Problems], dict[str, Any]]
    write: Callable[[Any, dict[str, Any], str], Any]
    existing: Callable[[Any, list[str]], set[str]]

    def column(self, heading: str) -> Column:
        return next(c for c in self.columns if c.heading == heading)


# ---------------------------------------------------------------------------------------------
# Reading cells
# ---------------------------------------------------------------------------------------------

_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DATE_UK = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}


def parse_date(text: str) -> dt.date | None:
    """ISO (2025-03-27) or UK day/month/year (27/3/2025); None if it is neither."""
    text = text.strip()
    iso = _DATE_ISO.match(text)
    uk = _DATE_UK.match(text)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if uk:
            return dt.date(int(uk[3]), int(uk[2]), int(uk[1]))
    except ValueError:
        return None
    return None


def parse_datetime(text: str) -> dt.datetime | None:
    """A date as above, then optionally a 24-hour time (21:30); local (UK) time."""
    parts = text.strip().replace("T", " ", 1).split()
    if not parts or len(parts) > 2:
        return None
    day = parse_date(parts[0])
    if day is None:
        return None
    hour = minute = second = 0
    if len(parts) == 2:
        match = _TIME.match(parts[1])
        if not match:
            return None
        hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
        if hour > 23 or minute > 59 or second > 59:
            return None
    naive = dt.datetime.combine(day, dt.time(hour, minute, second))
    return timezone.make_aware(naive, timezone.get_default_timezone())


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()


def _choice(text: str, options: dict[str, str]) -> str | None:
    return options.get(_key(text))


def _options(choices: Iterable[tuple[str, Any]], *extra: tuple[str, str]) -> dict[str, str]:
    """Each choice's value and label (and any extra spellings), normalised, to its value."""
    out: dict[str, str] = {}
    for value, label in choices:
        out[_key(value)] = value
        out[_key(str(label))] = value
        if ":" in str(label):  # "1: Reliable": "Reliable" alone too
            out[_key(str(label).split(":", 1)[1])] = value
    for spelling, value in extra:
        out[_key(spelling)] = value
    return out


HARM_TYPES = _options(
    HarmType.choices,
    ("CSE", HarmType.CSE),
    ("CCE", HarmType.CCE),
    ("Serious youth violence", HarmType.SERIOUS_VIOLENCE),
    ("HSB", HarmType.HSB),
    ("Modern slavery", HarmType.TRAFFICKING),
)
SOURCE_EVALUATIONS = _options(SourceEvaluation.choices)
ASSESSMENTS = _options(Assessment.choices)
HANDLING_CODES = _options(HandlingCode.choices)
PROVENANCES = _options(
    Provenance.choices,
    ("1st hand", Provenance.FIRST_HAND),
    ("2nd hand", Provenance.SECOND_HAND),
    ("3rd hand", Provenance.THIRD_HAND),
)
EPISODE_KINDS = _options(
    EpisodeKind.choices, ("Absent", EpisodeKind.ABSENT), ("Missing from home", EpisodeKind.MISSING)
)


def _bool(text: str, column: str, problems: Problems) -> bool:
    value = text.strip().casefold()
    if value in YES:
        return True
    if value in NO:
        return False
    problems.append((column, "Enter Yes or No"))
    return False


def _date(text: str, column: str, what: str, problems: Problems, required: bool) -> Any:
    if not text:
        if required:
            problems.append((column, f"Enter {what}"))
        return None
    value = parse_date(text)
    if value is None:
        problems.append((column, f"Enter {what} as a real date, like 27/3/2025 or 2025-03-27"))
    return value


def _datetime(text: str, column: str, what: str, problems: Problems, required: bool) -> Any:
    if not text:
        if required:
            problems.append((column, f"Enter {what}"))
        return None
    value = parse_datetime(text)
    if value is None:
        problems.append(
            (
                column,
                f"Enter {what} as a real date and 24-hour time, like 27/3/2025 21:30 or "
                "2025-03-27 21:30",
            )
        )
    return value


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]


# ---------------------------------------------------------------------------------------------
# Finding young people: by riskpath id, or by exact full name and date of birth
# ---------------------------------------------------------------------------------------------


def _name(text: str) -> str:
    return " ".join(text.split()).casefold()


class YoungPeople:
    """The live young people of the actor's area, looked up by id or by name and date of
    birth. Never creates anyone: a name that matches nobody is the row's problem."""

    def __init__(self, area_id: Any) -> None:
        self.area_id = area_id
        self._loaded = False
        self._by_id: dict[str, YoungPerson] = {}
        self._by_name: dict[tuple[str, dt.date | None], list[YoungPerson]] = {}

    def _load(self) -> None:
        if self._loaded:
            return
        people = YoungPerson.objects.filter(area_id=self.area_id).only(
            "id", "area_id", "given_names", "family_name", "date_of_birth", "recording_agency_id"
        )
        for person in people:
            self._by_id[str(person.pk)] = person
            key = (_name(f"{person.given_names} {person.family_name}"), person.date_of_birth)
            self._by_name.setdefault(key, []).append(person)
        self._loaded = True

    def by_id(self, text: str) -> YoungPerson | None:
        try:
            key = str(uuid.UUID(text.strip()))
        except ValueError:
            return None
        self._load()
        return self._by_id.get(key)

    def by_name(self, name: str, date_of_birth: dt.date) -> list[YoungPerson]:
        self._load()
        return self._by_name.get((_name(name), date_of_birth), [])


def _is_id(text: str) -> bool:
    try:
        uuid.UUID(text.strip())
    except ValueError:
        return False
    return True


def _match(
    people: YoungPeople, name: str, dob: dt.date, column: str, problems: Problems
) -> YoungPerson | None:
    found = people.by_name(name, dob)
    if not found:
        problems.append(
            (
                column,
                "No young person recorded in your area has this full name and date of birth: "
                "record them first, or give their riskpath id",
            )
        )
        return None
    if len(found) > 1:
        problems.append(
            (
                column,
                "More than one young person in your area has this name and date of birth: "
                "give the riskpath id of the one you mean",
            )
        )
        return None
    return found[0]


def _by_id(people: YoungPeople, text: str, column: str, problems: Problems) -> Any:
    person = people.by_id(text)
    if person is None:
        problems.append((column, "No young person recorded in your area has this riskpath id"))
    return person


_NAME_AND_DOB = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<dob>[^()]+)\)$")


# ---------------------------------------------------------------------------------------------
# Identity of a row, so that re-importing the same file creates nothing new
# ---------------------------------------------------------------------------------------------


def row_key(kind: str, actor: User, reference: str, values: dict[str, Any]) -> str:
    """The partner's reference if the file has one, else the row's content once read (so the
    same report is the same row whether it came as CSV or XLSX, by id or by name)."""
    identity: dict[str, Any] = {"kind": kind, "area": str(actor.area_id)}
    identity["agency"] = str(actor.agency_id)
    if reference:
        identity["reference"] = " ".join(reference.split()).casefold()
    else:
        identity["content"] = {
            name: _plain(value) for name, value in values.items() if name != "young_person"
        }
        if "young_person" in values:
            identity["content"]["young_person"] = str(values["young_person"].pk)
    text = json.dumps(identity, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return sorted(str(getattr(v, "pk", v)) for v in value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, str):
        return " ".join(value.split())
    return value


def _chunks(keys: list[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


# ---------------------------------------------------------------------------------------------
# Intelligence
# ---------------------------------------------------------------------------------------------


def _parse_intelligence(
    actor: User, cells: dict[str, str], people: YoungPeople, problems: Problems
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    values["reported_on"] = _date(
        cells["Date"], "Date", "the date of the intelligence", problems, required=True
    )
    found: list[YoungPerson] = []
    entries = _split(cells["Young people"])
    if not entries:
        problems.append(
            ("Young people", "Enter at least one young person the intelligence is about")
        )
    for entry in entries:
        if _is_id(entry):
            person = _by_id(people, entry, "Young people", problems)
        else:
            match = _NAME_AND_DOB.match(entry)
            dob = parse_date(match["dob"]) if match else None
            if match is None or dob is None:
                problems.append(
                    (
                        "Young people",
                        "Give each young person's riskpath id, or their full name and date of "
                        f"birth in brackets, like {NAME_EXAMPLE}, separated by semicolons",
                    )
                )
                continue
            person = _match(people, match["name"], dob, "Young people", problems)
        if person is not None and person not in found:
            found.append(person)
    values["young_people"] = found

    harm_types: list[str] = []
    for part in re.split(r"[;,\n]", cells["Harm types"]):
        if not part.strip():
            continue
        value = _choice(part, HARM_TYPES)
        if value is None:
            problems.append(
                (
                    "Harm types",
                    "Enter types of harm from the list (for example, CCE; County lines), "
                    "separated by semicolons",
                )
            )
            break
        if value not in harm_types:
            harm_types.append(value)
    if not harm_types and cells["Harm types"].strip() == "":
        problems.append(("Harm types", "Enter at least one type of harm"))
    values["harm_types"] = harm_types

    values["text"] = cells["Text"].strip()
    if not values["text"]:
        problems.append(("Text", "Enter the intelligence"))
    values["source_evaluation"] = _required_choice(
        cells, "Source evaluation", SOURCE_EVALUATIONS, "Enter 1, 2 or 3", problems
    )
    values["assessment"] = _required_choice(
        cells, "Assessment", ASSESSMENTS, "Enter A, B, C, D or E", problems
    )
    values["handling_code"] = _required_choice(
        cells, "Handling code", HANDLING_CODES, "Enter P or C", problems
    )
    values["handling_conditions"] = cells["Handling conditions"].strip()
    values["provenance"] = _required_choice(
        cells, "Provenance", PROVENANCES, "Enter First-hand, Second-hand or Third-hand", problems
    )
    values["immediate_risk"] = _bool(cells["Immediate risk"], "Immediate risk", problems)
    return values


def _required_choice(
    cells: dict[str, str], column: str, options: dict[str, str], message: str, problems: Problems
) -> str | None:
    value = _choice(cells[column], options)
    if value is None:
        problems.append((column, message))
    return value


def _write_intelligence(actor: User, values: dict[str, Any], key: str) -> Any:
    from riskpath.intelligence.services import intelligence_item_submit

    return intelligence_item_submit(actor=actor, import_key=key, **values)


def _existing_intelligence(actor: User, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(keys):
        # Deleted items count too: a partner's row that was imported and then deleted on
        # purpose is not brought back by importing the file again.
        found.update(
            IntelligenceItem.all_objects.filter(
                area_id=actor.area_id, import_key__in=chunk
            ).values_list("import_key", flat=True)
        )
    return found


INTELLIGENCE = ImportKind(
    key="intelligence",
    label="intelligence",
    columns=(
        Column("Date", True, "When the partner learned of it: 27/3/2025 or 2025-03-27"),
        Column(
            "Young people",
            True,
            f"Their riskpath ids, or full name and date of birth like {NAME_EXAMPLE}; "
            "separate several with semicolons. They must already be recorded in your area.",
        ),
        Column("Harm types", True, "For example: CCE; County lines; Serious violence"),
        Column("Text", True, "The intelligence, as shared"),
        Column("Source evaluation", True, "1 (reliable), 2 (untested) or 3 (not reliable)"),
        Column("Assessment", True, "A, B, C, D or E"),
        Column("Handling code", True, "P, or C with handling conditions"),
        Column("Handling conditions", False, "Required when the handling code is C"),
        Column("Provenance", True, "First-hand, Second-hand or Third-hand"),
        Column("Immediate risk", False, "Yes or No (blank is No)"),
        Column(REFERENCE, False, "The partner's own reference for the row, if it has one"),
    ),
    field_columns={
        "reported_on": "Date",
        "young_people": "Young people",
        "harm_types": "Harm types",
        "text": "Text",
        "source_evaluation": "Source evaluation",
        "assessment": "Assessment",
        "handling_code": "Handling code",
        "handling_conditions": "Handling conditions",
        "provenance": "Provenance",
        "immediate_risk": "Immediate risk",
    },
    parse=_parse_intelligence,
    write=_write_intelligence,
    existing=_existing_intelligence,
)


# ---------------------------------------------------------------------------------------------
# Missing episodes
# ---------------------------------------------------------------------------------------------


def _parse_missing(
    actor: User, cells: dict[str, str], people: YoungPeople, problems: Problems
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    who = cells["Young person"].strip()
    dob = _date(
        cells["Date of birth"],
        "Date of birth",
        "the young person's date of birth",
        problems,
        required=False,
    )
    person = None
    if not who:
        problems.append(("Young person", "Enter the young person's full name or riskpath id"))
    elif _is_id(who):
        person = _by_id(people, who, "Young person", problems)
    elif not cells["Date of birth"].strip():
        problems.append(
            ("Date of birth", "Enter the young person's date of birth, to find them by name")
        )
    elif dob is not None:
        person = _match(people, who, dob, "Young person", problems)
    values["young_person"] = person
    values["reported_at"] = _datetime(
        cells["Reported"], "Reported", "when they were reported missing", problems, required=True
    )
    values["returned_at"] = _datetime(
        cells["Returned"], "Returned", "when they returned", problems, required=False
    )
    values["where_found"] = cells["Where found"].strip()
    kind = cells["Kind"].strip()
    values["kind"] = EpisodeKind.MISSING
    if kind:
        choice = _choice(kind, EPISODE_KINDS)
        if choice is None:
            problems.append(("Kind", "Enter Missing or Absent"))
        else:
            values["kind"] = choice
    values["interview_offered"] = _bool(cells["Interview offered"], "Interview offered", problems)
    values["interview_done_at"] = _datetime(
        cells["Interview done"],
        "Interview done",
        "when the return interview was done",
        problems,
        required=False,
    )
    values["interview_by"] = cells["Interview by"].strip()
    return values


def _write_missing(actor: User, values: dict[str, Any], key: str) -> Any:
    from riskpath.people.services import missing_episode_record

    return missing_episode_record(actor=actor, import_key=key, **values)


def _existing_missing(actor: User, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(keys):
        found.update(
            MissingEpisode.all_objects.filter(
                young_person__area_id=actor.area_id, import_key__in=chunk
            ).values_list("import_key", flat=True)
        )
    return found


MISSING = ImportKind(
    key="missing",
    label="missing episodes",
    columns=(
        Column(
            "Young person",
            True,
            "Their full name (with the date of birth column) or riskpath id. They must "
            "already be recorded in your area.",
        ),
        Column("Date of birth", False, "Needed to find a young person by name: 27/3/2010"),
        Column("Reported", True, "When reported missing: 27/3/2025 21:30 or 2025-03-27 21:30"),
        Column("Returned", False, "When they returned, if they have"),
        Column("Where found", False, "Where they were found"),
        Column("Kind", False, "Missing or Absent (blank is Missing)"),
        Column("Interview offered", False, "Yes or No: was a return interview offered?"),
        Column("Interview done", False, "When the return interview was done"),
        Column("Interview by", False, "Who did the return interview"),
        Column(REFERENCE, False, "The partner's own reference for the row, if it has one"),
    ),
    field_columns={
        "young_person": "Young person",
        "reported_at": "Reported",
        "returned_at": "Returned",
        "where_found": "Where found",
        "kind": "Kind",
        "interview_offered": "Interview offered",
        "interview_done_at": "Interview done",
        "interview_by": "Interview by",
    },
    parse=_parse_missing,
    write=_write_missing,
    existing=_existing_missing,
)

KINDS: dict[str, ImportKind] = {INTELLIGENCE.key: INTELLIGENCE, MISSING.key: MISSING}
