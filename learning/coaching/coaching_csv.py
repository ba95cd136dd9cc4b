"""Coaching lists as CSV rows, from the queries their pages use: the plan list as filtered,
the check-ins a person may see, and rating histories (a person's, and a team's for its
coaches). Private notes are never exported: they live only on the check-in page."""
from learning.accounts.models import User
from learning.coaching import access
from learning.coaching.models import CheckIn, Rating
from learning.coaching.ratings import ratings_query
from learning.coaching.service import checkins_with_people
from learning.competencies.models import Competency

PLAN_COLUMNS = ("Plan", "Title", "Person", "Status", "Started", "Review by", "Acknowledged")
CHECKIN_COLUMNS = ("Check-in", "Person", "Coach", "Starts", "Ends", "Status", "Video link", "Agreed actions",
                   "Acknowledgement", "Acknowledgement comment")
RATING_COLUMNS = ("Competency", "Level", "Rated on", "Source", "Rated by", "Evidence", "Evidence link")
TEAM_RATING_COLUMNS = ("Person", *RATING_COLUMNS)


def plan_rows(query):
    """Rows of a plan list (access.visible_plans, as filtered: the employee joined)."""
    return ((plan.id, plan.title, plan.employee.display_name, plan.status, plan.start_date, plan.review_date,
             plan.acknowledged_at) for plan in query.iterator())


def checkin_rows(user):
    """Every check-in `user` may see (their own, those of the people they coach; an admin's
    every one), newest first."""
    query = checkins_with_people(access.visible_checkins(user)).order_by(CheckIn.starts_at.desc(), CheckIn.id.desc())
    return ((c.id, c.employee.display_name, c.coach.display_name, c.starts_at, c.ends_at, c.status, c.video_url,
             c.agreed_actions, c.acknowledgement, c.acknowledgement_comment) for c in query.iterator())


def rating_rows(person):
    """A person's rating history, by competency and date (as their coaching page shows it)."""
    return (_rating_cells(rating) for rating in ratings_query(Rating.employee == person).iterator())


def team_rating_rows(team, area=None):
    """The rating histories of a team's active members (in one framework `area` when given), by
    person, competency and date: what its ratings grid sums up."""
    person = User.alias()
    members = User.select(User.id).where(User.team == team.id, User.active == True)  # noqa: E712
    condition = Rating.employee.in_(members)
    if area:
        condition &= Competency.area == area
    query = (ratings_query(condition).select_extend(person.id, person.display_name)
             .join_from(Rating, person, on=(Rating.employee == person.id), attr="person")
             .order_by(person.display_name, person.id, Competency.name, Rating.rated_on, Rating.id))
    return ((rating.person.display_name, *_rating_cells(rating)) for rating in query.iterator())


def _rating_cells(rating):
    return (rating.competency.name, rating.level, rating.rated_on, rating.source, rating.rater.display_name,
            rating.evidence, rating.evidence_url)
