"""Choosing a password through a mailed link: the invitation, the forgotten-password request
and its reset link, and the admin's "invite again everyone who never signed in"."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_user

from learning.accounts import sign_in_links
from learning.accounts.forms import ChoosePasswordForm, ForgotPasswordForm
from learning.refusals import Refused
from learning.web import no_referrer, public, role_required, show_refusal, token_access
from learning.wording import count_of

bp = Blueprint("passwords", __name__)

PAGES = {
    "invitation": ("Welcome, {name}", "Choose a password to finish setting up your account.", "Save and sign in"),
    "reset": ("Choose a new password", "For {email}. Every other device you are signed in on will be signed out.",
              "Save and sign in"),
}


def _choose(token, purpose):
    """GET shows the form (nothing is used up); POST sets the password and signs the person in here."""
    no_referrer()  # the link is a secret: the page sends it to no one as a Referer
    held = sign_in_links.holder_of(token, purpose)
    if held is None:
        return render_template("accounts/link_expired.html", purpose=purpose), 410
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        try:
            user = sign_in_links.choose_password(token, purpose, form.password.data)
        except Refused as refusal:
            show_refusal(form, refusal)
        else:
            login_user(user)
            flash("Your password is saved. Welcome." if purpose == "invitation" else
                  "Your password is changed. Other devices are signed out.", "success")
            return redirect(url_for("home.dashboard"))
    title, lead, button = PAGES[purpose]
    user = held[1]
    return render_template("accounts/choose_password.html", form=form, title=title.format(name=user.display_name),
                           lead=lead.format(email=user.email), button=button)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@token_access
def invitation(token):
    return _choose(token, "invitation")


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@token_access
def reset(token):
    return _choose(token, "reset")


@bp.route("/password/forgot", methods=["GET", "POST"])
@public
def forgot():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        try:
            sign_in_links.request_reset(form.email.data, request.remote_addr)
        except Refused as refusal:
            form.form_errors.append(str(refusal))
            return render_template("accounts/forgot.html", form=form), 429
        flash("If an account uses that address, a link to choose a new password is on its way. "
              "It works once, for one hour.", "info")
        return redirect(url_for("passwords.forgot"))
    return render_template("accounts/forgot.html", form=form)


@bp.route("/admin/users/invitations", methods=["POST"])
@role_required("admin")
def resend_invitations():
    sent = sign_in_links.reinvite_never_signed_in()
    flash(f"Sent {count_of(sent, 'invitation')} to everyone who has not signed in yet." if sent else
          "Everyone active has signed in at least once: no invitation sent.", "success" if sent else "info")
    return redirect(url_for("accounts.users"))
