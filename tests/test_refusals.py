"""One family of refusals: a service's NotFound is a 404 page, NotAllowed a 403, any other
refusal no route catches a 400 page with its message; a route shows a refusal beside its
field, on the form, or flashed with the page that helps."""
import pytest
from flask import Blueprint
from flask_wtf import FlaskForm
from wtforms import StringField

from learning.curriculum.models import Enrolment
from learning.refusals import NeedsConfirmation, NotAllowed, NotFound, Refused
from learning.web import attempt, public, show_refusal


class NameForm(FlaskForm):
    name = StringField("Name")


def probe_app(app):
    probe = Blueprint("refusal_probe", __name__)
    refusals = {"not-found": NotFound(), "not-allowed": NotAllowed(),
                "refused": Refused("Choose a later date.", "date")}

    @probe.route("/probe/<kind>")
    @public
    def refuse(kind):
        raise refusals[kind]
    app.register_blueprint(probe)


def test_a_refusal_no_route_catches_answers_its_page(own_app):
    probe_app(own_app)
    client = own_app.test_client()
    assert client.get("/probe/not-found").status_code == 404
    assert client.get("/probe/not-allowed").status_code == 403
    refused = client.get("/probe/refused")
    assert refused.status_code == 400 and "Choose a later date." in refused.get_data(as_text=True)


def test_a_refusal_goes_beside_its_field_else_on_the_form(app):
    with app.test_request_context("/", method="POST"):
        form = NameForm(meta={"csrf": False})
        assert attempt(form, lambda: (_ for _ in ()).throw(Refused("Give a name.", "name"))) is None
        assert form.name.errors == ["Give a name."]
        show_refusal(form, Refused("Try again later."))
        assert form.form_errors == ["Try again later."]
        assert attempt(form, lambda value: value * 2, 21) == 42


def test_attempt_leaves_not_found_and_not_allowed_to_their_pages(app):
    with app.test_request_context("/"):
        for refusal in (NotFound(), NotAllowed()):
            with pytest.raises(type(refusal)):
                attempt(None, lambda: (_ for _ in ()).throw(refusal))


def test_every_refusal_is_a_refused_with_its_message_and_field():
    asked = NeedsConfirmation("Three people hold a place.", "capacity", affected=3)
    assert isinstance(asked, Refused) and asked.affected == 3 and asked.field == "capacity"
    assert isinstance(NotFound(), Refused) and str(NotFound()) == "Not found."


def test_a_missing_prerequisite_is_flashed_with_a_link_to_its_module(client, login, people, make_module,
                                                                       make_cohort):
    foundation = make_module("Professional boundaries foundation", area="Professional boundaries")
    cohort = make_cohort(make_module("Emotional support practice", prerequisites=[foundation]))
    login(people["agent"])
    page = client.post(f"/cohorts/{cohort.id}/enrol", follow_redirects=True).get_data(as_text=True)
    assert "Professional boundaries foundation" in page
    assert f'<a href="/modules/{foundation.id}">Open “Professional boundaries foundation”</a>' in page
    assert Enrolment.select().count() == 0
