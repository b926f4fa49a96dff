"""Choosing a young person on a form is a search, never a list of the area.

The user types a name (and, to narrow it, a date of birth or postcode); riskpath answers with
at most ``PICK_LIMIT`` young people from the form's *pool* and shows only enough to pick:
full details for a record the user may open, and for any other only the name, year of birth
and locality. An empty or one-letter search shows nothing. Every search is audited
(``PERSON_SEARCHED``).

A *pool* is who may be chosen on a form: the whole area (intelligence, links, group members:
anyone may report what they know about any child), only the young people the user may open
(starting the pathway), or a pool another app registers (``register_pool``: the cohort's
"not on the cohort now"). Pages use the same search through ``people:pick`` (JSON, for the
accessible-autocomplete enhancement) and, without JavaScript, through the form's own "Search"
button (``PickerStep``); the API offers it as ``/api/v1/young-people/pick/``.

The name is matched by riskpath's one search (``riskpath.search``, which registers itself
here with ``register_finder``): fuzzy, phonetic, nicknames and aliases. A date of birth (or its
day-and-month swap) and a postcode narrow the pool first. The audit event keeps a digest of
what was typed, never the text."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet, Value
from django.db.models.functions import Replace, Upper
from django.http import QueryDict
from django.urls import reverse

from riskpath.access import policy
from riskpath.access.involvement import involved_queryset, visible_subset
from riskpath.audit.restricted import digest
from riskpath.audit.services import audit_record
from riskpath.audit.verbs import Verb
from riskpath.core.forms import DATE_FORMATS
from riskpath.people.models import YoungPerson

PICK_LIMIT = 10
MIN_QUERY_LETTERS = 2
YOUNG_PERSON = "people.youngperson"


# ---------------------------------------------------------------------------------------------
# Pools
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pool:
    name: str
    rule: str  # who may search this pool
    queryset: Callable[[Any], QuerySet[YoungPerson]]  # the young people who may be chosen


_pools: dict[str, Pool] = {}


def register_pool(
    name: str, *, rule: str, queryset: Callable[[Any], QuerySet[YoungPerson]]
) -> None:
    _pools[name] = Pool(name=name, rule=rule, queryset=queryset)


def pool(name: str) -> Pool:
    return _pools[name]


def pool_names() -> list[str]:
    return sorted(_pools)


# ---------------------------------------------------------------------------------------------
# The finder: ranks a pool's young people by a typed name (registered by riskpath.search)
# ---------------------------------------------------------------------------------------------

# (user, pool, typed name, limit, whole_area) -> the pool's best matches, best first
Finder = Callable[[Any, QuerySet[YoungPerson], str, int, bool], list[YoungPerson]]
_finders: list[Finder] = []


def register_finder(finder: Finder) -> None:
    _finders[:] = [finder]


def _find(user: Any, qs: QuerySet[YoungPerson], query: str, limit: int, whole: bool) -> Any:
    if not _finders:
        raise ImproperlyConfigured("No young-person finder: is riskpath.search installed?")
    return _finders[0](user, qs, query, limit, whole)


register_pool(
    "area",
    rule="can_pick_young_person",
    queryset=lambda user: YoungPerson.objects.filter(area_id=user.area_id),
)
register_pool(
    "involved",
    rule="can_pick_young_person",
    queryset=lambda user: involved_queryset(YoungPerson, user),
)


# ---------------------------------------------------------------------------------------------
# The search
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PickOption:
    id: uuid.UUID
    label: str
    openable: bool  # the user may open the record (else: name, year of birth, locality)


@dataclass(frozen=True)
class PickResult:
    query: str
    options: list[PickOption] = field(default_factory=list)
    more: bool = False  # more matched than are shown: narrow the search
    searched: bool = False  # the query was long enough to search
    one: str = "young person"  # what is searched for

    @property
    def message(self) -> str:
        if not self.searched:
            return f"Type at least {MIN_QUERY_LETTERS} letters of a name."
        if not self.options:
            if self.one == "young person":
                return "No young person matches. Check the spelling, or search by family name only."
            return f"No {self.one} matches. Check the spelling, or search for fewer words."
        if self.more:
            if self.one == "young person":
                return (
                    f"More than {PICK_LIMIT} young people match: add a date of birth or "
                    "postcode, or more of the name."
                )
            return f"More than {PICK_LIMIT} match: type more of the name."
        return ""


def _locality(person: YoungPerson) -> str:
    if person.locality:
        return person.locality
    return person.postcode.split()[0].upper() if person.postcode.strip() else ""


def label_for(person: YoungPerson, openable: bool) -> str:
    """What a picker shows of ``person``: in full for a record the user may open, else only
    the name, year of birth and locality."""
    name = f"{person.given_names} {person.family_name.upper()}"
    parts = [name]
    if openable:
        if person.date_of_birth:
            parts.append(f"born {person.date_of_birth:%-d %B %Y}")
    elif person.date_of_birth:
        parts.append(f"born {person.date_of_birth:%Y}")
    locality = _locality(person)
    if locality:
        parts.append(locality)
    return ", ".join(parts)


def _letters(query: str) -> int:
    return sum(ch.isalpha() for ch in query)


def _normal_postcode(value: str) -> str:
    return "".join(value.split()).upper()


def young_person_pick(
    user: Any,
    *,
    query: str,
    pool_name: str = "area",
    date_of_birth: dt.date | None = None,
    postcode: str = "",
    purpose: str = "",
) -> PickResult:
    """Young people of the pool whose names (or aliases) hold every word of ``query``, at most
    ``PICK_LIMIT``, labelled for the user. Audited; an empty search shows nothing and is not
    a search."""
    query = " ".join((query or "").split())[:100]
    chosen_pool = _pools.get(pool_name)
    if chosen_pool is None or not policy.check(chosen_pool.rule, user):
        return PickResult(query=query)
    if _letters(query) < MIN_QUERY_LETTERS:
        return PickResult(query=query)
    qs = chosen_pool.queryset(user).filter(area_id=user.area_id)
    narrowed = pool_name != "area"
    if date_of_birth is not None:
        qs = qs.filter(date_of_birth__in=_dob_and_swap(date_of_birth))
        narrowed = True
    code = _normal_postcode(postcode)
    if code:
        # Postcodes are stored as typed: compare without spaces, in capitals.
        qs = qs.annotate(postcode_key=Replace(Upper("postcode"), Value(" "), Value(""))).filter(
            postcode_key__startswith=code
        )
        narrowed = True
    rows = _find(user, qs, query, PICK_LIMIT + 1, not narrowed)
    more = len(rows) > PICK_LIMIT
    rows = rows[:PICK_LIMIT]
    openable = visible_subset(YOUNG_PERSON, user, [p.pk for p in rows])
    audit_record(
        actor=user,
        verb=Verb.PERSON_SEARCHED,
        changes={
            "query": digest(query),
            "date_of_birth": date_of_birth is not None,
            "postcode": bool(code),
            "pool": pool_name,
            "purpose": purpose,
        },
    )
    return PickResult(
        query=query,
        options=[PickOption(p.pk, label_for(p, p.pk in openable), p.pk in openable) for p in rows],
        more=more,
        searched=True,
    )


def _dob_and_swap(date_of_birth: dt.date) -> list[dt.date]:
    """The date, and the date with day and month swapped (a common slip)."""
    out = [date_of_birth]
    if date_of_birth.day <= 12 and date_of_birth.day != date_of_birth.month:
        out.append(date_of_birth.replace(month=date_of_birth.day, day=date_of_birth.month))
    return out


def chosen_options(user: Any, ids: Iterable[Any], *, pool_name: str = "area") -> list[PickOption]:
    """The young people already chosen on a form, labelled for the user (no search: the user
    chose them, or they are on the record the form changes)."""
    wanted = [pk for pk in (_uuid(v) for v in ids) if pk is not None]
    if not wanted:
        return []
    chosen_pool = _pools[pool_name]
    people = {
        p.pk: p for p in chosen_pool.queryset(user).filter(area_id=user.area_id, pk__in=wanted)
    }
    openable = visible_subset(YOUNG_PERSON, user, people)
    return [
        PickOption(pk, label_for(people[pk], pk in openable), pk in openable)
        for pk in dict.fromkeys(wanted)
        if pk in people
    ]


def _uuid(value: Any) -> uuid.UUID | None:
    if isinstance(value, YoungPerson):
        return value.pk
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


# ---------------------------------------------------------------------------------------------
# The form field
# ---------------------------------------------------------------------------------------------


class PickerWidget(forms.Widget):
    """The chosen records as checkboxes, and a search box to add one (enhanced with
    accessible-autocomplete where JavaScript runs). The form fills ``chosen`` and ``result``
    (``bind_picker``, ``PickerStep``)."""

    find_label = "Find a young person by name"
    narrow = True  # offer date of birth and postcode boxes to narrow the search
    one = "young person"  # what is chosen, for the page's messages

    def __init__(self, *, multiple: bool = True) -> None:
        super().__init__()
        self.multiple = multiple
        self.chosen: list[PickOption] = []
        self.result: PickResult | None = None
        self.source_route = ""  # the JSON search the autocomplete asks, and its parameters
        self.source_params = ""
        self.create_url = ""  # where to record a new one, for a user who may
        self.create_label = ""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if hasattr(data, "getlist"):
            return data.getlist(name)
        value = data.get(name)
        if value is None:
            return []
        return value if isinstance(value, list) else [value]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False  # no box ticked is an answer: nobody

    @property
    def source(self) -> str:
        return f"{reverse(self.source_route)}?{self.source_params}" if self.source_route else ""

    @property
    def found(self) -> list[PickOption]:
        """The search's results that are not chosen already."""
        chosen_ids = {o.id for o in self.chosen}
        return [o for o in (self.result.options if self.result else []) if o.id not in chosen_ids]


class YoungPersonPickerWidget(PickerWidget):
    pass


SEARCH_SUFFIX = "__search"
DOB_SUFFIX = "__dob"
POSTCODE_SUFFIX = "__postcode"
FIND_PREFIX = "find__"


class PickerField(forms.Field):
    """Records chosen through a picker: cleans to a list of records (or one, or None, when
    ``multiple`` is False). Call ``bind_picker`` in the form's ``__init__`` with the user.
    Subclasses say which records may be chosen (``choosable``), how one is labelled
    (``chosen_options``) and how a typed search is answered (``search``)."""

    default_error_messages = {
        "required": "Search for and choose a young person",
        "invalid": "Choose young people from the search results",
        "one": "Choose one young person",
    }

    def __init__(self, *, multiple: bool = True, widget: PickerWidget, **kwargs: Any) -> None:
        # The whole GOV.UK form group: chosen records, search box, Search button (no script).
        kwargs.setdefault("template_name", "people/forms/picker_field.html")
        super().__init__(widget=widget, **kwargs)
        self.multiple = multiple
        self.user: Any = None

    # What subclasses answer -------------------------------------------------------------------

    def choosable(self, user: Any) -> QuerySet[Any]:
        raise NotImplementedError

    def chosen_options(self, user: Any, ids: list[Any]) -> list[PickOption]:
        raise NotImplementedError

    def search(
        self, user: Any, query: str, *, date_of_birth: Any, postcode: str, purpose: str
    ) -> PickResult:
        raise NotImplementedError

    def bind(self, user: Any) -> None:
        """Set what depends on the user (the link to record a new one)."""

    # ------------------------------------------------------------------------------------------

    def to_python(self, value: Any) -> list[uuid.UUID]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        out = []
        for v in values:
            if v in (None, ""):
                continue
            pk = _uuid(v)
            if pk is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            out.append(pk)
        return list(dict.fromkeys(out))

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if not self.multiple and len(value) > 1:
            raise forms.ValidationError(self.error_messages["one"], code="invalid")

    def clean(self, value: Any) -> Any:
        ids = super().clean(value)
        if not ids:
            return [] if self.multiple else None
        assert self.user is not None, "call bind_picker() in the form's __init__"
        found = {p.pk: p for p in self.choosable(self.user).filter(pk__in=ids)}
        if len(found) != len(ids):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        records = [found[pk] for pk in ids]
        return records if self.multiple else records[0]


class YoungPersonPickerField(PickerField):
    """Young people chosen through the picker, each of the pool."""

    def __init__(self, *, multiple: bool = True, pool_name: str = "area", **kwargs: Any) -> None:
        kwargs.setdefault("widget", YoungPersonPickerWidget(multiple=multiple))
        super().__init__(multiple=multiple, **kwargs)
        self.pool_name = pool_name
        self.widget.source_route = "people:pick"
        self.widget.source_params = f"pool={pool_name}"

    def choosable(self, user: Any) -> QuerySet[YoungPerson]:
        return _pools[self.pool_name].queryset(user).filter(area_id=user.area_id)

    def chosen_options(self, user: Any, ids: list[Any]) -> list[PickOption]:
        return chosen_options(user, ids, pool_name=self.pool_name)

    def search(
        self, user: Any, query: str, *, date_of_birth: Any, postcode: str, purpose: str
    ) -> PickResult:
        return young_person_pick(
            user,
            query=query,
            pool_name=self.pool_name,
            date_of_birth=date_of_birth,
            postcode=postcode,
            purpose=purpose,
        )

    def bind(self, user: Any) -> None:
        # Not found? Record them: the create page runs the duplicate check first.
        if policy.check("can_record_young_person", user):
            self.widget.create_url = reverse("people:create")
            self.widget.create_label = "Record a new young person"


def bind_picker(
    form: forms.Form, name: str, user: Any, *, data: Any = None, initial: Any = None
) -> None:
    """Give the picker ``name`` its user and the labels of what is already chosen."""
    field = form.fields[name]
    assert isinstance(field, PickerField)
    field.user = user
    field.bind(user)
    widget = field.widget
    assert isinstance(widget, PickerWidget)
    if data is not None:
        ids = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
    else:
        ids = (initial or {}).get(name) or form.initial.get(name) or field.initial or []
    if not isinstance(ids, list | tuple):
        ids = [ids]
    widget.chosen = field.chosen_options(user, list(ids))


def search_date(value: str) -> dt.date | None:
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    return None


F = TypeVar("F", bound=forms.Form)


@dataclass
class PickerStep:
    """A press of a picker's own "Search" button (the way to search without JavaScript):
    the form is shown again with what was typed, no errors, and the search's results to tick.
    Nothing is saved."""

    name: str

    @staticmethod
    def of(data: QueryDict) -> PickerStep | None:
        for key in data:
            if key.startswith(FIND_PREFIX):
                return PickerStep(name=key.removeprefix(FIND_PREFIX))
        return None

    def show(self, form: F, user: Any, *, purpose: str = "") -> F:
        field = form.fields.get(self.name)
        if not isinstance(field, PickerField):
            return form
        data = form.data
        widget = field.widget
        assert isinstance(widget, PickerWidget)
        dob_text = str(data.get(f"{self.name}{DOB_SUFFIX}", "") or "")
        widget.result = field.search(
            user,
            str(data.get(f"{self.name}{SEARCH_SUFFIX}", "") or ""),
            date_of_birth=search_date(dob_text) if dob_text else None,
            postcode=str(data.get(f"{self.name}{POSTCODE_SUFFIX}", "") or ""),
            purpose=purpose,
        )
        # Shown again as typed, without the errors a half-filled form would show.
        form.errors.clear()
        return form


def picker_fields(form: forms.Form) -> list[str]:
    return [n for n, f in form.fields.items() if isinstance(f, PickerField)]


# ---------------------------------------------------------------------------------------------
# Persons of interest, locations and groups: the same picker, answered by the header's search
# (``riskpath.search.pickers``, which registers itself here with ``register_record_search``, so
# that apps below search in the layers, groups among them, can offer it)
# ---------------------------------------------------------------------------------------------

RECORD_KINDS: dict[str, tuple[str, str]] = {  # kind -> (one, many)
    "person_of_interest": ("person of interest", "persons of interest"),
    "location": ("location", "locations"),
    "group": ("group", "groups"),
}


@dataclass(frozen=True)
class RecordSearch:
    choosable: Callable[[Any, str], QuerySet[Any]]  # (user, kind) -> what may be chosen
    label: Callable[[str, Any], str]  # (kind, record) -> its label in the picker
    pick: Callable[..., PickResult]  # (user, kind, *, query, purpose) -> the matches


_record_search: list[RecordSearch] = []


def register_record_search(search: RecordSearch) -> None:
    _record_search[:] = [search]


def _records() -> RecordSearch:
    if not _record_search:
        raise ImproperlyConfigured("No record search: is riskpath.search installed?")
    return _record_search[0]


class RecordPickerWidget(PickerWidget):
    narrow = False


class RecordPickerField(PickerField):
    """Persons of interest, locations or groups of the user's area, chosen by searching."""

    def __init__(self, *, kind: str, multiple: bool = True, **kwargs: Any) -> None:
        one, many = RECORD_KINDS[kind]
        widget = RecordPickerWidget(multiple=multiple)
        widget.find_label = f"Find a {one} by name"
        widget.one = one
        widget.source_route = "search:pick"
        widget.source_params = f"kind={kind}"
        kwargs.setdefault("widget", widget)
        super().__init__(multiple=multiple, **kwargs)
        self.kind = kind
        self.error_messages = {
            "required": f"Search for and choose a {one}",
            "invalid": f"Choose {many} from the search results",
            "one": f"Choose one {one}",
        }

    def choosable(self, user: Any) -> QuerySet[Any]:
        return _records().choosable(user, self.kind)

    def chosen_options(self, user: Any, ids: list[Any]) -> list[PickOption]:
        pks = [pk for pk in (_uuid(getattr(v, "pk", v)) for v in ids) if pk is not None]
        records = {r.pk: r for r in self.choosable(user).filter(pk__in=pks)}
        return [PickOption(pk, _records().label(self.kind, r), True) for pk, r in records.items()]

    def search(
        self, user: Any, query: str, *, date_of_birth: Any, postcode: str, purpose: str
    ) -> PickResult:
        return _records().pick(user, self.kind, query=query, purpose=purpose)
