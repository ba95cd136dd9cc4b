"""Demo coaching (seeds/coaching.json): plan templates; the demo agent's answered support
request and open requests in both teams; an active plan with goals in different states,
two past check-ins and one upcoming; a year of self and coach ratings showing growth; and coach
ratings for the rest of a team, as a coach fills them in on the team's ratings grid.
Dates are relative to today so the demo stays current."""
from datetime import datetime, timedelta

from learning.accounts.models import Team, User
from learning.coaching import checkins, rating_grid, service
from learning.coaching.models import (CheckIn, CheckInAgendaItem, CheckInNote, Goal, GoalStatusChange,
                                      PlanTemplate, Rating, SupportRequest)
from learning.db import utcnow
from learning.seeds import read_seed
from learning.timezones import to_utc


def load(context):
    data, users, competencies = read_seed("coaching.json"), context["users"], context["competencies"]
    grid = _team_grid(data.get("team_grid"), users)
    if PlanTemplate.select().exists():
        return f"{grid} grid ratings" if grid else None
    templates = {t["name"]: _template(t, users["coach@example.com"], competencies) for t in data["templates"]}
    for item in data["requests"]:
        _request(item, users, competencies)
    plan = _plan(data["plan"], users, competencies, templates)
    points = _ratings(data["ratings"], users, competencies)
    return f"{len(templates)} plan templates, {len(data['requests'])} requests, a plan, {points + grid} ratings"


def _template(item, coach, competencies):
    template = service.save_template(coach, None, item["name"], item["description"])
    for goal in item["goals"]:
        service.add_template_goal(coach, template, competencies[goal["competency"]].id, goal["what"], goal["level"],
                                  goal["days"])
    for action in item["actions"]:
        service.add_template_action(coach, template, action["kind"], action["title"])
    return template


def _ago(days, hour=9):
    return (utcnow() - timedelta(days=days)).replace(hour=hour, minute=0, second=0)


def _request(item, users, competencies):
    request = service.ask_for_support(users[item["employee"]], [competencies[c].id for c in item["competencies"]],
                                      item["description"])
    SupportRequest.update(created_at=_ago(item["days_ago"])).where(SupportRequest.id == request.id).execute()
    if "answer" in item:
        answer = item["answer"]
        service.answer_request(users[answer["by"]], request, answer["text"])
        SupportRequest.update(answered_at=_ago(answer["days_ago"], 14)).where(SupportRequest.id == request.id).execute()


def _plan(item, users, competencies, templates):
    coach, employee = users[item["coach"]], users[item["employee"]]
    today = utcnow().date()
    start = today - timedelta(days=item["start_days_ago"])
    plan = service.create_plan(coach, employee, item["title"], [competencies[c].id for c in item["focus"]], start,
                               today + timedelta(days=item["review_in_days"]), template=templates[item["template"]])
    plan.acknowledged_at = _ago(item["start_days_ago"] - 1, 15)
    plan.save()
    for goal_data in item["goals"]:
        competency = competencies[goal_data["competency"]]
        goal = Goal.get_or_none(Goal.plan == plan, Goal.competency == competency) or service.add_goal(
            coach, plan, competency.id, goal_data["what"], goal_data["level"], today + timedelta(days=goal_data["due_in_days"]))
        for status in goal_data["status"]:
            service.set_goal_status(coach, goal, status)
        GoalStatusChange.update(changed_at=_ago(item["start_days_ago"] // 2)).where(
            GoalStatusChange.goal == goal, GoalStatusChange.old_status.is_null(False)).execute()
    for meeting in item["checkins"]:
        _checkin(meeting, plan, coach, employee)
    return plan


def _checkin(item, plan, coach, employee):
    local = datetime.combine(utcnow().date() + timedelta(days=item["days"]), datetime.min.time()).replace(hour=item["hour"])
    if item["days"] > 0:
        checkin = checkins.schedule_checkin(coach, plan, local, item["minutes"], "https://meet.example.com/coaching-alex")
    else:   # history: written directly, the service refuses the past
        starts = to_utc(local, coach.timezone)
        checkin = CheckIn.create(plan=plan, employee=employee, coach=coach, starts_at=starts, timezone=coach.timezone,
                                 ends_at=starts + timedelta(minutes=item["minutes"]), created_at=starts - timedelta(days=7),
                                 video_url="https://meet.example.com/coaching-alex", changed_at=starts - timedelta(days=7))
    for n, text in enumerate(item.get("agenda", [])):
        CheckInAgendaItem.create(checkin=checkin, author=employee if n % 2 else coach, text=text)
    if "shared" in item:
        CheckInNote.create(checkin=checkin, author=coach, body=item["shared"], created_at=checkin.ends_at)
        CheckInNote.create(checkin=checkin, author=coach, body=item["private"], private=True, created_at=checkin.ends_at)
    if "agreed" in item:
        checkin.agreed_actions, checkin.acknowledgement = item["agreed"], item["ack"]
        checkin.acknowledgement_comment = item.get("ack_comment", "")
        checkin.acknowledged_at = checkin.ends_at + timedelta(days=1)
        checkin.save()


def _ratings(item, users, competencies):
    employee, coach = users[item["employee"]], users[item["coach"]]
    today, months, rows = utcnow().date(), item["months"], []
    for spec in item["competencies"]:
        for source, rater, every in (("self", employee, 1), ("coach", coach, 2)):
            low, high = spec[source]
            for month in range(0, months, every):
                level = low + round((high - low) * month / (months - 1))
                rows.append({"employee": employee.id, "competency": competencies[spec["name"]].id, "level": level,
                             "rated_on": today - timedelta(days=30 * (months - 1 - month) + (3 if source == "coach" else 0)),
                             "source": source, "rater": rater.id, "created_at": utcnow(),
                             "evidence": "Monthly self-check" if source == "self" else "Call reviews and check-in"})
    Rating.insert_many(rows).execute()
    return len(rows)


def _team_grid(item, users):
    """Two rounds of coach ratings on the team's grid (an earlier and a recent one), for the team's members
    but those with a history of their own. Skipped when the team has grid ratings already."""
    if not item:
        return 0
    team = Team.get(Team.name == item["team"])
    coach = users[item["coach"]]
    members = [u.id for u in User.select().where(User.team == team, User.id != coach.id) if u.email not in item["skip"]]
    if not members or Rating.select().where(Rating.employee.in_(members)).exists():
        return 0
    grid = rating_grid.team_grid(team, coach, item["area"])
    count = 0
    for round_, days in enumerate(item["days_ago"]):
        levels = {(m.id, c.id): min(5, 2 + (i + j + round_) % 3 + round_)
                  for i, m in enumerate(grid.members) if m.id in members for j, c in enumerate(grid.competencies)}
        count += rating_grid.rate_cells(coach, grid, levels, utcnow().date() - timedelta(days=days))
    return count
