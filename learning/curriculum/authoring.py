"""Writing the curriculum: modules with their competencies and prerequisites, units,
publishing, and cohorts. Coaches and admins author; the routes check the role.

Prerequisites form a graph that must stay acyclic: saving an edge that closes a
cycle is refused with the cycle named ("A → B → A").
"""
from datetime import timedelta

import peewee as pw

from learning.accounts.models import User
from learning.accounts.service import coached_team_ids
from learning.competencies.models import Competency
from learning.competencies.service import FOUNDATION_AREA
from learning.competencies.service import choices as competency_choices
from learning.curriculum.models import Cohort, Enrolment, Module, ModuleCompetency, Prerequisite, Unit
from learning.curriculum.service import SEATS, announce, sync_session_places
from learning.db import db, utcnow
from learning.refusals import Refused
from learning.schedule.models import Series, Session
from learning.schedule.seats import capacity_refusal
from learning.web import paginate

MAX_HOURS = 500
MAX_VALIDITY_MONTHS = 120


def visible_modules(user):
    """Published modules for everyone; drafts too for coaches and admins."""
    return _visible(Module.select(), drafts=user.is_coach)


def _visible(query, drafts, area=None):
    """`query` narrowed to published modules (unless `drafts`) and to one `area` (unless None)."""
    conditions = ([] if drafts else [Module.status == "published"]) + ([] if area is None else [Module.area == area])
    return query.where(*conditions) if conditions else query


def visible_module(user, module_id):
    return visible_modules(user).where(Module.id == module_id).first()


def find_cycle(module, required_ids):
    """The cycle that `module` requiring `required_ids` would close, as a list of
    titles from `module` back to itself, or None. One query for the whole graph."""
    edges = {}
    for link in Prerequisite.select(Prerequisite.module, Prerequisite.requires).where(
            Prerequisite.module != module.id):
        edges.setdefault(link.module_id, []).append(link.requires_id)
    edges[module.id] = list(required_ids)
    path = _path_back(module.id, module.id, edges, [module.id], set())
    if path is None:
        return None
    titles = {m.id: m.title for m in Module.select(Module.id, Module.title).where(Module.id.in_(path))}
    titles[module.id] = module.title
    return [titles[i] for i in path]


def _path_back(start, target, edges, path, seen):
    for nxt in edges.get(start, []):
        if nxt == target:
            return path + [target]
        if nxt not in seen:
            seen.add(nxt)
            found = _path_back(nxt, target, edges, path + [nxt], seen)
            if found:
                return found
    return None


@db.atomic()
def save_module(module, by, title, summary, area, estimated_hours, validity_months=None,
                competency_ids=(), prerequisite_ids=()):
    """Create (module None) or change a module with its competencies and prerequisites."""
    title, area = (title or "").strip(), (area or "").strip()
    if not title:
        raise Refused("Enter a title.", "title")
    if not area:
        raise Refused("Enter the area, e.g. Emotional support.", "area")
    clash = Module.get_or_none(Module.title == title)
    if clash and (module is None or clash.id != module.id):
        raise Refused("A module with this title already exists.", "title")
    if not isinstance(estimated_hours, int) or not 1 <= estimated_hours <= MAX_HOURS:
        raise Refused(f"Estimate the hours as a whole number from 1 to {MAX_HOURS}.", "estimated_hours")
    if validity_months is not None and not 1 <= validity_months <= MAX_VALIDITY_MONTHS:
        raise Refused(f"Validity is 1 to {MAX_VALIDITY_MONTHS} months, or empty for no expiry.",
                      "validity_months")
    competency_ids, prerequisite_ids = list(dict.fromkeys(competency_ids)), list(dict.fromkeys(prerequisite_ids))
    if Competency.select().where(Competency.id.in_(competency_ids)).count() != len(competency_ids):
        raise Refused("Choose competencies from the list.", "competencies")
    if Module.select().where(Module.id.in_(prerequisite_ids)).count() != len(prerequisite_ids):
        raise Refused("Choose prerequisites from the list.", "prerequisites")
    if module is None:
        module = Module(created_by=by)
    module.title, module.summary, module.area = title, summary or "", area
    module.estimated_hours, module.validity_months, module.updated_at = estimated_hours, validity_months, utcnow()
    module.save()
    cycle = find_cycle(module, prerequisite_ids)
    if cycle:
        raise Refused("These prerequisites would make a cycle: " + " → ".join(cycle) + ".",
                      "prerequisites")
    ModuleCompetency.delete().where(ModuleCompetency.module == module).execute()
    if competency_ids:
        ModuleCompetency.insert_many([{"module": module.id, "competency": c} for c in competency_ids]).execute()
    Prerequisite.delete().where(Prerequisite.module == module).execute()
    if prerequisite_ids:
        Prerequisite.insert_many([{"module": module.id, "requires": r} for r in prerequisite_ids]).execute()
    return module


@db.atomic()
def set_published(module, published):
    module.status = "published" if published else "draft"
    if published and module.published_at is None:
        module.published_at = utcnow()
    module.updated_at = utcnow()
    module.save()
    return module


@db.atomic()
def save_unit(unit, module, title, material="", position=None, session_id=None, exercise=""):
    title = (title or "").strip()
    if not title:
        raise Refused("Enter a title for the unit.", "title")
    if session_id is not None and not Session.select().where(Session.id == session_id).exists():
        raise Refused("Choose a session from the list.", "session")
    if unit is None:
        unit = Unit(module=module)
        if position is None:
            last = Unit.select(Unit.position).where(Unit.module == module).order_by(Unit.position.desc()).first()
            position = (last.position + 1) if last else 1
    unit.title, unit.material, unit.exercise = title, material or "", (exercise or "").strip()
    unit.session = session_id
    if position is not None:
        unit.position = position
    unit.save()
    return unit


def delete_unit(unit):
    unit.delete_instance()


def module_series_choices():
    """Active series of kind "module", newest first, for the cohort form."""
    return list(Series.select(Series.id, Series.title).where(Series.kind == "module", Series.active == True)  # noqa: E712
                .order_by(Series.id.desc()))


@db.atomic()
def save_cohort(cohort, module, by, title, starts_on, ends_on, capacity=None, series_id=None):
    """Create or change a cohort. A larger capacity promotes from the waitlist."""
    title = (title or "").strip()
    if not title:
        raise Refused("Enter a name for the cohort, e.g. Spring 2027.", "title")
    if starts_on is None:
        raise Refused("Enter the start date.", "starts_on")
    if ends_on is None or ends_on < starts_on:
        raise Refused("The end date must be on or after the start date.", "ends_on")
    if capacity_refusal(capacity):
        raise Refused(capacity_refusal(capacity), "capacity")
    if series_id is not None and not Series.select().where(Series.id == series_id, Series.kind == "module").exists():
        raise Refused("Choose a module series from the programme schedule.", "series")
    if cohort is None:
        cohort = Cohort(module=module, created_by=by)
    else:
        cohort = SEATS.lock_parent(cohort)
    series_changed = cohort.series_id != series_id
    cohort.title, cohort.starts_on, cohort.ends_on = title, starts_on, ends_on
    cohort.capacity, cohort.series = capacity, series_id
    cohort.save()
    promoted = SEATS.fill_free_seats(cohort)
    for place in promoted:
        announce(place, "waitlisted", promoted=True)
    if series_changed:
        for place in Enrolment.select().where(Enrolment.cohort == cohort, Enrolment.status == "going",
                                              Enrolment.id.not_in([p.id for p in promoted])):
            sync_session_places(place)
    return cohort


def module_outline(module):
    """(competencies, prerequisites, units) of one module, three queries."""
    competencies = list(Competency.select().join(ModuleCompetency)
                        .where(ModuleCompetency.module == module).order_by(Competency.name))
    prerequisites = list(Module.select().join(Prerequisite, on=(Prerequisite.requires == Module.id))
                         .where(Prerequisite.module == module).order_by(Module.title))
    units = list(Unit.select(Unit, Session).join(Session, join_type=pw.JOIN.LEFT_OUTER, on=(Unit.session == Session.id))
                 .where(Unit.module == module).order_by(Unit.position, Unit.id))
    return competencies, prerequisites, units


def cohorts_with_seats(module):
    """The module's cohorts, latest first, each with `going` and `waiting` counts (two queries)."""
    cohorts = list(Cohort.select().where(Cohort.module == module).order_by(Cohort.starts_on.desc()))
    counts = {}
    for row in (Enrolment.select(Enrolment.cohort, Enrolment.status, pw.fn.COUNT(Enrolment.id).alias("n"))
                .where(Enrolment.cohort.in_([c.id for c in cohorts]), Enrolment.status != "withdrawn")
                .group_by(Enrolment.cohort, Enrolment.status)):
        counts[(row.cohort_id, row.status)] = row.n
    for cohort in cohorts:
        cohort.going = counts.get((cohort.id, "going"), 0)
        cohort.waiting = counts.get((cohort.id, "waitlisted"), 0)
    return cohorts


def catalogue_page(user, area):
    """The page named by `?page=` of catalogue_query(user, area)."""
    return paginate(catalogue_query(user, area))


def catalogue_query(user, area):
    """The modules `user` may see (drafts too for coaches), the foundation area first, then by
    area and title; `area` narrows to one area."""
    foundation_first = pw.Case(None, [(Module.area == FOUNDATION_AREA, 0)], 1)
    return (_visible(Module.select(), user.is_coach, area or None)
            .order_by(foundation_first, Module.area, Module.title, Module.id))


def catalogue_areas(user):
    return [area for (area,) in _visible(Module.select(Module.area), user.is_coach).distinct()
            .order_by(Module.area).tuples()]


def fill_module_choices(form, module):
    """Competencies in framework order; every other module as a possible prerequisite."""
    form.competencies.choices = competency_choices()
    others = Module.select(Module.id, Module.title).order_by(Module.title)
    if module is not None:
        others = others.where(Module.id != module.id)
        if not form.is_submitted():
            form.competencies.data = [link.competency_id for link in module.competency_links]
            form.prerequisites.data = [link.requires_id for link in module.prerequisite_links]
    form.prerequisites.choices = [(m.id, m.title) for m in others]


def session_choices(limit=300):
    """Sessions a unit may link to: the next ones first, with their series' title."""
    rows = (Session.select(Session.id, Session.starts_at, Series.title).join(Series)
            .where(Session.status != "cancelled", Session.starts_at >= utcnow() - timedelta(days=365))
            .order_by(Session.starts_at).limit(limit))
    return [(None, "No linked session")] + [
        (s.id, f"{s.series.title} · {s.starts_at.strftime('%d %b %Y %H:%M')} UTC") for s in rows]


def people_to_enrol(user):
    """(id, name) of the people `user` may enrol: an admin everyone active, a coach their teams."""
    query = User.select(User.id, User.display_name).where(User.active == True)  # noqa: E712
    if not user.is_admin:
        query = query.where(User.team.in_(coached_team_ids(user) or [0]))
    return [(u.id, u.display_name) for u in query.order_by(User.display_name)]
