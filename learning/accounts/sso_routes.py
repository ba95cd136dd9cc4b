"""Single sign-on pages: the "Sign in with ..." button's POST, which sends the person to
the provider, and the provider's redirect back. The callback is a GET because the
protocol says so (OpenID Connect Core 1.0, section 3.1.2.5); it signs in, and on a first
sign-in may create the person (OIDC_CREATE_PEOPLE)."""
from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_login import login_user

from learning.accounts import sso
from learning.accounts.login import same_site_path
from learning.refusals import Refused
from learning.web import CSP, public

bp = Blueprint("sso", __name__)


def _provider_or_404():
    provider = sso.client()
    if provider is None:
        abort(404)
    return provider


def _failed(message, status):
    return render_template("accounts/sso_failed.html", message=message), status


@bp.route("/login/sso", methods=["POST"])
@public
def start():
    provider = _provider_or_404()
    session["sso_next"] = same_site_path(request.args.get("next")) or ""
    try:
        return provider.authorize_redirect(url_for("sso.callback", _external=True))
    except sso.FAILURES as error:
        sso.log.warning("Single sign-on could not start: %s: %s", type(error).__name__, error)
        return _failed(sso.explain(error), 502)


@bp.route("/login/sso/callback")
@public
def callback():
    provider = _provider_or_404()
    try:
        user = sso.finish_sign_in(provider)
    except Refused as refusal:
        return _failed(str(refusal), 403)
    login_user(user)
    return redirect(session.pop("sso_next", "") or url_for("home.dashboard"))


def let_sign_in_form_reach_provider(response):
    """The CSP's form-action also governs where a submitted form's redirects may lead (CSP
    Level 3, form-action), so the sign-in page lets its single sign-on form go on to the
    provider's authorisation endpoint, and nowhere else."""
    if request.endpoint == "accounts.login" and sso.enabled(current_app.config):
        origin = sso.authorisation_origin(sso.client())
        response.headers["Content-Security-Policy"] = CSP.replace("form-action 'self'", f"form-action 'self' {origin}")
    return response
