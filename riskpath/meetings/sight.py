"""What of a meeting a reader may see: ``meeting_sight(user, meeting)`` decides it, once, for
every output — the meeting's page (agenda, minutes, actions), the live-minuting page, the
papers pack, the minutes as PDF and DOCX (in full, and the version for the young person and
family: ``family_of``), the HSB/AIM panel's slots, and the API's agenda, minutes, decisions and
actions. Actions across meetings (the register, "my actions", one action, a young person's
timeline) are narrowed by the same rule, ``access.actions_visible_q``, which ``meeting_sight``
itself uses for the actions of the meeting.

The rules (see docs/access-model.md, "Meetings: who sees what"):

* **Runners** (business support, and the meeting's chair: ``can_minute_meeting``) see every
  item of their meeting, every young person named in it and every action of it. Intelligence
  is shown to them, as to everyone, as its handling code allows.
* **Confidential slots**: only those who were in the slot (``access.in_slot_q``: the runners
  and everyone recorded present) see a confidential item's title, detail, minutes, decisions
  and actions. Anyone else sees that there was a confidential slot and nothing of it.
* **Actions raised in a confidential slot** exist only for those who were in the slot and for
  the action's owner (user, or anyone in the owning agency), who see the action itself but
  nothing of the slot. An item carrying such an action into a later meeting's agenda is seen
  by those who may see the action and by the later meeting's runners; for anyone else it is
  not on the agenda at all.
* **Need-to-know** for everyone else: an item about a young person the reader may not open
  (the young person's record access), about a person of interest, a location or a group they
  may not see, or reviewing an action about one, is withheld: it says so briefly, never the
  name. Young people named in decisions and actions are named only to those who may open
  them; in the free text of the items they may see, the full names and aliases of the
  meeting's young people they may not open, and any phrase of handling-code-C intelligence
  they may not read in full, are withheld (``riskpath.meetings.redaction``).
* **The version for the young person and family** (``family_of``): see docs/meetings.md.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from riskpath.access import policy
from riskpath.intelligence import selectors as intelligence_selectors
from riskpath.intelligence.models import IntelligenceItem
from riskpath.meetings import access, redaction
from riskpath.meetings.agenda.sections import display_key
from riskpath.meetings.models import Action, AgendaItem, Decision, ItemMinutes, Meeting
from riskpath.people.models import PersonOfInterest, YoungPerson

# What a withheld item says instead of its title (never who or what it is about).
WITHHELD_YOUNG_PERSON = "An item about a young person you are not involved with"
WITHHELD_PERSON_OF_INTEREST = "An item about a person of interest whose record you may not see"
WITHHELD_PLACE = "An item about a place or group whose record you may not see"
WITHHELD_SLOT = "A confidential slot: its business is recorded only for those who were in it"
# How a young person (or person of interest) the reader may not open is referred to.
HIDDEN_YOUNG_PERSON = "a young person you are not involved with"
HIDDEN_PERSON_OF_INTEREST = "a person of interest you are not involved with"
# What replaces withheld words in free text shown to professionals, and in the family's version.
WITHHELD_MARK = "[withheld]"
REMOVED_MARK = "[removed]"


# ---------------------------------------------------------------------------------------------
# The sight
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemSight:
    """One agenda item as the reader may know it."""

    item: AgendaItem
    withheld: str = ""  # why the reader may not see the item, in words ('' when shown)

    @property
    def shown(self) -> bool:
        return not self.withheld

    @property
    def title(self) -> str:
        return self.item.title if self.shown else self.withheld

    @property
    def confidential(self) -> bool:
        return self.item.confidential


@dataclass
class MeetingSight:
    """What ``reader`` may see of ``meeting`` (made by ``meeting_sight``)."""

    meeting: Meeting
    reader: Any
    runs: bool  # business support or the meeting's chair: everything of the meeting
    in_slot: bool  # was in the meeting's confidential slots
    family_of: YoungPerson | None
    items: list[ItemSight]  # on the agenda, in order; items the reader may not know of left out
    removed: list[ItemSight]  # taken off the agenda
    actions: list[Action]  # every action of this meeting the reader may know exists
    intelligence: dict[str, intelligence_selectors.ListedItem]
    coded_c: set[str]  # referenced intelligence with handling code C
    openable: set[Any]  # young people named in the meeting whom the reader may open
    sees_people_of_interest: bool
    redact: Any = redaction.identity
    _decisions: dict[Any, list[Decision]] = field(default_factory=dict)
    # Each item's number on the agenda, where the sight holds only some items (``only``).
    numbers: dict[Any, int] = field(default_factory=dict)

    def number_of(self, sight: ItemSight, default: int) -> int:
        return self.numbers.get(sight.item.pk, default)

    # --- items ------------------------------------------------------------------------------

    def item(self, pk: Any) -> ItemSight | None:
        """The item ``pk`` (on the agenda or taken off) if the reader may know of it."""
        for sight in (*self.items, *self.removed):
            if str(sight.item.pk) == str(pk):
                return sight
        return None

    def shown_items(self) -> list[ItemSight]:
        return [s for s in self.items if s.shown]

    def title(self, sight: ItemSight) -> str:
        """The item's title as the reader may have it, or why it is withheld."""
        return self.redact(sight.item.title) if sight.shown else sight.withheld

    def detail(self, sight: ItemSight) -> str:
        if not sight.shown:
            return ""
        if self.family_of is not None and self.refers_to_c(sight.item):
            return ""  # a description built from code-C intelligence
        return self.redact(sight.item.detail)

    def discussion(self, sight: ItemSight) -> str:
        """The item's minutes as the reader may have them ('' when none or withheld)."""
        if not sight.shown:
            return ""
        minutes = minutes_of(sight.item)
        text = minutes.discussion.strip() if minutes else ""
        return self.redact(text) if text else ""

    def decisions(self, sight: ItemSight) -> list[Decision]:
        if not sight.shown:
            return []
        out = self._decisions.get(sight.item.pk, [])
        if self.family_of is not None:
            out = [d for d in out if not self._about_other(d)]
        return out

    def decision_line(self, decision: Decision) -> str:
        about = f" (about {self.person(decision.young_person)})" if decision.young_person else ""
        return f"{decision.get_kind_display()}{about}: {self.redact(decision.text)}"

    def refers_to_c(self, item: AgendaItem) -> bool:
        return bool(_uuids(item.intelligence_ids) & self.coded_c)

    # --- actions ----------------------------------------------------------------------------

    def actions_of(self, sight: ItemSight) -> list[Action]:
        """The actions recorded against a shown item."""
        if not sight.shown:
            return []
        return [a for a in self.actions if a.item_id == sight.item.pk]

    def loose_actions(self) -> list[Action]:
        """Actions recorded at the meeting outside any item."""
        return [a for a in self.actions if a.item_id is None]

    def action_in_slot(self, action: Action) -> bool:
        """Was the reader in the slot the action was raised in (or is it in none)?"""
        if action.item_id is None:
            return True
        item = action.item
        return item is None or not item.confidential or self.in_slot

    # --- names ------------------------------------------------------------------------------

    def young_person_visible(self, pk: Any) -> bool:
        return pk is None or self.runs or pk in self.openable

    def person(self, person: YoungPerson | None) -> str:
        if person is None:
            return ""
        return str(person) if self.young_person_visible(person.pk) else HIDDEN_YOUNG_PERSON

    def person_of_interest(self, poi: PersonOfInterest | None) -> str:
        if poi is None:
            return ""
        if self._poi_visible(poi):
            return str(poi)
        return HIDDEN_PERSON_OF_INTEREST

    def _poi_visible(self, poi: PersonOfInterest) -> bool:
        if self.runs:
            return True
        if not self.sees_people_of_interest:
            return False
        return poi.young_person_id is None or poi.young_person_id in self.openable

    def about(self, obj: Any) -> list[str]:
        """What an item or action is about, in words, as the reader may know it (the family's
        version never names a person of interest)."""
        out = []
        if getattr(obj, "young_person_id", None):
            out.append(f"Young person: {self.person(obj.young_person)}")
        if getattr(obj, "person_of_interest_id", None) and self.family_of is None:
            out.append(f"Person of interest: {self.person_of_interest(obj.person_of_interest)}")
        if getattr(obj, "location_id", None):
            out.append(f"Location: {obj.location}")
        if getattr(obj, "group_id", None):
            out.append(f"Group: {obj.group}")
        return [self.redact(line) for line in out]

    def _about_other(self, obj: Any) -> bool:
        """About a young person other than the family's (the family's version only)."""
        target = self.family_of.pk if self.family_of is not None else None
        yp = getattr(obj, "young_person_id", None)
        return bool(self.family_of is not None and yp and yp != target)

    # --- intelligence -----------------------------------------------------------------------

    def intelligence_lines(self, sight: ItemSight) -> list[str]:
        """The intelligence a shown item refers to: in full where the handling code lets the
        reader read it, else the restricted summary; items the reader may not know of are left
        out. The family's version has no code-C item and none naming a person of interest."""
        if not sight.shown:
            return []
        lines = []
        for pk in sight.item.intelligence_ids:
            listed = self.intelligence.get(next(iter(_uuids([pk])), ""))
            if listed is None:
                continue
            intel = listed.item
            family = self.family_of is not None
            if family and (intel.handling_code == "C" or intel.persons_of_interest.all()):
                continue
            if listed.full:
                text = (intel.sanitised_text or intel.text) if family else intel.text
                lines.append(f"{intelligence_summary(intel)}: {self.redact(text)}")
            else:
                lines.append(f"{intelligence_summary(intel)} (restricted summary)")
        return lines


def intelligence_summary(item: IntelligenceItem) -> str:
    """The restricted summary anyone with access sees: date, agency and grading."""
    day = item.reported_on
    return f"{day.day} {day:%B %Y}, {item.source_agency}, graded {item.grading}"


def minutes_of(item: AgendaItem) -> ItemMinutes | None:
    try:
        return item.minutes
    except ItemMinutes.DoesNotExist:
        return None


def _uuids(values: Iterable[Any]) -> set[str]:
    """The well-formed ids among ``values`` (an item's ``intelligence_ids``), as strings."""
    import uuid

    out = set()
    for value in values:
        try:
            out.add(str(uuid.UUID(str(value))))
        except ValueError:
            continue
    return out


ACTION_RELATED = (
    "meeting",
    "meeting__meeting_type",
    "owner_user",
    "owner_user__agency",
    "owner_agency",
    "young_person",
    "person_of_interest",
    "person_of_interest__young_person",
    "location",
    "group",
    "item",
)


def _items(meeting: Meeting) -> QuerySet[AgendaItem]:
    return (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related(
            "young_person",
            "person_of_interest__young_person",
            "location",
            "group",
            "removed_by",
            "action__item",
            "action__meeting",
            "action__owner_user",
            "action__owner_agency",
            "action__young_person",
            "action__person_of_interest__young_person",
            "action__location",
            "action__group",
            "minutes",
            "minutes__minuted_by",
        )
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("young_person", "recorded_by").order_by(
                    "recorded_at", "created_at"
                ),
            )
        )
        .order_by("position", "created_at")
    )


def meeting_sight(
    user: Any,
    meeting: Meeting,
    *,
    family_of: YoungPerson | None = None,
    only: Collection[Any] | None = None,
) -> MeetingSight:
    """What ``user`` may see of ``meeting`` — the caller has checked that they may see the
    meeting at all (``access_meeting``). With ``family_of``, what the version of the minutes
    for that young person and their family holds (the caller checks who may produce it).
    With ``only``, of those agenda items alone (a page of a long agenda).

    A fixed number of queries whatever the size of the agenda."""
    runs = policy.check("can_minute_meeting", user, meeting)
    in_slot = runs or access.was_present(user, meeting)
    items = _items(meeting)
    if only is not None:
        items = items.filter(pk__in=list(only))
    # In the order of business: by section, then position.
    all_items = sorted(items, key=lambda i: display_key(i.section, i.position))
    visible_q = access.actions_visible_q(user)
    actions = list(
        Action.objects.filter(meeting=meeting)
        .filter(visible_q)
        .select_related(*ACTION_RELATED)
        .order_by("due_on", "created_at", "pk")
    )
    carried = {i.action_id for i in all_items if i.action_id is not None}
    if runs:
        carried_seen = carried
    else:
        carried_seen = set(
            Action.objects.filter(pk__in=carried).filter(visible_q).values_list("pk", flat=True)
        )

    # Young people the meeting names, and which the reader may open.
    named: set[Any] = {meeting.young_person_id} if meeting.young_person_id else set()
    for item in all_items:
        for obj in (item, item.action, *item.decisions.all()):
            if obj is None:
                continue
            named.add(getattr(obj, "young_person_id", None))
            poi = getattr(obj, "person_of_interest", None)
            if poi is not None:
                named.add(poi.young_person_id)
    for action in actions:
        named.add(action.young_person_id)
        if action.person_of_interest is not None:
            named.add(action.person_of_interest.young_person_id)
    named.discard(None)
    openable = set(named) if runs else access.openable_young_people(user, named)
    sees_pois = runs or policy.check("can_view_person_of_interest", user)
    sees_places = runs or policy.check("can_view_location", user)
    sees_groups = runs or policy.check("can_view_group", user)

    def subject_withheld(obj: Any) -> str:
        if obj is None:
            return ""
        if obj.young_person_id and obj.young_person_id not in openable:
            return WITHHELD_YOUNG_PERSON
        poi = obj.person_of_interest
        if poi is not None and (
            not sees_pois or (poi.young_person_id and poi.young_person_id not in openable)
        ):
            return WITHHELD_PERSON_OF_INTEREST
        if (obj.location_id and not sees_places) or (obj.group_id and not sees_groups):
            return WITHHELD_PLACE
        return ""

    def withheld(item: AgendaItem) -> str | None:
        """None: the reader may not know of the item at all; '' shown; else why withheld."""
        if item.action_id is not None and item.action_id not in carried_seen:
            return None
        if runs:
            return ""
        if item.confidential and not in_slot:
            return WITHHELD_SLOT
        return subject_withheld(item) or subject_withheld(item.action)

    referenced = _uuids(i for item in all_items for i in item.intelligence_ids)
    intelligence = _intelligence_for(user, referenced)
    coded_c = {
        str(pk)
        for pk in IntelligenceItem.all_objects.filter(
            pk__in=referenced, area_id=meeting.area_id, handling_code="C"
        ).values_list("pk", flat=True)
    }

    sights: list[ItemSight] = []
    for item in all_items:
        why = withheld(item)
        if why is not None:
            sights.append(ItemSight(item, why))
    if family_of is not None:
        sights = _family_items(sights, meeting, family_of)
        actions = _family_actions(actions, meeting, family_of)

    sight = MeetingSight(
        meeting=meeting,
        reader=user,
        runs=runs,
        in_slot=in_slot,
        family_of=family_of,
        items=[s for s in sights if not s.item.is_removed],
        removed=[s for s in sights if s.item.is_removed],
        actions=actions,
        intelligence=intelligence,
        coded_c=coded_c,
        openable=openable,
        sees_people_of_interest=sees_pois,
        _decisions={item.pk: list(item.decisions.all()) for item in all_items},
    )
    if family_of is not None:
        sight.redact = family_redactor(meeting, family_of, coded_c)
    elif not runs:
        sight.redact = _reader_redactor(user, named, openable, coded_c, intelligence)
    return sight


def _intelligence_for(user: Any, wanted: set[str]) -> dict[str, intelligence_selectors.ListedItem]:
    """The referenced items the user may know of, with whether they may read each in full,
    decided by the intelligence selectors (one query for the lot)."""
    if not wanted:
        return {}
    qs = (
        intelligence_selectors.intelligence_queryset_for_user(user)
        .filter(pk__in=wanted)
        .select_related("source_agency")
        .prefetch_related("persons_of_interest")
    )
    return {str(listed.item.pk): listed for listed in intelligence_selectors.with_access(user, qs)}


def _reader_redactor(
    user: Any,
    named: set[Any],
    openable: set[Any],
    coded_c: set[str],
    intelligence: dict[str, intelligence_selectors.ListedItem],
) -> redaction.Redactor:
    """For a professional who does not run the meeting: the full names and aliases of the
    meeting's young people they may not open (those they may open are kept, whoever shares
    their names), and phrases of code-C intelligence they may not read in full."""
    hidden = YoungPerson.all_objects.filter(pk__in=named - openable).values_list(
        "given_names", "family_name", "aliases"
    )
    kept = YoungPerson.all_objects.filter(pk__in=openable).values_list(
        "given_names", "family_name", "aliases"
    )
    names: set[tuple[str, ...]] = set()
    for given, family, aliases in hidden:
        names |= redaction.name_forms(given, family, aliases or [], parts=False)
    keep: set[tuple[str, ...]] = set()
    for given, family, aliases in kept:
        keep |= redaction.name_forms(given, family, aliases or [], parts=True)
    unreadable = [pk for pk in coded_c if not (pk in intelligence and intelligence[pk].full)]
    texts = IntelligenceItem.all_objects.filter(pk__in=unreadable).values_list(
        "text", "sanitised_text"
    )
    return redaction.Redactor(
        names=names,
        keep=keep,
        restricted=[t for pair in texts for t in pair if t],
        marker=WITHHELD_MARK,
    )


# ---------------------------------------------------------------------------------------------
# The version for the young person and family
# ---------------------------------------------------------------------------------------------


def _not_about(obj: Any, meeting: Meeting, person: YoungPerson) -> bool:
    """Not about the family's young person (in a meeting about them, things about nobody in
    particular count as theirs)."""
    yp = getattr(obj, "young_person_id", None)
    if yp is None and meeting.young_person_id == person.pk:
        return False
    return yp != person.pk


def _about_other(obj: Any, person: YoungPerson) -> bool:
    yp = getattr(obj, "young_person_id", None)
    return bool(yp and yp != person.pk)


def _family_items(
    sights: list[ItemSight], meeting: Meeting, person: YoungPerson
) -> list[ItemSight]:
    """The items the family's version keeps: on the agenda (not taken off), not a confidential
    slot, about the family's young person (or, in a meeting about them, about nobody in
    particular), not about a person of interest, and not reviewing an action about someone
    else or one raised in a confidential slot."""
    out = []
    for sight in sights:
        item = sight.item
        action = item.action
        if (
            item.is_removed
            or not sight.shown
            or item.confidential
            or item.person_of_interest_id
            or _not_about(item, meeting, person)
        ):
            continue
        if action is not None and (
            action.person_of_interest_id
            or _about_other(action, person)
            or (action.item is not None and action.item.confidential)
        ):
            continue
        out.append(sight)
    return out


def _family_actions(actions: list[Action], meeting: Meeting, person: YoungPerson) -> list[Action]:
    """Actions the family's version keeps: about no person of interest and no other young
    person; outside any item only if about the family's young person (or about nobody in a
    meeting about them). Actions of left-out items go with their item."""
    out = []
    for action in actions:
        if action.person_of_interest_id or _about_other(action, person):
            continue
        if action.item_id is None and _not_about(action, meeting, person):
            continue
        if action.item is not None and action.item.confidential:
            continue
        out.append(action)
    return out


def family_redactor(
    meeting: Meeting, person: YoungPerson, coded_c: Iterable[str] = ()
) -> redaction.Redactor:
    """What the family's version removes from free text, by whole words in any case: the
    names, name parts and aliases of every person of interest in the area and of every other
    young person in the area (names the family's own young person is called by are kept);
    and any phrase of handling-code-C intelligence the meeting referred to or that is about
    the family's young person."""
    keep = redaction.name_forms(
        person.given_names, person.family_name, person.aliases or [], parts=True
    )
    names: set[tuple[str, ...]] = set()
    others = (
        YoungPerson.all_objects.filter(area_id=meeting.area_id)
        .exclude(pk=person.pk)
        .values_list("given_names", "family_name", "aliases")
    )
    for given, family, aliases in others.iterator(chunk_size=2000):
        names |= redaction.name_forms(given, family, aliases or [], parts=True)
    pois = (
        PersonOfInterest.objects.filter(area_id=meeting.area_id)
        .exclude(young_person_id=person.pk)
        .values_list(
            "given_names",
            "family_name",
            "aliases",
            "young_person__given_names",
            "young_person__family_name",
            "young_person__aliases",
        )
    )
    for given, family, aliases, yp_given, yp_family, yp_aliases in pois.iterator(chunk_size=2000):
        if yp_given is not None or yp_family is not None:
            given, family, aliases = yp_given or "", yp_family or "", yp_aliases
        names |= redaction.name_forms(given, family, aliases or [], parts=True)
    texts = (
        IntelligenceItem.all_objects.filter(area_id=meeting.area_id, handling_code="C")
        .filter(Q(pk__in=list(coded_c)) | Q(young_people=person))
        .values_list("text", "sanitised_text")
        .distinct()
    )
    return redaction.Redactor(
        names=names,
        keep=keep,
        restricted=[t for pair in texts for t in pair if t],
        marker=REMOVED_MARK,
    )
