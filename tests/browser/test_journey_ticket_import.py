"""Browser: the demo agent imports a Zendesk ticket into a new case, fills in the rest and
sees the redacted preview (the customer's phone and e-mail removed, the internal note absent);
the demo admin uploads a new CSV export, maps its columns once, and the next upload of it
goes straight to the preview."""
from pathlib import Path

import pytest

from learning.cases.models import Case
from learning.progress.models import MeasureSource
from tests.conftest import seed_demo

pytestmark = pytest.mark.browser
DATA = Path(__file__).parent.parent / "data"
SHOTS = Path("/tmp/helpdesk-shots")


def shoot(page, name):
    SHOTS.mkdir(exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_agent_imports_a_zendesk_ticket_and_sees_the_redacted_preview(app, page, browser_login):
    seed_demo(app)
    browser_login("agent@example.com", "learning-demo")
    page.click("nav.mainnav >> text=Case reviews")
    page.click("text=Write up a case")
    page.set_input_files("input[name=ticket_file]", str(DATA / "zendesk_ticket.json"))
    shoot(page, "case-import")
    page.click("button:has-text('Import the ticket')")
    page.wait_for_selector("text=Zendesk ticket 48213")
    assert page.input_value("input[name=title]") == "Charged twice for my March subscription"
    assert page.input_value("textarea[name=actions]").startswith("Customer: Hello,")
    page.fill("textarea[name=customer_need]", "She was charged twice and was fed up.")
    page.fill("textarea[name=outcome]", "Refunded the same morning; she thanked me.")
    page.fill("textarea[name=ask]", "How do I explain a billing fault without blaming another team?")
    page.click("button[value=preview]")
    preview = page.locator("#preview .preview-text").inner_text()
    assert "[phone removed]" in preview and "[email removed]" in preview
    assert "7700 900123" not in preview and "jane.doe@example.com" not in preview and "PAY-1182" not in preview
    assert "Customer:" in preview and "Agent:" in preview
    shoot(page, "case-import-preview")
    assert Case.select().where(Case.title == "Charged twice for my March subscription").count() == 0


def test_admin_maps_a_new_export_once_and_the_next_upload_is_recognised(app, page, browser_login, tmp_path):
    seed_demo(app)
    path = tmp_path / "qa-tool.csv"
    path.write_text("Reviewer,Agent e-mail,Review date,QA score\nKim,agent@example.com,2026-01-14,88\n")
    sources = MeasureSource.select().count()      # the demo's own
    browser_login("admin@example.com", "learning-demo")
    page.click("nav.mainnav summary >> text=Admin")
    page.click("nav.mainnav >> text=Programme results")
    page.click("text=Import service measures")
    page.set_input_files("input[name=file]", str(path))
    page.click("button:has-text('Preview')")
    page.wait_for_selector("text=A new export: map its columns")
    page.fill("input[name=name]", "QA tool reviews")
    page.select_option("select[name=person_column]", "Agent e-mail")
    page.select_option("select[name=month_column]", "Review date")
    page.select_option("select[name=measure_quality]", "QA score")
    page.select_option("select[name=measure_csat]", "QA score")
    page.click("button:has-text('Save the source and preview')")
    assert "already used" in page.locator("#measure_quality-err").inner_text()
    shoot(page, "measure-mapping")
    assert MeasureSource.select().count() == sources
    page.select_option("select[name=measure_csat]", "")
    page.click("button:has-text('Save the source and preview')")
    page.wait_for_selector("text=Preview: nothing is written yet")
    assert "QA tool reviews" in page.locator(".recognised").inner_text()
    page.click("text=Cancel")
    page.set_input_files("input[name=file]", str(path))
    page.click("button:has-text('Preview')")
    page.wait_for_selector("text=Preview: nothing is written yet")
    assert "QA tool reviews" in page.locator(".recognised").inner_text()
    page.click("text=Confirm the import")
    page.wait_for_selector("text=Imported qa-tool.csv")
    page.click("#sources >> text=QA tool reviews")
    page.wait_for_selector("text=How its files are read")
    assert MeasureSource.select().count() == sources + 1
    shoot(page, "measure-source")
