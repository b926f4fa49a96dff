"""Business support downloads the version of the minutes for the young person and family from
the meeting's page, in a real browser: the confidential slot is not in it; on a PIMM's page
there is one such version per young person on the agenda, and each leaves out the others."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Browser
from tests.factories import PASSWORD, AreaFactory
from tests.meetings.scenario import build_scene
from tests.meetings.test_documents import (
    A_ITEM,
    B_ITEM,
    CONFIDENTIAL,
    REVIEW,
    WELCOME,
    minuted_meeting,
    pimm_meeting,
)

pytestmark = pytest.mark.browser


def test_business_support_downloads_the_family_version(browser: Browser, tmp_path: Path) -> None:
    scene = build_scene(AreaFactory())
    m = minuted_meeting(scene)
    page = browser.page

    browser.sign_in(scene.business_support.email, PASSWORD)
    browser.goto(f"/meetings/{m.meeting.pk}/")
    section = page.locator("#documents")
    expect(section.get_by_role("heading", name="Papers and minutes")).to_be_visible()
    expect(section).to_contain_text("These are draft minutes")

    with page.expect_download() as info:
        section.get_by_role(
            "link", name=f"Word document of the version for {scene.person} and family"
        ).click()
    download = info.value
    assert download.suggested_filename.endswith("(young person and family).docx")
    saved = tmp_path / "family.docx"
    download.save_as(saved)
    text = "\n".join(para.text for para in docx.Document(io.BytesIO(saved.read_bytes())).paragraphs)
    assert WELCOME in text and REVIEW in text
    assert CONFIDENTIAL not in text
    assert "CONFIDENTIAL SLOT" not in text

    # The full version, from the same page, has the confidential slot.
    with page.expect_download() as info:
        section.get_by_role("link", name="Word document of the full minutes").click()
    full = tmp_path / "full.docx"
    info.value.save_as(full)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(full.read_bytes())).paragraphs)
    assert CONFIDENTIAL in text


def test_business_support_downloads_a_pimm_family_version_per_young_person(
    browser: Browser, tmp_path: Path
) -> None:
    scene = build_scene(AreaFactory())
    p = pimm_meeting(scene)
    page = browser.page

    browser.sign_in(scene.business_support.email, PASSWORD)
    browser.goto(f"/meetings/{p.meeting.pk}/")
    section = page.locator("#documents")
    expect(section).to_contain_text(f"Version for {p.a} and family")
    expect(section).to_contain_text(f"Version for {p.b} and family")

    with page.expect_download() as info:
        section.get_by_role(
            "link", name=f"Word document of the version for {p.b} and family"
        ).click()
    download = info.value
    assert download.suggested_filename.endswith("(young person and family).docx")
    assert str(p.b.family_name) not in download.suggested_filename
    saved = tmp_path / "family-b.docx"
    download.save_as(saved)
    text = "\n".join(para.text for para in docx.Document(io.BytesIO(saved.read_bytes())).paragraphs)
    assert B_ITEM in text
    assert A_ITEM not in text and str(p.a.family_name) not in text
