"""Demo people: an admin and two teams, each with a coach and five agents (seeds/people.json);
some carry the employee id and start date an HR list would give them (seeds/people-sample.csv
imports over them: one new person, one changed time zone). The first coach gets an API token,
printed once by `flask seed demo`, to try the API with (docs/api.md)."""
from datetime import date

from learning.accounts import api_tokens, service
from learning.accounts.models import Team, User
from learning.seeds import read_seed


def load(context):
    data = read_seed("people.json")
    context["users"] = {}
    if User.select().where(User.email == data["admin"]["email"]).exists():
        context["users"] = {u.email: u for u in User.select()}
        return None
    added = 0
    admin = service.create_user(data["admin"]["email"], data["admin"]["name"], data["password"], role="admin",
                                timezone=data["timezone"], check_policy=False)
    context["users"][admin.email] = admin
    for team_data in data["teams"]:
        coach_data = team_data["coach"]
        team = Team.get_or_none(Team.name == team_data["name"]) or Team.create(name=team_data["name"])
        coach = service.create_user(coach_data["email"], coach_data["name"], data["password"], role="coach",
                                    team=team, timezone=data["timezone"], check_policy=False)
        service.set_team_coaches(team, [coach.id])
        context["users"][coach.email] = coach
        for email, name, *zone in team_data["agents"]:
            agent = service.create_user(email, name, data["password"], team=team,
                                        timezone=zone[0] if zone else data["timezone"], check_policy=False)
            context["users"][email] = agent
        added += 1 + len(team_data["agents"])
    for email, (employee_id, start) in data.get("hr_records", {}).items():
        User.update(employee_id=employee_id, start_date=date.fromisoformat(start)).where(User.email == email).execute()
    coach = context["users"][data["teams"][0]["coach"]["email"]]
    _, secret = api_tokens.issue_token(coach, "Team room display (demo)", "write")
    return f"{added + 1} people in {len(data['teams'])} teams; {coach.email}'s API token (shown once): {secret}"
