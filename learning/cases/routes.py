"""`/cases`, `/cases/new`, `/cases/<id>` (with edit, withdraw, vote, discussion,
takeaways) and `/library`; the meetup agenda `/sessions/<id>/agenda` is agenda_routes.py's blueprint."""
import hashlib
import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from learning.cases import case_csv, causes, library, meetups, search, service
from learning.cases.forms import CaseForm, CauseTagForm, CommentForm, LibrarySearchForm, TakeawayForm, lines
from learning.cases.models import CHANNEL_LABELS, Takeaway
from learning.cases.redaction import KIND_LABELS
from learning.cases.visibility import Viewer, visible_case_or_404
from learning.competencies.service import choices as competency_choices
from learning.csv_files import csv_response, wants_csv
from learning.refusals import Refused
from learning.web import employee, format_local, paginate, role_required, show_refusal

bp = Blueprint("cases", __name__)


@bp.route("/cases")
@employee
def index():
    show = "queue" if request.args.get("show") == "queue" else "mine"
    if wants_csv():
        return csv_response(f"cases-{show}.csv", case_csv.CASE_COLUMNS,
                            case_csv.case_list_rows(library.case_list_query(current_user, show), current_user))
    page = paginate(library.case_list_query(current_user, show))
    ids = [case.id for case in page.items]
    return render_template("cases/index.html", page=page, show=show, viewer=Viewer(current_user),
                           votes=service.vote_counts(ids), meetups=service.upcoming_meetups_for(current_user, 5, going_only=not current_user.is_coach))


@bp.route("/cases/new", methods=["GET", "POST"])
@employee
def new():
    return _case_form(None)


@bp.route("/cases/<int:case_id>/edit", methods=["GET", "POST"])
@employee
def edit(case_id):
    case = visible_case_or_404(current_user, case_id)
    if case.author_id != current_user.id or not case.is_open:
        abort(404)
    return _case_form(case)


def _case_form(case):
    """Save a draft, preview the redaction, or submit (only what the preview showed)."""
    form = CaseForm(obj=case)
    _fill_choices(form, case)
    if request.method == "GET" and case is not None:
        form.meetup.data = case.meetup_id
        form.competencies.data = [link.competency_id for link in case.competency_links]
    preview = None
    action = request.form.get("action", "preview")
    drafting = case is None or case.status == "draft"
    if request.method == "POST":
        if action == "draft" and drafting:
            valid = form.validate()
        else:
            valid = form.validate_for_submit()
        if valid:
            if action == "draft" and drafting:
                return _save(form, case, submit=False)
            keep = lines(form.keep.data)
            names = service.names_to_confirm(form.case_data(), lines(form.names.data), keep)
            fingerprint = _fingerprint(form, names, keep)
            if action == "submit" and form.reviewed.data == fingerprint:
                return _save(form, case, submit=True, names=names, keep=keep)
            preview = service.preview_redaction(form.case_data(), names, keep)
            form.names.data, form.reviewed.data = "\n".join(names), fingerprint
    return render_template("cases/form.html", form=form, case=case, preview=preview, drafting=drafting,
                           kinds=KIND_LABELS)


def _fill_choices(form, case):
    form.competencies.choices = competency_choices()
    meetups = service.upcoming_meetups_for(current_user)
    form.meetup.choices = [("", "The next meetup that takes it")] + [
        (s.id, f"{s.series.title} · {format_local(s.starts_at)}") for s in meetups]
    if case is not None and case.meetup_id and case.meetup_id not in {s.id for s in meetups}:
        form.meetup.choices.append((case.meetup_id, "The meetup chosen before"))


def _fingerprint(form, names, keep):
    """What the author saw in the preview: submitting anything else shows the preview again."""
    data = form.case_data()
    data.update(names=sorted({name.lower() for name in names}), keep=keep)
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _save(form, case, submit, names=(), keep=()):
    try:
        saved = service.save_case(current_user, case, form.case_data(), names, keep, submit=submit)
    except Refused as error:
        show_refusal(form, error)
        return render_template("cases/form.html", form=form, case=case, preview=None,
                               drafting=case is None or case.status == "draft", kinds=KIND_LABELS)
    if submit:
        flash("Your case is submitted. Only the redacted text was kept.", "success")
    else:
        flash("Draft saved. Only you can see it.", "success")
    return redirect(url_for("cases.show", case_id=saved.id))


@bp.route("/cases/<int:case_id>")
@employee
def show(case_id):
    case = visible_case_or_404(current_user, case_id)
    viewer = Viewer(current_user)
    read_discussion = meetups.may_read_discussion(current_user, case)
    return render_template(
        "cases/show.html", case=case, viewer=viewer,
        competencies=library.competencies_by_case([case])[case.id],
        votes=service.vote_counts([case.id]).get(case.id, 0),
        voted=case.id in service.voted_by(current_user, [case.id]),
        may_vote=service.may_vote(current_user, case),
        meetup=meetups.meetup_or_none(case.meetup_id) if case.meetup_id else None,
        takeaway=Takeaway.get_or_none(Takeaway.case == case),
        read_discussion=read_discussion,
        comments=meetups.comments_for(case) if read_discussion else [],
        may_comment=meetups.may_comment(current_user, case),
        may_record=meetups.takeaways_form_open(current_user, case),
        takeaways_open_at=meetups.takeaways_open_at(current_user, case),
        comment_form=CommentForm(), cause_form=_cause_form(case) if causes.may_tag(current_user, case) else None)


def _cause_form(case):
    form = CauseTagForm(formdata=None, cause=case.cause_id,
                        avoidable={True: "yes", False: "no"}.get(case.avoidable, ""))
    form.cause.choices = [("", "Not tagged yet")] + causes.cause_choices(case.cause_id)
    return form


@bp.route("/cases/<int:case_id>/cause", methods=["POST"])
@employee
def tag_cause(case_id):
    case = visible_case_or_404(current_user, case_id)
    if not causes.may_tag(current_user, case):
        abort(404)
    form = CauseTagForm()
    form.cause.choices = [("", "Not tagged yet")] + causes.cause_choices(case.cause_id)
    if not form.validate_on_submit():
        flash(" ".join(form.cause.errors + form.avoidable.errors) or "The cause could not be saved.", "error")
    else:
        try:
            causes.tag_case(current_user, case.id, form.cause.data, causes.AVOIDABLE_VALUES[form.avoidable.data])
        except Refused as error:
            show_refusal(None, error)
        else:
            flash("The cause is saved.", "success")
    return redirect(url_for("cases.show", case_id=case.id) + "#cause")


@bp.route("/cases/<int:case_id>/withdraw", methods=["POST"])
@employee
def withdraw(case_id):
    case = visible_case_or_404(current_user, case_id)
    try:
        service.withdraw_case(current_user, case)
    except Refused as error:
        show_refusal(None, error)
    else:
        flash("The case is withdrawn.", "success")
    return redirect(url_for("cases.show", case_id=case.id))


@bp.route("/cases/<int:case_id>/vote", methods=["POST"])
@employee
def vote(case_id):
    case = visible_case_or_404(current_user, case_id)
    try:
        service.upvote(current_user, case)
    except Refused as error:
        show_refusal(None, error)
    else:
        flash("Your vote is counted.", "success")
    return redirect(request.form.get("next") if _is_local(request.form.get("next"))
                    else url_for("cases.show", case_id=case.id))


def _is_local(url):
    return bool(url) and url.startswith("/") and not url.startswith("//")


@bp.route("/cases/<int:case_id>/comments", methods=["POST"])
@employee
def comment(case_id):
    case = visible_case_or_404(current_user, case_id)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            added = meetups.add_comment(current_user, case, form.body.data)
        except Refused as error:
            show_refusal(None, error)
        else:
            removed = added.body != form.body.data.strip()
            flash("Your comment is added" + (" (customer data was removed)." if removed else "."), "success")
    else:
        flash(" ".join(form.body.errors) or "Your comment could not be added.", "error")
    return redirect(url_for("cases.show", case_id=case.id) + "#discussion")


@bp.route("/cases/<int:case_id>/takeaways", methods=["GET", "POST"])
@role_required("coach")
def takeaways(case_id):
    case = visible_case_or_404(current_user, case_id)
    if not meetups.takeaways_form_open(current_user, case):
        opens = meetups.takeaways_open_at(current_user, case)
        if opens is None:
            abort(404)
        flash("The takeaways are recorded once the meetup has begun.", "warning")
        return redirect(url_for("cases.show", case_id=case.id))
    existing = Takeaway.get_or_none(Takeaway.case == case)
    form = TakeawayForm(obj=existing)
    form.competencies.choices = competency_choices()
    if request.method == "GET" and existing:
        form.competencies.data = [link.competency_id for link in existing.competency_links]
    if form.validate_on_submit():
        try:
            meetups.record_takeaways(current_user, case, form.what_worked.data, form.do_differently.data,
                                     form.principle.data, form.competencies.data or [])
        except Refused as error:
            show_refusal(form, error)
        else:
            flash("Takeaways recorded: the case is in the library.", "success")
            return redirect(url_for("cases.show", case_id=case.id))
    return render_template("cases/takeaways.html", form=form, case=case, viewer=Viewer(current_user))


@bp.route("/cases/debriefs/<int:prompt_id>", methods=["POST"])
@role_required("coach")
def debrief(prompt_id):
    try:
        if service.mark_debrief(current_user, prompt_id, request.form.get("status")) is None:
            abort(404)
    except Refused as error:
        show_refusal(None, error)
    else:
        flash("Debrief prompt updated.", "success")
    return redirect(url_for("home.dashboard"))


@bp.route("/library")
@employee
def library_index():
    form = LibrarySearchForm(request.args)
    form.competency.choices = [("", "Any competency")] + competency_choices()
    form.cause.choices = [("", "Any cause")] + causes.cause_choices()
    channel = form.channel.data if form.channel.data in CHANNEL_LABELS else None
    text = (form.q.data or "")[:200]
    query = library.library_query(current_user, text, form.competency.data, channel, form.cause.data)
    if wants_csv():
        return csv_response("case-library.csv", case_csv.LIBRARY_COLUMNS, case_csv.library_rows(query, current_user))
    page = paginate(query)
    highlights = search.highlights([case.id for case in page.items], text)
    return render_template("cases/library.html", page=page, form=form, viewer=Viewer(current_user),
                           competencies=library.competencies_by_case(page.items), highlights=highlights,
                           searched=bool(search.parse(text)), candidates=search.CANDIDATES)
