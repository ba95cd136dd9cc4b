"""Browser: an admin imports a 40-line people file with one bad line, sees the problem on
its line, fixes the file, previews it again and imports it."""
import pytest

from learning.accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def people_file(bad_zone):
    lines = ["email,name,team,role,coach,timezone,employee_id,start_date"]
    for n in range(1, 41):
        zone = bad_zone if n == 17 else "Europe/Berlin"
        lines.append(f"new{n:02}@example.org,Person {n:02},Team A,agent,coach.lead@example.org,{zone},HR{n:03},2025-03-01")
    return "\n".join(lines).replace("coach.lead@example.org", "{coach}") + "\n"


def test_admin_fixes_a_bad_line_and_imports_forty_people(page, browser_login, people, tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(people_file("Europe/Berlinn").format(coach=people["coach_a"].email))
    browser_login(people["admin"].email, PASSWORD)
    page.click("nav.mainnav summary >> text=Admin")
    page.click("nav.mainnav >> text=People")
    page.click("text=Import people")
    page.set_input_files("input[name=file]", str(path))
    page.click("button:has-text('Preview')")
    problem = page.locator(".import-errors tr[data-line='18']")
    assert "timezone" in problem.inner_text() and "Unknown time zone" in problem.inner_text()
    assert page.locator(".import-errors tbody tr").count() == 1
    assert User.select().where(User.email.startswith("new")).count() == 0

    path.write_text(people_file("Europe/Berlin").format(coach=people["coach_a"].email))
    page.set_input_files("input[name=file]", str(path))
    page.click("button:has-text('Preview')")
    page.wait_for_selector("text=Preview: nothing is written yet")
    assert page.locator("[data-count=create]").inner_text() == "40"
    assert page.locator("[data-count=update]").inner_text() == "0"
    assert User.select().where(User.email.startswith("new")).count() == 0
    page.click("text=Confirm the import")
    page.wait_for_selector("text=Imported: 40 created")
    assert User.select().where(User.email.startswith("new"), User.team == people["team_a"].id).count() == 40
    page.fill("input[name=q]", "Person 17")
    page.click("button:has-text('Filter')")
    assert page.locator("table.people tbody tr").count() == 1
