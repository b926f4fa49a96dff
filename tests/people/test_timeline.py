"""A young person's timeline, and the linked-record sections of the young person's and the
person of interest's pages: what each user may see, in what order, a page at a time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from riskpath.access import policy
from riskpath.accounts.enums import AgencyKind, Role
from riskpath.accounts.models import Agency, Area, User
from riskpath.audit.models import AuditEvent
from riskpath.audit.verbs import Verb
from riskpath.cohort.models import CohortMembership, TierDecision
from riskpath.core import clock
from riskpath.groups.models import GroupMembership
from riskpath.intelligence.models import IntelligenceItem
from riskpath.intelligence.record import intelligence_about_poi_for_user
from riskpath.links.models import Link
from riskpath.people.models import PersonOfInterest, YoungPerson
from riskpath.people.timeline import (
    ACTION,
    GROUP,
    INTELLIGENCE,
    LINK,
    MISSING,
    PATHWAY,
    REFERRAL,
    TIER,
    young_person_timeline_for_user,
)
from riskpath.referrals.models import ReferralStatus, ReferralTo
from tests.cohort.factories import intelligence, missing_episode, on_cohort
from tests.factories import AgencyFactory, AreaFactory, UserFactory, YoungPersonFactory
from tests.links.factories import GroupFactory, LocationFactory, PersonOfInterestFactory
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db

SECRET = "Seen getting into a grey car outside the leisure centre"
CONDITIONS = "Police and consultant social workers only."


def days_ago(n: int) -> dt.date:
    return clock.today() - dt.timedelta(days=n)


def html(response: Any) -> str:
    return str(response.content.decode())


@dataclass
class Scene:
    area: Area
    social_care: Agency  # recorded the young person
    police: Agency
    person: YoungPerson
    other: YoungPerson  # recorded by the police: social care is not involved
    poi: PersonOfInterest
    social_worker: User  # social care, involved (recording agency), a recording role
    chair: User  # social care chair: decides the cohort
    qa: User  # social care quality-assurance member: involved, not a recording role
    stranger: User  # another area


def build(area: Area) -> Scene:
    social_care = AgencyFactory(area=area, name="Children's services", kind=AgencyKind.SOCIAL_CARE)
    police = AgencyFactory(area=area, name="Constabulary", kind=AgencyKind.POLICE)
    person = YoungPersonFactory(
        recording_agency=social_care, given_names="Kai", family_name="Timeline"
    )
    other = YoungPersonFactory(recording_agency=police, given_names="Ula", family_name="Unseen")
    poi = PersonOfInterestFactory(
        recording_agency=police, given_names="Vince", family_name="Shadow"
    )
    stranger_agency = AgencyFactory(area=AreaFactory())
    return Scene(
        area=area,
        social_care=social_care,
        police=police,
        person=person,
        other=other,
        poi=poi,
        social_worker=UserFactory(agency=social_care, roles=[Role.SOCIAL_WORKER]),
        chair=UserFactory(agency=social_care, roles=[Role.CHAIR], full_name="Cleo Chair"),
        qa=UserFactory(agency=social_care, roles=[Role.QA_MEMBER]),
        stranger=UserFactory(agency=stranger_agency, roles=[Role.CONSULTANT_SOCIAL_WORKER]),
    )


@pytest.fixture
def s(area: Area) -> Scene:
    return build(area)


def c_item(s: Scene, person: YoungPerson, **kwargs: Any) -> IntelligenceItem:
    return intelligence(
        person,
        s.police,
        handling_code="C",
        handling_conditions=CONDITIONS,
        text=SECRET,
        **kwargs,
    )


def one_of_everything(s: Scene) -> dict[str, Any]:
    """Records of every kind about Kai, each on a different day."""
    full = intelligence(s.person, s.social_care, days_ago=10, harm_types=["cse"], text=SECRET)
    restricted = c_item(s, s.person, days_ago=5, harm_types=["cce"], immediate_risk=True)
    missing_episode(s.person, s.police, days_ago=3)
    membership = on_cohort(s.person, tier=2, by=s.chair)  # entered 30 days ago
    TierDecision.objects.create(
        membership=membership,
        decided_by=s.chair,
        decided_at=clock.now() - dt.timedelta(days=2),
        from_tier=2,
        to_tier=1,
        reason="Corroborated by three partners",
        meeting_ref="PIMM 3 March",
    )
    CohortMembership.objects.filter(pk=membership.pk).update(tier=1)
    location = LocationFactory(recording_agency=s.police, name="Canal Street chicken shop")
    link = Link.objects.create(
        area=s.area,
        kind="frequents",
        source_young_person=s.person,
        target_location=location,
        last_seen=days_ago(7),
        recorded_by=s.social_worker,
    )
    poi_link = Link.objects.create(
        area=s.area,
        kind="exploited_by",
        source_young_person=s.person,
        target_person_of_interest=s.poi,
        last_seen=days_ago(8),
        recorded_by=s.social_worker,
    )
    ReferralFactory(
        young_person=s.person,
        to=ReferralTo.BASE,
        status=ReferralStatus.MADE,
        made_on=days_ago(1),
    )
    group = GroupFactory(recording_agency=s.police, name="Canal Street group")
    GroupMembership.objects.create(
        group=group, young_person=s.person, joined_on=days_ago(20), left_on=days_ago(4)
    )
    return {
        "full": full,
        "restricted": restricted,
        "link": link,
        "poi_link": poi_link,
        "group": group,
    }


# ---------------------------------------------------------------------------------------------
# The selector
# ---------------------------------------------------------------------------------------------


def test_every_kind_of_record_newest_first(s: Scene) -> None:
    made = one_of_everything(s)
    tl = young_person_timeline_for_user(s.social_worker, s.person)
    assert [e.kind for e in tl.entries] == [
        REFERRAL,  # 1 day ago
        TIER,  # 2: tier 2 to tier 1
        MISSING,  # 3
        GROUP,  # 4: left
        INTELLIGENCE,  # 5: restricted
        LINK,  # 7: frequents
        LINK,  # 8: exploited by
        INTELLIGENCE,  # 10: full
        GROUP,  # 20: joined
        TIER,  # 30: added
    ]
    summaries = [e.summary for e in tl.entries]
    assert summaries[1] == (
        "Tier changed from Tier 2 (amber) to Tier 1 (red), decided by Cleo Chair at PIMM 3 March"
    )
    assert summaries[3] == "Left peer group Canal Street group"
    assert summaries[5].startswith("Linked: Kai Timeline frequents Canal Street chicken shop")
    assert summaries[6].startswith("Linked: Kai Timeline exploited by Vince Shadow")
    assert summaries[-1] == "Added to the cohort at Tier 2 (amber), decided by Cleo Chair"
    urls = [e.url for e in tl.entries]
    assert urls[1] == reverse("cohort:detail", args=[s.person.pk])
    assert urls[3] == reverse("groups:detail", args=[made["group"].pk])
    assert urls[4] == reverse("intelligence:detail", args=[made["restricted"].pk])
    assert urls[5] == reverse("links:detail", args=[made["link"].pk])
    assert urls[7] == reverse("intelligence:detail", args=[made["full"].pk])
    assert urls[0] is None and urls[2] is None  # referrals and episodes have no page of their own
    assert not tl.has_older and not tl.has_newer


def test_actions_agreed_at_meetings_join_the_timeline(s: Scene) -> None:
    from riskpath.meetings.models import Action, Meeting, MeetingKind, MeetingType

    kind = MeetingType.objects.create(area=s.area, kind=MeetingKind.PIMM, name="PIMM")
    meeting = Meeting.objects.create(
        area=s.area,
        meeting_type=kind,
        title="PIMM 4 March",
        starts_at=clock.now() - dt.timedelta(days=6),
        ends_at=clock.now() - dt.timedelta(days=6),
    )
    open_one, closed = (
        Action.objects.create(
            area=s.area,
            meeting=meeting,
            young_person=s.person,
            description=text,
            owner_agency=s.police,
            due_on=days_ago(-7),
            created_by=s.chair,
        )
        for text in ("Police to visit the address", "School to share attendance")
    )
    Action.objects.filter(pk=closed.pk).update(
        status="closed", outcome="Attendance shared", created_at=clock.now() - dt.timedelta(days=6)
    )
    Action.objects.create(  # about someone else
        area=s.area,
        meeting=meeting,
        young_person=s.other,
        description="Not about Kai",
        owner_agency=s.police,
        due_on=days_ago(-7),
        created_by=s.chair,
    )
    tl = young_person_timeline_for_user(s.social_worker, s.person, kinds=[ACTION])
    assert [e.summary for e in tl.entries] == [
        f"Action agreed at PIMM 4 March: Police to visit the address (Constabulary; open, due "
        f"{days_ago(-7):%-d %B %Y})",
        "Action agreed at PIMM 4 March: School to share attendance (Constabulary; closed: "
        "Attendance shared)",
    ]
    assert open_one.young_person_id == s.person.pk
    assert ACTION not in [k.value for k in young_person_timeline_for_user(s.qa, s.person).kinds]


def test_coded_c_intelligence_is_a_restricted_summary(s: Scene) -> None:
    made = one_of_everything(s)
    tl = young_person_timeline_for_user(s.social_worker, s.person)
    items = {e.url: e for e in tl.entries if e.kind == INTELLIGENCE}
    restricted = items[reverse("intelligence:detail", args=[made["restricted"].pk])]
    full = items[reverse("intelligence:detail", args=[made["full"].pk])]
    assert restricted.restricted and not full.restricted
    assert restricted.summary == (
        "Restricted summary: Constabulary shared intelligence graded 1BC: "
        "Child criminal exploitation"
    )
    # Immediate risk is not part of a restricted summary; no entry ever carries the text.
    assert not restricted.immediate_risk
    assert all(SECRET not in e.summary for e in tl.entries)
    # The police, who submitted it, read it in full.
    officer = UserFactory(agency=s.police, roles=[Role.PARTNER_REPRESENTATIVE])
    police_view = young_person_timeline_for_user(officer, s.person)
    mine = next(e for e in police_view.entries if e.url == restricted.url)
    assert not mine.restricted and mine.immediate_risk


def test_intelligence_the_user_may_not_know_of_is_left_out(s: Scene) -> None:
    mine = intelligence(s.person, s.social_care, days_ago=1)
    intelligence(s.other, s.police, days_ago=1)  # about someone else
    deleted = intelligence(s.person, s.police, days_ago=2)
    deleted.deleted_at = clock.now()
    deleted.save()
    tl = young_person_timeline_for_user(s.social_worker, s.person, kinds=[INTELLIGENCE])
    assert [e.url for e in tl.entries] == [reverse("intelligence:detail", args=[mine.pk])]


def test_a_role_that_records_nothing_sees_no_links_tiers_groups_or_persons_of_interest(
    s: Scene,
) -> None:
    one_of_everything(s)
    tl = young_person_timeline_for_user(s.qa, s.person)
    # Not involved (an agency's records are seen by those who record in it): none of the
    # intelligence; and never links, tiers, groups or persons of interest.
    assert {e.kind for e in tl.entries} == {MISSING, REFERRAL}
    assert [k.value for k in tl.kinds] == [INTELLIGENCE, MISSING, REFERRAL, PATHWAY]
    assert all("Vince" not in e.summary for e in tl.entries)
    # Asking for a kind they may not see changes nothing.
    asked = young_person_timeline_for_user(s.qa, s.person, kinds=[LINK, TIER])
    assert asked.entries == tl.entries


def test_links_to_persons_of_interest_need_the_rule_to_see_them(
    s: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Today every role that may see links may see persons of interest; the timeline does not
    rely on that staying true."""
    one_of_everything(s)
    real_check = policy.check

    def check(rule: str, user: Any, obj: Any = None) -> bool:
        if rule == "can_view_person_of_interest":
            return False
        return real_check(rule, user, obj)

    monkeypatch.setattr(policy, "check", check)
    tl = young_person_timeline_for_user(s.social_worker, s.person, kinds=[LINK])
    assert [e.summary.split(" (")[0] for e in tl.entries] == [
        "Linked: Kai Timeline frequents Canal Street chicken shop"
    ]


def test_young_people_the_user_is_not_involved_with_are_not_named(s: Scene) -> None:
    Link.objects.create(
        area=s.area,
        kind="associate",
        source_young_person=s.other,
        target_young_person=s.person,
        recorded_by=s.social_worker,
    )
    (entry,) = young_person_timeline_for_user(s.social_worker, s.person).entries
    assert entry.summary == (
        "Linked: A young person you are not involved with associate of Kai Timeline, unconfirmed"
    )
    assert "Ula" not in entry.summary


def test_filter_by_kind(s: Scene) -> None:
    one_of_everything(s)
    tl = young_person_timeline_for_user(s.social_worker, s.person, kinds=[MISSING, REFERRAL])
    assert [e.kind for e in tl.entries] == [REFERRAL, MISSING]
    assert tl.selected == {MISSING, REFERRAL}
    assert [k.value for k in tl.kinds if k.checked] == [MISSING, REFERRAL]
    assert tl.older_query == "?kind=missing&kind=referral&timeline_page=2"


def test_pages_follow_on_without_gaps_or_repeats(s: Scene) -> None:
    for n in range(70):
        intelligence(s.person, s.social_care, days_ago=n)
    for n in range(30):
        missing_episode(s.person, s.police, days_ago=n * 2 + 1)
    everything = young_person_timeline_for_user(s.social_worker, s.person, page_size=1000)
    assert len(everything.entries) == 100
    pages = [young_person_timeline_for_user(s.social_worker, s.person, page=n) for n in (1, 2)]
    assert [len(p.entries) for p in pages] == [50, 50]
    assert pages[0].has_older and not pages[0].has_newer
    assert pages[1].has_newer and not pages[1].has_older
    assert pages[0].entries + pages[1].entries == everything.entries
    keys = [e.sort_key for e in everything.entries]
    assert keys == sorted(keys, reverse=True)
    assert young_person_timeline_for_user(s.social_worker, s.person, page=3).entries == []


# ---------------------------------------------------------------------------------------------
# The young person's page
# ---------------------------------------------------------------------------------------------


def detail(s: Scene, query: str = "") -> str:
    return reverse("people:detail", args=[s.person.pk]) + query


def test_the_page_shows_the_timeline_links_and_cohort_tier(s: Scene, client_for: Any) -> None:
    one_of_everything(s)
    page = html(client_for(s.social_worker).get(detail(s)))
    assert '<h2 class="govuk-heading-m" id="timeline">Timeline</h2>' in page
    assert "Tier changed from Tier 2 (amber) to Tier 1 (red)" in page
    assert "Restricted summary: Constabulary shared intelligence graded 1BC" in page
    assert SECRET not in page
    # The cohort tier, as a red tag linking to the cohort record.
    cohort_url = reverse("cohort:detail", args=[s.person.pk])
    hidden = '<span class="govuk-visually-hidden">On the cohort at </span>'
    tag = '<strong class="govuk-tag govuk-tag--red">Tier 1 (red)</strong>'
    assert f'<a class="govuk-link" href="{cohort_url}">{hidden}{tag}' in page
    # Links, with a way to add one.
    assert '<h2 class="govuk-heading-m" id="links">Links</h2>' in page
    add = f"{reverse('links:create')}?from_type=young_person&amp;from_id={s.person.pk}"
    assert add in page
    assert "Vince Shadow" in page  # a recording member may see persons of interest


def test_add_a_link_from_the_young_persons_page(s: Scene, client_for: Any) -> None:
    client = client_for(s.social_worker)
    url = f"{reverse('links:create')}?from_type=young_person&from_id={s.person.pk}"
    assert client.get(url).status_code == 200
    location = LocationFactory(recording_agency=s.police, name="Bus station")
    response = client.post(
        url + "&to_type=location",
        {"other": str(location.pk), "kind": "frequents", "strength": "tentative"},
    )
    assert response.status_code == 302
    assert response["Location"] == detail(s)
    page = html(client.get(detail(s)))
    assert "Linked: Kai Timeline frequents Bus station" in page


def test_a_quality_assurance_member_does_not_see_records_through_their_agency(
    s: Scene, client_for: Any
) -> None:
    """An agency's records are seen by those who record in it: a quality-assurance member of
    the recording agency is not shown the young person's record at all."""
    one_of_everything(s)
    response = client_for(s.qa).get(detail(s))
    assert response.status_code == 404
    assert s.person.family_name not in html(response)


def test_filter_and_pages_through_http(s: Scene, client_for: Any) -> None:
    one_of_everything(s)
    client = client_for(s.social_worker)
    page = html(client.get(detail(s, "?kind=missing&kind=nonsense&timeline_page=x")))
    timeline = page.split('id="timeline"')[1]
    assert "Reported missing by Constabulary: not yet returned" in timeline
    assert "Referral" not in timeline.split("</form>")[1]
    assert 'value="missing" checked' in timeline
    assert "Clear filters" in timeline
    empty = html(client.get(detail(s, "?timeline_page=7")))
    assert "There are no older entries." in empty


def test_a_person_with_500_intelligence_items_renders_in_bounded_queries(
    s: Scene, client_for: Any, django_assert_max_num_queries: Any
) -> None:
    items = IntelligenceItem.objects.bulk_create(
        IntelligenceItem(
            area=s.area,
            reported_on=days_ago(n % 365),
            source_agency=s.police if n % 3 else s.social_care,
            submitted_by=s.social_worker,
            text=f"Item {n}",
            source_evaluation="2",
            assessment="B",
            handling_code="C" if n % 5 == 0 else "P",
            handling_conditions=CONDITIONS if n % 5 == 0 else "",
            provenance="first_hand",
            harm_types=["cce"],
        )
        for n in range(500)
    )
    through = IntelligenceItem.young_people.through
    through.objects.bulk_create(
        through(intelligenceitem_id=item.pk, youngperson_id=s.person.pk) for item in items
    )
    for n in range(20):
        missing_episode(s.person, s.police, days_ago=n)
    one_of_everything(s)
    client = client_for(s.social_worker)
    before = AuditEvent.objects.count()
    with django_assert_max_num_queries(45):
        response = client.get(detail(s))
    assert response.status_code == 200
    page = html(response)
    assert page.count('<li class="govuk-!-margin-bottom-0">') == 50
    assert "Older entries" in page and "Newer entries" not in page
    # One read of the record, audited once.
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.order_by("-id").first().verb == Verb.PERSON_VIEWED  # type: ignore[union-attr]
    with django_assert_max_num_queries(45):
        second = client.get(detail(s, "?timeline_page=4"))
    assert html(second).count('<li class="govuk-!-margin-bottom-0">') == 50


def test_another_areas_young_person_is_not_found(s: Scene, client_for: Any) -> None:
    assert client_for(s.stranger).get(detail(s, "?kind=missing")).status_code == 404


# ---------------------------------------------------------------------------------------------
# The person of interest's page
# ---------------------------------------------------------------------------------------------


def poi_item(s: Scene, **kwargs: Any) -> IntelligenceItem:
    item = IntelligenceItem.objects.create(
        area=s.area,
        reported_on=kwargs.pop("reported_on", days_ago(1)),
        source_agency=kwargs.pop("source_agency", s.police),
        submitted_by=s.chair,
        text=kwargs.pop("text", "About the person of interest"),
        source_evaluation="2",
        assessment="B",
        provenance="first_hand",
        **{"handling_code": "P", **kwargs},
    )
    item.persons_of_interest.add(s.poi)
    return item


def test_poi_page_shows_links_and_the_intelligence_the_user_may_read(
    s: Scene, client_for: Any
) -> None:
    readable = poi_item(s, harm_types=["cce"])
    coded = poi_item(s, handling_code="C", handling_conditions=CONDITIONS, text=SECRET)
    coded.young_people.add(s.person)  # the social worker may know it exists, not read it
    Link.objects.create(
        area=s.area,
        kind="frequents",
        source_person_of_interest=s.poi,
        target_location=LocationFactory(recording_agency=s.police, name="Canal Street shop"),
        recorded_by=s.chair,
    )
    about = intelligence_about_poi_for_user(s.social_worker, s.poi)
    assert [e.item for e in about.listed] == [readable]
    client = client_for(s.social_worker)
    page = html(client.get(reverse("people:poi_detail", args=[s.poi.pk])))
    assert '<h2 class="govuk-heading-m" id="links">Links</h2>' in page
    assert "Canal Street shop" in page
    add = f"{reverse('links:create')}?from_type=person_of_interest&amp;from_id={s.poi.pk}"
    assert add in page
    assert reverse("intelligence:detail", args=[readable.pk]) in page
    assert reverse("intelligence:detail", args=[coded.pk]) not in page
    assert SECRET not in page
    url = f"{reverse('links:create')}?from_type=person_of_interest&from_id={s.poi.pk}"
    assert client.get(url).status_code == 200
    # The police, who submitted the coded item, see both.
    officer = UserFactory(agency=s.police, roles=[Role.PARTNER_REPRESENTATIVE])
    police_page = html(client_for(officer).get(reverse("people:poi_detail", args=[s.poi.pk])))
    assert reverse("intelligence:detail", args=[coded.pk]) in police_page


def test_poi_page_is_still_refused_to_roles_that_may_not_see_persons_of_interest(
    s: Scene, client_for: Any
) -> None:
    assert client_for(s.qa).get(reverse("people:poi_detail", args=[s.poi.pk])).status_code == 403
    other_area = client_for(s.stranger).get(reverse("people:poi_detail", args=[s.poi.pk]))
    assert other_area.status_code == 404


def test_under_emergency_access_the_page_offers_no_link_it_cannot_follow(
    s: Scene, client_for: Any
) -> None:
    from riskpath.access.services import emergency_access_grant

    one_of_everything(s)
    outsider_agency = AgencyFactory(area=s.area, name="Youth club")
    outsider = UserFactory(agency=outsider_agency, roles=[Role.SOCIAL_WORKER])
    emergency_access_grant(
        actor=outsider, target=s.person, reason="Missing overnight; police need the history now."
    )
    page = html(client_for(outsider).get(detail(s)))
    assert "You are seeing this record through emergency access" in page
    assert "Reported missing by Constabulary" in page
    assert "Add a link" not in page
    # The social worker involved with the record is offered it.
    assert "Add a link" in html(client_for(s.social_worker).get(detail(s)))
