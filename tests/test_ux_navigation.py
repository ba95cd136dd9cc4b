"""Getting around: the phone menu is a real button, a skip link leads to the content, a
coach's "Progress" opens their team, admin pages sit under one "Admin" disclosure, and
counts read in proper English."""
import re

from learning.wording import count_of


def nav_links(html):
    nav = html[html.index('<nav class="mainnav"'):html.index("</nav>")]
    return dict((label.strip(), href) for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)', nav))


def test_counts_read_singular_and_plural():
    assert count_of(1, "person") == "1 person"
    assert count_of(2, "person") == "2 people"
    assert count_of(0, "session") == "0 sessions"
    assert count_of(1, "open plan") == "1 open plan"
    assert count_of(3, "match", "matches") == "3 matches"


def test_menu_is_a_button_that_controls_the_menu_and_a_skip_link_leads_to_main(people, login):
    html = login(people["agent"]).get("/").get_data(as_text=True)
    assert '<a class="skip-link" href="#main">Skip to content</a>' in html
    assert '<main class="page" id="main" tabindex="-1">' in html
    assert '<button type="button" class="nav-toggle" aria-expanded="false" aria-controls="site-menu">Menu</button>' in html
    assert 'id="site-menu"' in html
    assert "aria-hidden" not in html.split("<main")[0].split("</a>", 2)[2]   # only the brand's mark is hidden
    assert "nav-toggle-label" not in html


def test_a_coachs_progress_link_opens_the_team_they_coach(people, login):
    links = nav_links(login(people["coach_a"]).get("/").get_data(as_text=True))
    assert links["Progress"] == f"/progress/team/{people['team_a'].id}"


def test_an_agents_and_an_admins_progress_link_opens_their_own(people, login):
    assert nav_links(login(people["agent"]).get("/").get_data(as_text=True))["Progress"] == "/progress"
    assert nav_links(login(people["admin"]).get("/").get_data(as_text=True))["Progress"] == "/progress"


def test_a_coach_without_a_team_keeps_their_own_progress(make_user, login):
    coach = make_user("coach")
    assert nav_links(login(coach).get("/").get_data(as_text=True))["Progress"] == "/progress"


def test_the_team_page_marks_progress_current_and_links_back_to_my_progress(people, login):
    html = login(people["coach_a"]).get(f"/progress/team/{people['team_a'].id}").get_data(as_text=True)
    assert re.search(r'<a href="/progress/team/\d+" aria-current="page">Progress</a>', html)
    assert 'href="/progress">My progress</a>' in html


def test_admin_pages_sit_under_one_admin_disclosure_only_for_admins(people, login):
    html = login(people["admin"]).get("/admin/users").get_data(as_text=True)
    group = re.search(r'<details class="nav-group">\s*<summary class="current">Admin</summary>(.*?)</details>', html, re.S)
    assert group, "the Admin group is marked current on an admin page"
    assert [label for label in re.findall(r'>([^<>]+)</a>', group.group(1))] == [
        "Programme results", "People", "Teams", "Webhooks", "Audit log"]
    assert '<summary>Admin</summary>' in login(people["admin"]).get("/").get_data(as_text=True)
    agent_html = login(people["agent"]).get("/").get_data(as_text=True)
    assert "<summary>Admin</summary>" not in agent_html


def test_no_message_in_the_code_counts_with_a_bracketed_plural():
    from pathlib import Path

    root = Path(__file__).parent.parent
    sources = [*root.glob("learning/**/*.py"), *root.glob("templates/**/*.html")]
    assert [str(p) for p in sources if re.search(r"[a-z]\((s|es)\)(?!\s*\}\})", p.read_text())] == []


def test_team_progress_cells_name_their_column_for_the_phone_cards(people, login):
    html = login(people["coach_a"]).get(f"/progress/team/{people['team_a'].id}").get_data(as_text=True)
    assert '<main class="page wide"' in html
    assert '<table class="stack">' in html
    assert 'data-label="Open goals"' in html
