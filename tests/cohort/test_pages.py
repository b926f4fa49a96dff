"""The cohort's pages through HTTP: who sees what, the chair's decisions, the exports, and
the audit trail each of them leaves."""

from __future__ import annotations

import csv
import io
import re
from html import escape
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from riskpath.audit.verbs import Verb
from riskpath.cohort.models import CohortMembership
from riskpath.cohort.suggestion import Criterion
from riskpath.core import clock
from tests.cohort.conftest import Scene
from tests.cohort.factories import intelligence, on_cohort
from tests.factories import YoungPersonFactory
from tests.people.scenario import AuditWatch

pytestmark = pytest.mark.django_db

LIST = reverse("cohort:list")


def html(response: Any) -> str:
    return response.content.decode()


def table(response: Any) -> str:
    page = html(response)
    start = page.find("<table")
    return page[start : page.find("</table>", start)] if start != -1 else ""


def decision(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "tier": "2",
        "criteria": [str(Criterion.T2_NOT_IMMEDIATE), str(Criterion.T2_SINGLE_PARTNER_CROSS)],
        "reason": "School reports older associates collecting after school",
        "meeting_ref": "PIMM 2 March",
        "next_review_on": "",
    }
    data.update(overrides)
    return data


# --- The list ---------------------------------------------------------------------------------


def test_the_list_shows_only_the_areas_open_cohort_with_counts(
    client_for: Any, scene: Scene
) -> None:
    on_cohort(scene.led, tier=1, by=scene.chair)
    on_cohort(scene.unled, tier=3, by=scene.chair)
    gone = YoungPersonFactory(recording_agency=scene.police, family_name="Gonerson")
    on_cohort(gone, tier=2, by=scene.chair, exited=True)
    on_cohort(scene.far, tier=1, by=scene.far_chair)
    response = client_for(scene.partner).get(LIST)
    assert response.status_code == 200
    rows = table(response)
    assert str(scene.led) in rows and str(scene.unled) in rows
    assert "Gonerson" not in rows and str(scene.far) not in rows
    counts = dict(re.findall(r'data-tier-count="(\d)">(\d+)<', html(response)))
    assert counts == {"1": "1", "2": "0", "3": "1"}


def test_viewing_the_list_is_audited_once(client_for: Any, scene: Scene) -> None:
    on_cohort(scene.led, by=scene.chair)
    client = client_for(scene.partner)
    watch = AuditWatch()
    client.get(LIST, {"tier": "2"})
    (event,) = watch.new()
    assert event.verb == Verb.COHORT_VIEWED
    assert event.changes == {"count": 1, "filters": {"tier": "2"}}


def test_the_list_filters_and_sorts(client_for: Any, scene: Scene) -> None:
    a = on_cohort(scene.led, tier=2, by=scene.chair, next_review_on=clock.today())
    b = on_cohort(scene.unled, tier=1, by=scene.chair)
    intelligence(scene.unled, scene.school, harm_types=["cce"])
    intelligence(scene.led, scene.health, harm_types=["cse"])
    client = client_for(scene.partner)

    def shown(**params: Any) -> list[str]:
        page = table(client.get(LIST, params))
        people = [m.young_person for m in (a, b)]
        # names as the page writes them (Django escapes an apostrophe as &#x27;)
        shown_as = {str(p): escape(str(p)) for p in people}
        return [
            name
            for name in sorted(shown_as, key=lambda n: page.find(shown_as[n]))
            if shown_as[name] in page
        ]

    assert shown() == [str(scene.unled), str(scene.led)]  # by tier
    assert shown(tier="2") == [str(scene.led)]
    assert shown(lead_professional=str(scene.lead.pk)) == [str(scene.led)]
    assert shown(harm_type="cce") == [str(scene.unled)]
    assert shown(agency=str(scene.health.pk)) == [str(scene.led)]
    assert shown(locality="yat") == [str(scene.unled)]
    assert shown(review_due_by=clock.today().isoformat()) == [str(scene.led)]
    assert shown(discussed_before=clock.today().isoformat()) == sorted(
        [str(scene.led), str(scene.unled)], key=lambda n: table(client.get(LIST)).find(escape(n))
    )
    assert shown(sort="next_review")[0] == str(scene.led)


def test_a_bad_filter_is_a_400_naming_the_field(client_for: Any, scene: Scene) -> None:
    response = client_for(scene.partner).get(LIST, {"review_due_by": "31 2 2026"})
    assert response.status_code == 400
    assert "Enter review due by as a real date" in html(response)


def test_roles_without_the_cohort_rule_are_refused(client_for: Any, scene: Scene) -> None:
    on_cohort(scene.led, by=scene.chair)
    client = client_for(scene.qa)
    assert client.get(LIST).status_code == 403
    assert client.get(reverse("cohort:detail", args=[scene.led.pk])).status_code == 403
    partner = client_for(scene.partner)
    assert partner.get(reverse("cohort:add")).status_code == 403
    assert partner.get(reverse("cohort:tier", args=[scene.led.pk])).status_code == 403
    assert partner.post(reverse("cohort:exit", args=[scene.led.pk])).status_code == 403
    assert partner.get(reverse("cohort:reentry")).status_code == 403


def test_the_list_page_takes_a_bounded_number_of_queries(
    client_for: Any, scene: Scene, django_assert_max_num_queries: Any
) -> None:
    for _ in range(15):
        person = YoungPersonFactory(recording_agency=scene.police, lead_professional=scene.lead)
        on_cohort(person, tier=2, by=scene.chair)
        intelligence(person, scene.school, harm_types=["cce"])
    client = client_for(scene.chair)
    with django_assert_max_num_queries(30):
        response = client.get(LIST)
    assert table(response).count('href="/cohort/') == 15


def test_a_long_cohort_is_paged_in_the_tiers_order_keeping_the_filters(
    client_for: Any, scene: Scene
) -> None:
    from riskpath.cohort.selectors import PAGE_SIZE

    total = PAGE_SIZE + 3
    for n in range(total):
        person = YoungPersonFactory(recording_agency=scene.police, family_name=f"Page{n:02d}")
        on_cohort(person, tier=3 if n < PAGE_SIZE else 1, by=scene.chair)
        intelligence(person, scene.school, harm_types=["cce"])
    client = client_for(scene.partner)
    watch = AuditWatch()
    first = client.get(LIST, {"harm_type": "cce"})
    assert first.status_code == 200
    assert f"{total} young people matching the filters" in html(first)
    rows = table(first)
    assert rows.count('href="/cohort/') == PAGE_SIZE
    # tier 1 first, then by name: the three at tier 1 lead the first page, and the last three
    # at tier 3 fall to the second
    last = [f"Page{n:02d}" for n in range(PAGE_SIZE - 3, PAGE_SIZE)]
    assert rows.find(f"Page{PAGE_SIZE:02d}") < rows.find("Page00")
    assert not any(name in rows for name in last)
    assert "Page 1 of 2" in html(first)
    assert 'href="?harm_type=cce&amp;page=2"' in html(first)
    second = table(client.get(LIST, {"harm_type": "cce", "page": "2"}))
    assert second.count('href="/cohort/') == 3
    assert all(name in second for name in last)
    counts = [e.changes["count"] for e in watch.new() if e.verb == Verb.COHORT_VIEWED]
    assert counts == [total, total]


# --- One young person -------------------------------------------------------------------------


def test_the_cohort_page_shows_history_and_the_current_suggestion(
    client_for: Any, scene: Scene
) -> None:
    on_cohort(scene.led, tier=2, by=scene.chair)
    intelligence(scene.led, scene.police, grade="A1", immediate_risk=True)
    client = client_for(scene.partner)
    watch = AuditWatch()
    response = client.get(reverse("cohort:detail", args=[scene.led.pk]))
    assert response.status_code == 200
    page = html(response)
    assert "Suggested tier:" in page and "A1 intelligence of immediate risk" in page
    assert Criterion.T1_IMMEDIATE_RISK.label in page
    assert "Added at Tier 2 (amber)" in page
    assert "Concerns shared at the PIMM" in page
    (event,) = watch.new()
    assert event.verb == Verb.COHORT_VIEWED and event.subject_id == str(scene.led.pk)


def test_another_areas_young_person_is_a_404(client_for: Any, scene: Scene) -> None:
    on_cohort(scene.far, by=scene.far_chair)
    client = client_for(scene.chair)
    for name in ("cohort:detail", "cohort:tier", "cohort:exit"):
        assert client.get(reverse(name, args=[scene.far.pk])).status_code == 404, name
    # Never on the cohort: also a 404.
    assert client.get(reverse("cohort:detail", args=[scene.led.pk])).status_code == 404


# --- The chair's decisions --------------------------------------------------------------------


def test_the_chair_adds_a_young_person_in_two_steps(client_for: Any, scene: Scene) -> None:
    client = client_for(scene.chair)
    # The form lists nobody until the chair searches.
    assert str(scene.led) not in html(client.get(reverse("cohort:add")))

    def search(name: str) -> str:
        return html(
            client.get(
                reverse("cohort:add"), {"young_person__search": name, "find__young_person": "1"}
            )
        )

    # The chair's agency recorded them; the school's young person is not offered until
    # partners share intelligence about them for the PIMM.
    assert str(scene.led.pk) in search(scene.led.family_name)
    assert str(scene.unled.pk) in search(scene.unled.family_name)
    elsewhere = YoungPersonFactory(recording_agency=scene.school, family_name="Schoolrecord")
    assert str(elsewhere.pk) not in search("Schoolrecord")
    intelligence(elsewhere, scene.school, grade="C2")
    assert str(elsewhere.pk) in search("Schoolrecord")
    intelligence(scene.led, scene.police, grade="B2", harm_types=["cse"])
    form = client.get(reverse("cohort:add"), {"young_person": str(scene.led.pk)})
    assert form.status_code == 200
    assert "exploitation suspected (child sexual exploitation)" in html(form)
    watch = AuditWatch()
    response = client.post(reverse("cohort:add"), decision(young_person=str(scene.led.pk)))
    assert response.status_code == 302
    assert response["Location"] == reverse("cohort:detail", args=[scene.led.pk])
    membership = CohortMembership.objects.get(young_person=scene.led)
    assert membership.tier == 2
    d = membership.decisions.get()
    assert d.suggested_tier == 2 and d.meeting_ref == "PIMM 2 March"
    assert watch.verbs() == [Verb.COHORT_ENTERED]


def test_tier_1_without_a_lead_professional_is_refused_on_the_page(
    client_for: Any, scene: Scene
) -> None:
    response = client_for(scene.chair).post(
        reverse("cohort:add"),
        decision(
            young_person=str(scene.unled.pk), tier="1", criteria=[str(Criterion.T1_IMMEDIATE_RISK)]
        ),
    )
    assert response.status_code == 400
    assert "Tier 1 needs a lead professional" in html(response)
    assert not CohortMembership.objects.exists()


def test_tier_2_without_a_lead_professional_shows_the_warning_to_accept(
    client_for: Any, scene: Scene
) -> None:
    client = client_for(scene.chair)
    data = decision(young_person=str(scene.unled.pk))
    refused = client.post(reverse("cohort:add"), data)
    assert refused.status_code == 400
    assert "No lead professional is in place" in html(refused)
    assert not CohortMembership.objects.exists()
    accepted = client.post(reverse("cohort:add"), {**data, "accept_warning": "on"})
    assert accepted.status_code == 302
    assert CohortMembership.objects.get().decisions.get().warning


def test_bad_input_is_a_400_naming_the_field_and_changes_nothing(
    client_for: Any, scene: Scene
) -> None:
    client = client_for(scene.chair)
    watch = AuditWatch()
    response = client.post(
        reverse("cohort:add"), decision(young_person=str(scene.led.pk), criteria=[], reason="")
    )
    assert response.status_code == 400
    assert "Select the criteria the young person meets" in html(response)
    assert "Enter why the PIMM made this decision" in html(response)
    assert not CohortMembership.objects.exists()
    assert watch.new() == []


def test_changing_tier_and_a_stale_version(client_for: Any, scene: Scene) -> None:
    membership = on_cohort(scene.led, tier=3, by=scene.chair)
    client = client_for(scene.chair)
    url = reverse("cohort:tier", args=[scene.led.pk])
    form = client.get(url)
    assert 'name="version" value="1"' in html(form)
    data = decision(tier="1", criteria=[str(Criterion.T1_RAPID_ESCALATION)], version="1")
    assert client.post(url, data).status_code == 302
    membership.refresh_from_db()
    assert (membership.tier, membership.version) == (1, 2)
    watch = AuditWatch()
    stale = client.post(url, {**data, "tier": "2"})
    assert stale.status_code == 409
    assert "Someone else changed this cohort record" in html(stale)
    membership.refresh_from_db()
    assert membership.tier == 1
    assert watch.new() == []


def test_exit_needs_a_receiving_area_when_moving_away(client_for: Any, scene: Scene) -> None:
    membership = on_cohort(scene.led, by=scene.chair)
    client = client_for(scene.chair)
    url = reverse("cohort:exit", args=[scene.led.pk])
    data = {"exit_reason": "moved_out", "note": "Family moved", "version": "1"}
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Enter the area the young person has moved to" in html(refused)
    membership.refresh_from_db()
    assert membership.is_open
    watch = AuditWatch()
    assert client.post(url, {**data, "receiving_area": "Swindon"}).status_code == 302
    membership.refresh_from_db()
    assert membership.receiving_area == "Swindon" and not membership.is_open
    assert watch.verbs() == [Verb.COHORT_EXITED]
    detail = client.get(reverse("cohort:detail", args=[scene.led.pk]))
    assert "Moved out of area (Swindon)" in html(detail)
    assert "Add to the cohort again" in html(detail)


def test_the_re_entry_list_and_no_action(client_for: Any, scene: Scene) -> None:
    from riskpath.cohort.services import cohort_note_intelligence

    on_cohort(scene.led, by=scene.chair, exited=True)
    item = intelligence(scene.led, scene.school, grade="C2")
    (flag,) = cohort_note_intelligence(actor=scene.partner, item=item)
    client = client_for(scene.chair)
    listing = client.get(reverse("cohort:reentry"))
    assert str(scene.led) in html(listing)
    url = reverse("cohort:reentry_no_action", args=[flag.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Already known: historic"}).status_code == 302
    flag.refresh_from_db()
    assert flag.outcome == "no_action"
    assert str(scene.led) not in table(client.get(reverse("cohort:reentry")))
    assert client.get(url).status_code == 404  # cleared flags are gone


# --- Exports ----------------------------------------------------------------------------------


def test_exports_hold_what_the_list_shows_defused_and_audited(
    client_for: Any, scene: Scene
) -> None:
    scene.led.locality = '=HYPERLINK("http://evil.test")'
    scene.led.save()
    on_cohort(scene.led, tier=1, by=scene.chair)
    on_cohort(scene.unled, tier=3, by=scene.chair)
    on_cohort(scene.far, tier=1, by=scene.far_chair)
    client = client_for(scene.partner)
    watch = AuditWatch()
    response = client.get(reverse("cohort:export_csv"), {"tier": "1"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Name", "Tier", "Lead professional"]
    assert [r[0] for r in rows[1:]] == [str(scene.led)]
    assert rows[1][5] == '\'=HYPERLINK("http://evil.test")'
    book = load_workbook(io.BytesIO(client.get(reverse("cohort:export_xlsx")).content))
    sheet = book.active
    assert sheet is not None
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert [v[0] for v in values[1:]] == [str(scene.led), str(scene.unled)]
    assert values[1][5] == '\'=HYPERLINK("http://evil.test")'
    assert all(c.data_type == "s" for row in sheet.iter_rows() for c in row if c.value)
    events = watch.new()
    assert [e.verb for e in events] == [Verb.COHORT_EXPORTED, Verb.COHORT_EXPORTED]
    assert events[0].changes == {"format": "csv", "count": 1, "filters": {"tier": "1"}}


def test_export_needs_the_export_rule(client_for: Any, scene: Scene) -> None:
    assert client_for(scene.qa).get(reverse("cohort:export_csv")).status_code == 403
