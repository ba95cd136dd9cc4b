"""`/notifications`: the centre (read/unread, mark read), preferences, and the
signed unsubscribe link from every mail."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from learning.accounts.models import User
from learning.notify import service
from learning.notify.forms import preferences_form
from learning.notify.kinds import KINDS, KIND_SHORT
from learning.notify.tokens import read_unsubscribe_token
from learning.web import csrf, employee, no_referrer, paginate, token_access

bp = Blueprint("notify", __name__)


@bp.route("/notifications")
@employee
def index():
    unread_only = request.args.get("show") == "unread"
    page = paginate(service.notifications_for(current_user, unread_only))
    return render_template("notify/index.html", page=page, unread_only=unread_only, kind_labels=KIND_SHORT)


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@employee
def mark_read(notification_id):
    notice = service.mark_read(current_user, notification_id)
    if notice is None:
        abort(404)
    if request.form.get("open") and notice.link.startswith("/") and not notice.link.startswith("//"):
        return redirect(notice.link)
    page = request.form.get("page", "")
    return redirect(url_for("notify.index", page=int(page)) if page.isdigit() else url_for("notify.index"))


@bp.route("/notifications/read-all", methods=["POST"])
@employee
def mark_all_read():
    count = service.mark_all_read(current_user)
    flash(f"{count} notice{'s' if count != 1 else ''} marked read." if count else "Nothing was unread.", "success")
    return redirect(url_for("notify.index"))


@bp.route("/notifications/preferences", methods=["GET", "POST"])
@employee
def preferences():
    form = preferences_form(service.preferences_for(current_user))
    if form.validate_on_submit():
        service.save_preferences(current_user, {kind: form[kind].data for kind in KINDS})
        flash("Your notice settings are saved.", "success")
        return redirect(url_for("notify.preferences"))
    return render_template("notify/preferences.html", form=form, kinds=KINDS)


@bp.route("/notifications/unsubscribe/<token>", methods=["GET", "POST"])
@token_access
@csrf.exempt
def unsubscribe(token):
    """GET asks, POST (the page's button, or a mail client's one-click) acts."""
    no_referrer()
    found = read_unsubscribe_token(token)
    user = User.get_or_none(User.id == found[0]) if found else None
    if user is None or (found[1] not in KINDS and found[1] != "digest"):
        abort(404)
    label = KINDS.get(found[1], "your daily digest")
    if request.method == "POST":
        service.unsubscribe(user, found[1])
        return render_template("notify/unsubscribed.html", label=label, done=True)
    return render_template("notify/unsubscribed.html", label=label, done=False, token=token)
