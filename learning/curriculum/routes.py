"""`/modules` (the catalogue), `/modules/<id>`, `/cohorts/<id>` and the forms to author,
enrol, tick units and complete. Rules live in service.py and authoring.py."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from learning.accounts.models import Team, User
from learning.csv_files import csv_response, wants_csv
from learning.curriculum import authoring, cohort_batch, curriculum_csv, service
from learning.curriculum.forms import CohortEnrolForm, CohortForm, CompleteForm, EnrolPersonForm, ModuleForm, UnitForm
from learning.curriculum.models import Cohort, Enrolment, Unit
from learning.curriculum.roster import cohort_progress
from learning.markdown_text import render_markdown
from learning.refusals import Refused
from learning.schedule.models import Session
from learning.schedule.service import plannable_teams
from learning.web import attempt, employee, get_or_404, role_required, show_refusal

bp = Blueprint("curriculum", __name__)


def _module_or_404(module_id):
    return authoring.visible_module(current_user, module_id) or abort(404)


def _cohort_or_404(cohort_id):
    cohort = get_or_404(Cohort, Cohort.id == cohort_id)
    cohort.module = _module_or_404(cohort.module_id)
    return cohort


@bp.route("/modules")
@employee
def catalogue():
    if wants_csv():
        query = authoring.catalogue_query(current_user, request.args.get("area", ""))
        return csv_response("modules.csv", curriculum_csv.CATALOGUE_COLUMNS,
                            curriculum_csv.catalogue_rows(query, current_user))
    page = authoring.catalogue_page(current_user, request.args.get("area", ""))
    statuses = service.module_status_for(current_user, page.items)
    return render_template("curriculum/catalogue.html", page=page, statuses=statuses,
                           summaries={m.id: render_markdown(m.summary) for m in page.items},
                           areas=authoring.catalogue_areas(current_user), area=request.args.get("area", ""))


@bp.route("/modules/<int:module_id>")
@employee
def module(module_id):
    module = _module_or_404(module_id)
    if wants_csv():
        return csv_response(f"module-{module.id}-cohorts.csv", curriculum_csv.COHORT_COLUMNS,
                            curriculum_csv.cohort_rows(authoring.cohorts_with_seats(module)))
    competencies, prerequisites, units = authoring.module_outline(module)
    status = service.module_status_for(current_user, [module])[module.id]
    done_ids = service.units_done_ids(current_user, module)
    return render_template("curriculum/module.html", module=module, competencies=competencies,
                           prerequisites=prerequisites, units=units, status=status, done_ids=done_ids,
                           cohorts=authoring.cohorts_with_seats(module), today=service.utcnow().date())


@bp.route("/modules/new", methods=["GET", "POST"], defaults={"module_id": None})
@bp.route("/modules/<int:module_id>/edit", methods=["GET", "POST"])
@role_required("coach")
def edit_module(module_id):
    module = _module_or_404(module_id) if module_id else None
    form = ModuleForm(obj=module)
    authoring.fill_module_choices(form, module)
    if form.validate_on_submit():
        try:
            module = authoring.save_module(
                module, current_user, form.title.data, form.summary.data, form.area.data, form.estimated_hours.data,
                form.validity_months.data, form.competencies.data, form.prerequisites.data)
        except Refused as error:
            show_refusal(form, error)
        else:
            flash(f"{module.title} is saved.", "success")
            return redirect(url_for("curriculum.module", module_id=module.id))
    return render_template("curriculum/module_form.html", form=form, module=module)


@bp.route("/modules/<int:module_id>/publish", methods=["POST"])
@role_required("coach")
def publish(module_id):
    module = _module_or_404(module_id)
    if request.form.get("published") not in ("0", "1"):
        abort(400)
    published = request.form.get("published") == "1"
    authoring.set_published(module, published)
    flash(f"{module.title} is {'published' if published else 'back to draft: agents no longer see it'}.", "success")
    return redirect(url_for("curriculum.module", module_id=module.id))


@bp.route("/modules/<int:module_id>/units/new", methods=["GET", "POST"], defaults={"unit_id": None})
@bp.route("/modules/<int:module_id>/units/<int:unit_id>/edit", methods=["GET", "POST"])
@role_required("coach")
def edit_unit(module_id, unit_id):
    module = _module_or_404(module_id)
    unit = get_or_404(Unit, Unit.id == unit_id, Unit.module == module) if unit_id else None
    form = UnitForm(obj=unit)
    form.session.choices = authoring.session_choices()
    if form.validate_on_submit():
        try:
            authoring.save_unit(unit, module, form.title.data, form.material.data, form.position.data,
                                form.session.data, form.exercise.data)
        except Refused as error:
            show_refusal(form, error)
        else:
            flash("The unit is saved.", "success")
            return redirect(url_for("curriculum.module", module_id=module.id) + "#units")
    return render_template("curriculum/unit_form.html", form=form, module=module, unit=unit)


@bp.route("/modules/<int:module_id>/units/<int:unit_id>/delete", methods=["POST"])
@role_required("coach")
def delete_unit(module_id, unit_id):
    module = _module_or_404(module_id)
    authoring.delete_unit(get_or_404(Unit, Unit.id == unit_id, Unit.module == module))
    flash("The unit is removed.", "success")
    return redirect(url_for("curriculum.module", module_id=module.id) + "#units")


@bp.route("/units/<int:unit_id>/tick", methods=["POST"])
@employee
def tick(unit_id):
    unit = get_or_404(Unit, Unit.id == unit_id)
    module = _module_or_404(unit.module_id)
    try:
        completion = service.tick_unit(current_user, unit, done=request.form.get("done") != "0")
    except Refused as error:
        show_refusal(None, error)
    else:
        if completion:
            flash(f"You completed {module.title}. Well done!", "success")
    return redirect(url_for("curriculum.module", module_id=module.id) + f"#unit-{unit.id}")


@bp.route("/modules/<int:module_id>/cohorts/new", methods=["GET", "POST"], defaults={"cohort_id": None})
@bp.route("/modules/<int:module_id>/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@role_required("coach")
def edit_cohort(module_id, cohort_id):
    module = _module_or_404(module_id)
    cohort = get_or_404(Cohort, Cohort.id == cohort_id, Cohort.module == module) if cohort_id else None
    form = CohortForm(obj=cohort)
    form.series.choices = [(None, "No sessions yet")] + [(s.id, s.title) for s in authoring.module_series_choices()]
    if form.validate_on_submit():
        try:
            cohort = authoring.save_cohort(cohort, module, current_user, form.title.data, form.starts_on.data,
                                           form.ends_on.data, form.capacity.data, form.series.data)
        except Refused as error:
            show_refusal(form, error)
        else:
            flash(f"Cohort {cohort.title} is saved.", "success")
            return redirect(url_for("curriculum.cohort", cohort_id=cohort.id))
    return render_template("curriculum/cohort_form.html", form=form, module=module, cohort=cohort)


@bp.route("/cohorts/<int:cohort_id>")
@employee
def cohort(cohort_id):
    cohort = _cohort_or_404(cohort_id)
    if wants_csv():
        return _participants_csv(cohort)
    context = {"cohort": cohort, "module": cohort.module, "place": service.cohort_place(current_user, cohort),
               "sessions": list(service.sessions_of(cohort).order_by(Session.starts_at))}
    if current_user.is_coach:
        context["rows"], context["units_total"], context["sessions_total"] = cohort_progress(cohort)
        context["enrol_form"] = EnrolPersonForm()
        context["enrol_form"].person.choices = authoring.people_to_enrol(current_user)
        context["complete_form"] = CompleteForm()
    return render_template("curriculum/cohort.html", **context)


def _participants_csv(cohort):
    """The participants as the page shows them to coaches and admins; nobody else sees them."""
    if not current_user.is_coach:
        abort(404)
    return csv_response(f"cohort-{cohort.id}-participants.csv", curriculum_csv.PARTICIPANT_COLUMNS,
                        curriculum_csv.participant_rows(cohort_progress(cohort)))


@bp.route("/cohorts/<int:cohort_id>/enrol", methods=["POST"])
@employee
def enrol(cohort_id):
    cohort = _cohort_or_404(cohort_id)
    try:
        place = service.enrol(cohort, current_user)
    except Refused as error:
        show_refusal(None, error)
    else:
        flash(f"You are enrolled in {cohort.title}." if place.status == "going" else
              f"{cohort.title} is full: you are on the waitlist, position "
              f"{service.SEATS.waitlist_position(place)}.", "success")
    return redirect(url_for("curriculum.module", module_id=cohort.module_id))


@bp.route("/cohorts/<int:cohort_id>/leave", methods=["POST"])
@employee
def leave(cohort_id):
    cohort = _cohort_or_404(cohort_id)
    try:
        place = service.cohort_place(current_user, cohort)
        if place is None:
            raise Refused("You have no place in this cohort.")
        service.leave(place)
    except Refused as error:
        show_refusal(None, error)
    else:
        flash(f"You left {cohort.title}. Your ticked units are kept for a later cohort.", "success")
    return redirect(url_for("curriculum.module", module_id=cohort.module_id))


@bp.route("/cohorts/<int:cohort_id>/participants", methods=["POST"])
@role_required("coach")
def enrol_person(cohort_id):
    cohort = _cohort_or_404(cohort_id)
    form = EnrolPersonForm()
    person = User.get_or_none(User.id == form.person.data) if form.validate() else None
    if person is None:
        flash("Choose a person to enrol.", "error")
        return redirect(url_for("curriculum.cohort", cohort_id=cohort.id))
    try:
        place = service.enrol(cohort, person, by=current_user, override_note=form.override_note.data)
    except Refused as error:
        show_refusal(None, error)
    else:
        flash(f"{person.display_name} is {'enrolled' if place.status == 'going' else 'on the waitlist'}.", "success")
    return redirect(url_for("curriculum.cohort", cohort_id=cohort.id))


@bp.route("/cohorts/<int:cohort_id>/enrol-people", methods=["GET", "POST"])
@role_required("coach")
def enrol_people(cohort_id):
    cohort = _cohort_or_404(cohort_id)
    teams = list(plannable_teams(current_user))
    people = [] if current_user.is_admin else list(cohort_batch.enrollable_people(current_user))
    sources = [c for c in cohort_batch.visible_cohorts(current_user) if c.id != cohort.id]
    form = CohortEnrolForm(teams=teams, people=people, cohorts=sources,
                           data={"team_id": teams[0].id if len(teams) == 1 else 0})
    outcomes = None
    if form.validate_on_submit():
        team = Team.get_or_none(Team.id == form.team_id.data) if form.team_id.data else None
        source = Cohort.get_or_none(Cohort.id == form.cohort_id.data) if form.cohort_id.data else None
        outcomes = attempt(form, cohort_batch.enrol_people, cohort, current_user, team, form.user_ids.data or [],
                           form.override_note.data or "", source)
    status = 400 if form.errors or form.form_errors else 200
    return render_template("curriculum/enrol_people.html", cohort=cohort, module=cohort.module, form=form,
                           outcomes=outcomes), status


@bp.route("/cohorts/<int:cohort_id>/participants/<int:enrolment_id>/leave", methods=["POST"])
@role_required("coach")
def remove_participant(cohort_id, enrolment_id):
    cohort = _cohort_or_404(cohort_id)
    place = get_or_404(Enrolment, Enrolment.id == enrolment_id, Enrolment.cohort == cohort)
    try:
        service.leave(place, by=current_user)
    except Refused as error:
        show_refusal(None, error)
    else:
        flash(f"{place.user.display_name} left {cohort.title}; their ticked units are kept.", "success")
    return redirect(url_for("curriculum.cohort", cohort_id=cohort.id))


@bp.route("/cohorts/<int:cohort_id>/participants/<int:enrolment_id>/complete", methods=["POST"])
@role_required("coach")
def complete_participant(cohort_id, enrolment_id):
    cohort = _cohort_or_404(cohort_id)
    place = get_or_404(Enrolment, Enrolment.id == enrolment_id, Enrolment.cohort == cohort)
    form = CompleteForm()
    try:
        if not form.validate():
            raise Refused(form.note.errors[0] if form.note.errors else "Write a note saying why.")
        service.complete_by_coach(place.user, cohort.module, current_user, form.note.data)
    except Refused as error:
        show_refusal(None, error)
    else:
        flash(f"{place.user.display_name} completed {cohort.module.title}.", "success")
    return redirect(url_for("curriculum.cohort", cohort_id=cohort.id))
