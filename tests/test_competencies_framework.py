"""The competency framework: seeded from the programme, edited by admins."""
from learning.competencies.models import Competency, CompetencyLevel
from tests.conftest import seed_demo


def test_seeded_framework_puts_boundaries_first(app, client, login, people):
    seed_demo(app)
    login(people["agent"])
    body = client.get("/competencies").get_data(as_text=True)
    assert body.index("Professional boundaries") < body.index("Service principles") < body.index("Emotional support")
    for name in ("Staying centred under pressure", "Listen fully to find the real problem", "Follow up to confirm the fix"):
        assert name in body


def test_admin_adds_a_competency_with_five_levels(client, login, people):
    login(people["admin"])
    data = {"name": "Handling silence", "area": "Service principles", "description": "", "position": 7}
    data.update({f"level_{n}": f"Level {n} text" for n in range(1, 6)})
    assert client.post("/competencies/new", data=data).status_code == 302
    competency = Competency.get(Competency.name == "Handling silence")
    assert [l.level for l in CompetencyLevel.select().where(CompetencyLevel.competency == competency)
            .order_by(CompetencyLevel.level)] == [1, 2, 3, 4, 5]


def test_competency_missing_a_level_writes_nothing(client, login, people):
    login(people["admin"])
    data = {"name": "Incomplete", "area": "X", "level_1": "a", "level_2": "b", "level_3": "", "level_4": "d",
            "level_5": "e"}
    response = client.post("/competencies/new", data=data)
    assert "Describe level 3." in response.get_data(as_text=True)
    assert not Competency.select().where(Competency.name == "Incomplete").exists()
