"""Browser: the demo admin previews a service-measure file (nothing written yet), confirms it,
finds it in the import log and undoes it; the demo's own import of last month stays."""
import pytest

from learning.progress.models import MeasureImport, ServiceMeasure
from learning.progress.periods import add_months, last_months
from tests.conftest import seed_demo

pytestmark = pytest.mark.browser


def csat_of(email, month):
    from learning.accounts.models import User
    from learning.progress.models import MeasureDefinition

    return (ServiceMeasure.select(ServiceMeasure.value).join(User).switch(ServiceMeasure).join(MeasureDefinition)
            .where(User.email == email, ServiceMeasure.month == month, MeasureDefinition.name == "csat")
            .scalar())


def test_admin_previews_confirms_and_undoes_a_measures_import(app, page, browser_login, tmp_path):
    seed_demo(app)
    last = add_months(last_months("Europe/Berlin", 12)[-1], -1)
    before = csat_of("agent@example.com", last)
    path = tmp_path / "corrections.csv"
    path.write_text(f"email,month,csat\nagent@example.com,{last:%Y-%m},12.5\n"
                    f"priya@example.com,{last:%Y-%m},{csat_of('priya@example.com', last)!r}\n")
    browser_login("admin@example.com", "learning-demo")
    page.click("nav.mainnav summary >> text=Admin")
    page.click("nav.mainnav >> text=Programme results")
    page.click("text=Import service measures")
    assert page.locator(".import-log tbody tr").count() == 1          # the demo's import of last month
    page.set_input_files("input[name=file]", str(path))
    page.click("button:has-text('Preview')")
    page.wait_for_selector("text=Preview: nothing is written yet")
    assert page.locator("[data-count=new]").inner_text() == "0"
    assert page.locator("[data-count=changed]").inner_text() == "1"
    assert page.locator("[data-count=unchanged]").inner_text() == "1"
    assert csat_of("agent@example.com", last) == before
    page.click("text=Confirm the import")
    page.wait_for_selector("text=Imported corrections.csv")
    assert csat_of("agent@example.com", last) == 12.5
    newest = page.locator(".import-log tbody tr").first
    assert "corrections.csv" in newest.inner_text() and "Ada Admin" in newest.inner_text()
    page.on("dialog", lambda dialog: dialog.accept())
    newest.locator("button:has-text('Undo')").click()
    page.wait_for_selector("text=Undone: the import of corrections.csv")
    assert csat_of("agent@example.com", last) == before
    assert MeasureImport.select().where(MeasureImport.undone_at.is_null()).count() == 1
