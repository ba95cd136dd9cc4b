"""The generator's later parts: cases with their discussions and causes, modules with
cohorts and enrolments, coaching plans with check-ins and ratings, monthly service
measures, operations feedback items and a year of the wellbeing pulse. Each reads what
generate.py wrote (the Organisation)."""
from datetime import date, timedelta

from bench import words
from learning.cases.models import AgendaItem, Case, CaseCompetency, Comment, Takeaway, TakeawayCompetency, Vote
from learning.coaching.models import Action, CheckIn, Goal, Plan, PlanCompetency, Rating
from learning.curriculum.models import Cohort, Completion, Enrolment, Module, ModuleCompetency, Prerequisite, Unit
from learning.feedback.models import FeedbackCase, FeedbackItem, FeedbackStatusChange
from learning.progress.models import MeasureDefinition, ServiceMeasure
from learning.wellbeing.models import Departure, PulseAnswer, PulseRhythm, PulseTally

CHANNELS = ("phone", "email", "chat", "social", "in_person")


def _scaled(value, scale, minimum=1):
    return max(minimum, round(value * scale))


def _case_status(rng):
    roll = rng.random()
    if roll < 0.70:
        return "discussed"
    return "submitted" if roll < 0.82 else ("scheduled" if roll < 0.90 else ("draft" if roll < 0.95 else "withdrawn"))


def write_cases(org, writer, rng):
    meetups = {}   # team id -> ([past session rows], [future session rows])
    by_series = {s[0]: s for s in org.series}
    for session in org.sessions:
        kind, team_id = by_series[session[1]][1], by_series[session[1]][2]
        if kind == "case_review":
            meetups.setdefault(team_id, ([], []))[0 if session[3] < org.now else 1].append(session)
    cases, links, votes, items, comments, takeaways, takeaway_links = [], [], [], [], [], [], []
    for case_id in range(1, _scaled(20000, org.scale, 10) + 1):
        author = rng.choice(org.agent_ids)
        team_id = org.team_of[author]
        past, future = meetups.get(team_id, ([], []))
        status = _case_status(rng)
        if (status == "discussed" and not past) or (status == "scheduled" and not future):
            status = "submitted"
        meetup = rng.choice(past if status == "discussed" else future) if status in ("discussed", "scheduled") \
            else None
        submitted = (meetup[2] - timedelta(days=rng.randint(2, 20))) if meetup else \
            org.now - timedelta(days=rng.randint(1, 60))
        discussed = meetup[3] if status == "discussed" else None
        topic = rng.choice(words.TOPICS)
        cases.append((case_id, author, team_id, f"A hard call about {topic} ({case_id})", rng.choice(CHANNELS),
                      words.paragraph(rng), words.paragraph(rng), words.sentence(rng),
                      f"How would you handle the {topic}?", rng.randint(1, 5), rng.random() < 0.2, status,
                      meetup[0] if meetup else None, submitted, submitted, None if status == "draft" else submitted,
                      discussed, *_cause_of(case_id)))
        links.append((case_id, case_id, rng.choice(org.competency_ids)))
        for voter in rng.sample(org.members[team_id], min(2, len(org.members[team_id]))):
            if voter != author:
                votes.append((len(votes) + 1, case_id, voter, submitted))
        if meetup:
            items.append((len(items) + 1, meetup[0], case_id, 1 + case_id % 4, 15,
                          "discussed" if discussed else "planned", submitted))
        if discussed:
            coach = rng.choice(org.coaches_of_team.get(team_id) or org.coach_ids)
            for speaker in (rng.choice(org.members[team_id]), coach):
                comments.append((len(comments) + 1, case_id, meetup[0], speaker, words.sentence(rng), discussed))
            takeaways.append((len(takeaways) + 1, case_id, meetup[0], words.sentence(rng), words.sentence(rng),
                              f"Own the {topic} until it is resolved", coach, discussed, discussed))
            takeaway_links.append((len(takeaways), len(takeaways), rng.choice(org.competency_ids)))
            org.discussed_cases.append((case_id, meetup[0]))
    writer.write(Case, ["id", "author", "team", "title", "channel", "customer_need", "actions", "outcome", "ask",
                        "heaviness", "anonymous", "status", "meetup", "created_at", "updated_at", "submitted_at",
                        "discussed_at", "cause", "avoidable"], cases)
    writer.write(CaseCompetency, ["id", "case", "competency"], links)
    writer.write(Vote, ["id", "case", "user", "created_at"], votes)
    writer.write(AgendaItem, ["id", "session", "case", "position", "minutes", "outcome", "created_at"], items)
    writer.write(Comment, ["id", "case", "session", "author", "body", "created_at"], comments)
    writer.write(Takeaway, ["id", "case", "session", "what_worked", "do_differently", "principle", "recorded_by",
                            "created_at", "updated_at"], takeaways)
    writer.write(TakeawayCompetency, ["id", "takeaway", "competency"], takeaway_links)


def _cause_of(case_id):
    """Most cases tagged with one of the ten starting causes, about two in three avoidable (no rng
    draw, so the rest of the organisation stays as it was)."""
    cause = case_id % 12 + 1
    return (cause, case_id % 3 != 0) if cause <= 10 else (None, None)


def write_feedback(org, writer, rng):
    """Operations feedback items raised at past meetups, each with two of its cases and its history;
    a third fixed over the last two years, a third still open."""
    items, links, changes = [], [], []
    discussed = org.discussed_cases
    for item_id in range(1, (_scaled(600, org.scale, 3) if discussed else 0) + 1):
        case_id, session_id = rng.choice(discussed)
        raised = org.now - timedelta(days=rng.randint(1, 700))
        status = ("open", "accepted", "fixed", "declined")[item_id % 4]
        changed = raised + timedelta(days=rng.randint(0, max(0, (org.now - raised).days)))
        items.append((item_id, f"Remove the cause behind case {case_id}", item_id % 10 + 1, "Operations", status,
                      session_id, org.admin_id, raised, changed, changed if status == "fixed" else None))
        links.append((item_id, item_id, case_id))
        changes.append((2 * item_id - 1, item_id, None, "open", org.admin_id, raised))
        if status != "open":
            changes.append((2 * item_id, item_id, "open", status, org.admin_id, changed))
    writer.write(FeedbackItem, ["id", "title", "cause", "owner", "status", "session", "created_by", "created_at",
                                "updated_at", "fixed_at"], items)
    writer.write(FeedbackCase, ["id", "item", "case"], links)
    writer.write(FeedbackStatusChange, ["id", "item", "old_status", "new_status", "changed_by", "changed_at"], changes)


def write_curriculum(org, writer, rng):
    count = _scaled(40, org.scale, 4)
    module_series = [s[0] for s in org.series if s[1] == "module"]
    modules, links, prerequisites, units, cohorts = [], [], [], [], []
    for module_id in range(1, count + 1):
        area = "Boundaries" if module_id == 1 else rng.choice(("Principles", "Advanced"))
        modules.append((module_id, f"Module {module_id}: {rng.choice(words.TOPICS)} in depth", words.paragraph(rng),
                        area, rng.randint(2, 12), 24 if module_id % 5 == 0 else None, "published", org.admin_id,
                        org.now, org.now, org.now - timedelta(days=500)))
        links.append((module_id, module_id, org.competency_ids[module_id % len(org.competency_ids)]))
        if module_id > 1:
            prerequisites.append((len(prerequisites) + 1, module_id, 1))
        for position in range(1, 5):
            units.append((len(units) + 1, module_id, position, f"Unit {position}", words.paragraph(rng), None, ""))
        for number in range(3):
            starts = org.now.date() - timedelta(days=540 - 240 * number + rng.randrange(30))
            series_id = module_series[(module_id * 3 + number) % len(module_series)] if module_series else None
            cohorts.append((len(cohorts) + 1, module_id, f"Cohort {number + 1}", starts, starts + timedelta(days=60),
                            None, series_id, org.admin_id, org.now))
    writer.write(Module, ["id", "title", "summary", "area", "estimated_hours", "validity_months", "status",
                          "created_by", "created_at", "updated_at", "published_at"], modules)
    writer.write(ModuleCompetency, ["id", "module", "competency"], links)
    writer.write(Prerequisite, ["id", "module", "requires"], prerequisites)
    writer.write(Unit, ["id", "module", "position", "title", "material", "session", "exercise"], units)
    writer.write(Cohort, ["id", "module", "title", "starts_on", "ends_on", "capacity", "series", "created_by",
                          "created_at"], cohorts)
    enrolments, completions = [], []
    per_cohort = max(1, _scaled(30000, org.scale) // len(cohorts))
    today = org.now.date()
    for cohort in cohorts:
        people = rng.sample(org.agent_ids, min(per_cohort, len(org.agent_ids)))
        for queue, user_id in enumerate(people, start=1):
            status = "going" if rng.random() < 0.9 else "withdrawn"
            enrolments.append((len(enrolments) + 1, cohort[0], user_id, status, queue, 0, user_id, org.now, org.now))
            if status == "going" and cohort[4] < today and rng.random() < 0.7:
                done = org.now - timedelta(days=(today - cohort[4]).days)
                completions.append((len(completions) + 1, cohort[1], user_id, cohort[0], done, None, "rule"))
    writer.write(Enrolment, ["id", "cohort", "user", "status", "queue_number", "sequence", "enrolled_by",
                             "created_at", "updated_at"], enrolments)
    writer.write(Completion, ["id", "module", "user", "cohort", "completed_at", "expires_at", "method"], completions)


def write_coaching(org, writer, rng):
    """Plans for the first agents (so the benchmark's people have one), with goals, an action and check-ins;
    competency ratings over two years."""
    plans, links, goals, actions, checkins = [], [], [], [], []
    today = org.now.date()
    for plan_id, employee in enumerate(org.agent_ids[:_scaled(3000, org.scale)], start=1):
        team_id = org.team_of[employee]
        coach = (org.coaches_of_team.get(team_id) or org.coach_ids)[0]
        start = today - timedelta(days=rng.randint(10, 300))
        plans.append((plan_id, employee, coach, "Growing in " + rng.choice(words.TOPICS), start,
                      start + timedelta(days=120), "active", org.now, org.now))
        competencies = rng.sample(org.competency_ids, 2)
        for competency in competencies:
            links.append((len(links) + 1, plan_id, competency))
            goals.append((len(goals) + 1, plan_id, competency, words.sentence(rng), rng.randint(3, 5),
                          start + timedelta(days=90), rng.choice(("not_started", "in_progress")), org.now))
        series = rng.choice(org.series)
        actions.append((len(actions) + 1, plan_id, "attend_series", f"Attend {series[0]}", series[0], "open",
                        org.now))
        for number in range(4):
            starts = org.now + timedelta(days=(number - 2) * 30, hours=rng.randint(0, 8))
            checkins.append((len(checkins) + 1, plan_id, employee, coach, starts, starts + timedelta(minutes=30),
                             "Europe/Berlin", "scheduled", 0, org.now, org.now))
    writer.write(Plan, ["id", "employee", "coach", "title", "start_date", "review_date", "status", "created_at",
                        "updated_at"], plans)
    writer.write(PlanCompetency, ["id", "plan", "competency"], links)
    writer.write(Goal, ["id", "plan", "competency", "what_good_looks_like", "target_level", "due_date", "status",
                        "created_at"], goals)
    writer.write(Action, ["id", "plan", "kind", "title", "series", "status", "created_at"], actions)
    writer.write(CheckIn, ["id", "plan", "employee", "coach", "starts_at", "ends_at", "timezone", "status",
                           "sequence", "changed_at", "created_at"], checkins)
    ratings = []
    for rating_id in range(1, _scaled(100000, org.scale) + 1):
        employee = rng.choice(org.agent_ids)
        coach_rated = rng.random() < 0.6
        rater = (org.coaches_of_team.get(org.team_of[employee]) or org.coach_ids)[0] if coach_rated else employee
        rated_on = today - timedelta(days=rng.randrange(730))
        ratings.append((rating_id, employee, rng.choice(org.competency_ids), rng.randint(1, 5), rated_on,
                        "coach" if coach_rated else "self", rater, org.now))
    writer.write(Rating, ["id", "employee", "competency", "level", "rated_on", "source", "rater", "created_at"],
                 ratings)


def write_measures(org, writer, rng):
    """24 months of each seeded measure for every agent."""
    measures = [m.id for m in MeasureDefinition.select(MeasureDefinition.id).order_by(MeasureDefinition.id)]
    rows = []
    for month in months_back(org.now.date(), 24):
        for user_id in org.agent_ids:
            for measure_id in measures:
                rows.append((len(rows) + 1, user_id, month, measure_id, round(rng.uniform(55, 98), 1), org.now))
    writer.write(ServiceMeasure, ["id", "user", "month", "measure", "value", "imported_at"], rows)


def months_back(today, count):
    """The first days of the last `count` months, oldest first."""
    year, month = today.year, today.month
    firsts = []
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        firsts.append(date(year, month, 1))
    return list(reversed(firsts))


PULSE_WEEKS = 52


def write_pulse(org, writer, rng):
    """A fortnightly pulse for a year, three agents in five answering each round, and a
    departure row for one agent in fifty (they stay active, so every page can sign them in:
    the staying figures read the rows and count only those deactivated)."""
    today = org.now.date()
    start = today - timedelta(weeks=PULSE_WEEKS)
    writer.write(PulseRhythm, ["id", "starts_on", "every_weeks", "active", "set_by", "set_at"],
                 [(1, start, 2, True, 1, org.now)])
    rows = []
    for index in range(PULSE_WEEKS // 2):
        round_on = start + timedelta(weeks=2 * index)
        for user_id in org.agent_ids:
            if rng.random() < 0.6:
                values = [rng.randint(1, 5) for _ in range(4)]
                rows.append((len(rows) + 1, user_id, org.team_of[user_id], round_on, *values, "", False, org.now))
    writer.write(PulseAnswer, ["id", "user", "team", "round_on", "workload", "hard_contacts", "allowed_to_fix",
                               "support", "comment", "share_comment", "answered_at"], rows)
    tallies = {}
    for _, _, team_id, round_on, *values in (row[:8] for row in rows):
        tally = tallies.setdefault((round_on, team_id), [0, 0, 0, 0, 0])
        for i, value in enumerate([1] + values):
            tally[i] += value
    writer.write(PulseTally, ["id", "round_on", "team_key", "people", "workload", "hard_contacts", "allowed_to_fix",
                              "support"], [(i + 1, day, team, *sums) for i, ((day, team), sums) in
                                           enumerate(sorted(tallies.items()))])
    leavers = org.agent_ids[::50]
    writer.write(Departure, ["id", "user", "team", "left_on"],
                 [(i + 1, user_id, org.team_of[user_id], today - timedelta(days=rng.randint(1, 360)))
                  for i, user_id in enumerate(leavers)])
