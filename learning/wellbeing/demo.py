"""Demo pulse: a fortnightly rhythm that began twenty weeks ago on a Friday. Orders & Delivery
answers every round, its workload easing and support rising after the programme started
(with a few comments shared); in Billing & Accounts four of six answer, so its figures stay
hidden, and the admin, in no team, answers too, so that the programme minus Orders & Delivery
still covers five people and Orders & Delivery may be shown. The open round is left for the
demo agent to answer."""
import random
from datetime import timedelta

from learning.wellbeing.aggregates import recount_tallies
from learning.wellbeing.models import QUESTION_KEYS, PulseAnswer, PulseRhythm
from learning.wellbeing.rounds import open_round, programme_today, rhythms, round_on

COMMENTS = ("Queue was long on Mondays, the new rota helped.", "The debrief after the outage call mattered.",
            "Still not allowed to refund small amounts myself.", "Good fortnight: fewer repeat contacts.")


def _rounds(start, before):
    schedule, day, found = rhythms(), start, []
    while day < before:
        found.append(day)
        day = round_on(day, schedule).ends_on
    return found


def _values(rng, index, count, lift):
    """Four 1-5 answers that improve through the rounds by `lift` in all."""
    base = 2.3 + lift * index / max(1, count - 1)
    return {key: max(1, min(5, round(base + rng.uniform(-0.9, 0.9) + (0.4 if key == "support" else 0))))
            for key in QUESTION_KEYS}


def load(context):
    if PulseRhythm.select().exists():
        return None
    users = context.get("users", {})
    today = programme_today()
    start = today - timedelta(weeks=20)
    start -= timedelta(days=(start.weekday() - 4) % 7)          # the Friday before
    PulseRhythm.create(starts_on=start, every_weeks=2, set_by=users.get("admin@example.com"))
    current = open_round(today)
    days = _rounds(start, current.starts_on)
    by_team = {}
    for user in users.values():
        by_team.setdefault(user.team.name if user.team_id else None, []).append(user)
    answering = sorted(by_team.get("Orders & Delivery", []), key=lambda u: u.email)
    answering += sorted(by_team.get("Billing & Accounts", []), key=lambda u: u.email)[:4]
    answering += by_team.get(None, [])
    rows = []
    for person in answering:
        rng = random.Random(person.email)
        lift = 1.6 if person.team_id and person.team.name == "Orders & Delivery" else 0.3
        for index, day in enumerate(days):
            comment = COMMENTS[index % len(COMMENTS)] if rng.random() < 0.15 else ""
            rows.append(dict(user=person.id, team=person.team_id, round_on=day, comment=comment,
                             share_comment=bool(comment), **_values(rng, index, len(days), lift)))
    PulseAnswer.insert_many(rows).execute()
    recount_tallies()
    return f"a fortnightly pulse from {start:%-d %b %Y}: {len(rows)} answers in {len(days)} closed rounds"
