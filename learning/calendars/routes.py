"""Calendar pages: `/calendar` (the person's feeds), `/calendar/feed/<token>.ics`,
`/sessions/<id>.ics`, `/checkins/<id>.ics` and `/calendar/import`."""
from urllib.parse import quote

from flask import Blueprint, abort, flash, make_response, redirect, render_template, request, session, url_for
from flask_login import current_user

from learning.calendars import choices, ical, importer, service
from learning.calendars.forms import ImportForm, SubscribeForm
from learning.refusals import Refused
from learning.schedule.models import Series, Session
from learning.web import employee, no_referrer, role_required, show_refusal, token_access

bp = Blueprint("calendars", __name__)
ICS = "text/calendar; charset=utf-8"


def _ics(body, filename=None):
    response = make_response(body)
    response.headers["Content-Type"] = ICS
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _links(feed):
    token = service.feed_token(feed)
    if token is None:
        return None
    https = url_for("calendars.feed", token=token, _external=True)
    webcal = "webcal://" + https.split("://", 1)[1]
    google = "https://calendar.google.com/calendar/render?cid=" + quote(webcal, safe="")
    # Outlook on the web's "Subscribe from web" page, filled in: work and school accounts
    # (outlook.office.com) and personal ones (outlook.live.com).
    outlook = f"/calendar/0/addfromweb?url={quote(https, safe='')}&name={quote(feed_name(feed), safe='')}"
    return {"https": https, "webcal": webcal, "google": google,
            "outlook": "https://outlook.office.com" + outlook, "outlook_personal": "https://outlook.live.com" + outlook}


def feed_name(feed):
    """The calendar's name in the calendar app: the feed's title as this page shows it."""
    return f"Support Development: {getattr(feed, 'title', '') or 'my programme'}"


def _show_once(feed):
    """Carry a just-made token to the next view of the page: it is stored nowhere else in the clear."""
    if getattr(feed, "token", None):
        session["new_feed_token"] = [feed.id, feed.token]


@bp.route("/calendar")
@employee
def calendar_page():
    no_referrer()
    feeds = service.feeds_of(current_user)
    shown_id, token = session.pop("new_feed_token", None) or (None, None)
    for feed in feeds:
        if feed.id == shown_id:
            feed.token = token
    form = SubscribeForm()
    form.feed.choices = choices.subscribable(current_user)
    return render_template("calendars/calendar.html", feeds=[(f, _links(f)) for f in feeds], form=form)


@bp.route("/calendar/feeds", methods=["POST"])
@employee
def subscribe():
    form = SubscribeForm()
    form.feed.choices = choices.subscribable(current_user)
    if form.validate_on_submit():
        scope, _, key = form.feed.data.partition(":")
        try:
            _show_once(service.subscribe(current_user, scope, key))
            flash("Your calendar address is below. Add it to your calendar app.", "success")
        except Refused as error:
            show_refusal(None, error)
    else:
        flash("Choose a calendar from the list.", "error")
    return redirect(url_for("calendars.calendar_page"))


@bp.route("/calendar/feeds/<int:feed_id>/regenerate", methods=["POST"])
@employee
def regenerate(feed_id):
    feed = service.owned_feed(current_user, feed_id) or abort(404)
    _show_once(service.regenerate(feed))
    flash("New address made. The old one stopped working: update your calendar app.", "success")
    return redirect(url_for("calendars.calendar_page"))


@bp.route("/calendar/feeds/<int:feed_id>/revoke", methods=["POST"])
@employee
def revoke(feed_id):
    feed = service.owned_feed(current_user, feed_id) or abort(404)
    service.revoke(feed)
    flash("Calendar address removed. Calendar apps subscribed to it stop updating.", "success")
    return redirect(url_for("calendars.calendar_page"))


@bp.route("/calendar/feed/<token>.ics")
@token_access
def feed(token):
    found = service.find_feed(token)
    if found is None:
        abort(404)
    answer = service.serve(found, set(request.if_none_match.as_set(include_weak=True)),
                           request.if_modified_since and request.if_modified_since.replace(tzinfo=None))
    response = _ics(answer.body) if answer.body is not None else make_response("", 304)
    response.set_etag(answer.etag)
    response.last_modified = answer.last_modified
    # Private: the feed is one person's. Fresh for as long as the calendar's own
    # REFRESH-INTERVAL asks apps to wait between polls.
    response.headers["Cache-Control"] = f"private, max-age={int(ical.REFRESH.total_seconds())}"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/sessions/<int:session_id>.ics")
@employee
def session_ics(session_id):
    session = Session.select(Session, Series).join(Series).where(Session.id == session_id).first() or abort(404)
    event = ical.session_properties(session, stamp=max(session.changed_at, session.series.updated_at))
    return _ics(ical.calendar_bytes([event], session.series.title), f"session-{session.id}.ics")


@bp.route("/checkins/<int:checkin_id>.ics")
@employee
def checkin_ics(checkin_id):
    checkin = choices.visible_checkin(current_user, checkin_id) or abort(404)
    event = ical.checkin_properties(checkin, checkin.title)
    return _ics(ical.calendar_bytes([event], "Coaching check-in"), f"checkin-{checkin.id}.ics")


@bp.route("/calendar/import", methods=["GET", "POST"])
@role_required("coach")
def import_ics():
    form = ImportForm()
    form.series.choices = choices.importable_series(current_user)
    if not form.is_submitted():
        form.timezone.data = current_user.timezone
        return render_template("calendars/import.html", form=form, preview=None)
    try:
        plan = importer.plan_from_form(form, current_user)
    except Refused as error:
        show_refusal(form, error)
        return render_template("calendars/import.html", form=form, preview=None), 400
    if request.form.get("confirm") != "1":
        return render_template("calendars/import.html", form=form, preview=plan)
    series, counts = importer.apply(plan, current_user)
    flash(f"Imported into {series.title}: {counts['create']} created, {counts['update']} updated, "
          f"{counts['skip']} skipped.", "success")
    return redirect(url_for("calendars.import_ics"))
