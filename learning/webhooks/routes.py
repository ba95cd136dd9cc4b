"""`/admin/webhooks`: admins' webhook endpoints, the test event and the delivery log with
"retry now"; `/teams/<id>/chat`: a team's Slack and Teams hooks, for its coaches and admins
(anyone else gets a 404)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from learning.accounts.models import Team
from learning.outreach.service import may_act_on_team
from learning.web import attempt, get_or_404, paginate, role_required, visible_or_404
from learning.webhooks import chat, service
from learning.webhooks.events import EVENTS
from learning.webhooks.forms import ChatForm, EndpointForm
from learning.webhooks.models import Delivery, Endpoint

bp = Blueprint("webhooks", __name__)


def webhook_or_404(endpoint_id):
    return get_or_404(Endpoint, Endpoint.id == endpoint_id, Endpoint.kind == "webhook")


@bp.route("/admin/webhooks", methods=["GET", "POST"])
@role_required("admin")
def index():
    form = EndpointForm()
    if form.validate_on_submit():
        endpoint = attempt(form, service.save_endpoint, current_user, None, form.url.data, form.events.data,
                           form.active.data)
        if endpoint is not None:
            flash("Endpoint added. Copy its signing secret into the receiver.", "success")
            return redirect(url_for("webhooks.endpoint", endpoint_id=endpoint.id))
    page = paginate(service.webhooks())
    return render_template("webhooks/index.html", form=form, page=page, events=EVENTS,
                           last=service.last_deliveries([e.id for e in page.items])), 400 if form.errors else 200


@bp.route("/admin/webhooks/<int:endpoint_id>", methods=["GET", "POST"])
@role_required("admin")
def endpoint(endpoint_id):
    item = webhook_or_404(endpoint_id)
    saved = {"url": item.url, "events": item.event_names, "active": item.active}
    form = EndpointForm(data=saved) if request.method == "GET" else EndpointForm()
    if form.validate_on_submit() and attempt(form, service.save_endpoint, current_user, item, form.url.data,
                                             form.events.data, form.active.data):
        flash("Endpoint saved.", "success")
        return redirect(url_for("webhooks.endpoint", endpoint_id=item.id))
    return render_template("webhooks/endpoint.html", item=item, form=form, events=EVENTS,
                           page=paginate(service.deliveries_of(item))), 400 if form.errors else 200


def endpoint_action(endpoint_id, change, done):
    """Run `change` on the webhook, flash `done` (or the refusal) and go back to its page."""
    item = webhook_or_404(endpoint_id)
    if attempt(None, change, item) is not None:
        flash(done, "success")
    return redirect(url_for("webhooks.endpoint", endpoint_id=item.id))


@bp.route("/admin/webhooks/<int:endpoint_id>/test", methods=["POST"])
@role_required("admin")
def send_test(endpoint_id):
    return endpoint_action(endpoint_id, service.send_test,
                           "A test event is queued: the mail worker sends it on its next round.")


@bp.route("/admin/webhooks/<int:endpoint_id>/secret", methods=["POST"])
@role_required("admin")
def new_secret(endpoint_id):
    return endpoint_action(endpoint_id, lambda item: service.new_secret_for(current_user, item),
                           "A new signing secret is set: put it in the receiver now.")


@bp.route("/admin/webhooks/<int:endpoint_id>/delete", methods=["POST"])
@role_required("admin")
def delete(endpoint_id):
    service.delete_endpoint(current_user, webhook_or_404(endpoint_id))
    flash("Endpoint deleted with its delivery log.", "success")
    return redirect(url_for("webhooks.index"))


@bp.route("/admin/webhooks/deliveries/<int:delivery_id>/retry", methods=["POST"])
@role_required("admin")
def retry(delivery_id):
    delivery = get_or_404(Delivery, Delivery.id == delivery_id)
    if attempt(None, service.retry_now, delivery) is not None:
        flash("Queued again: the mail worker tries it on its next round.", "success")
    return redirect(url_for("webhooks.endpoint", endpoint_id=delivery.endpoint_id))


@bp.route("/teams/<int:team_id>/chat", methods=["GET", "POST"])
@role_required("coach")
def team_chat(team_id):
    team = visible_or_404(Team, team_id, may_act_on_team)
    hooks = chat.chat_hooks(team)
    form = ChatForm(data={kind: hook.url for kind, hook in hooks.items()}) if request.method == "GET" else ChatForm()
    if form.validate_on_submit() and attempt(form, chat.set_chat_hooks, current_user, team,
                                             {"slack": form.slack.data, "teams": form.teams.data}) is not None:
        flash(f"Chat for {team.name} saved.", "success")
        return redirect(url_for("webhooks.team_chat", team_id=team.id))
    return render_template("webhooks/team_chat.html", team=team, form=form, hooks=hooks,
                           last=service.last_deliveries([h.id for h in hooks.values()])), 400 if form.errors else 200
