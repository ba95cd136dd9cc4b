"""`/competencies`: everyone reads the framework; admins edit it."""
from flask import Blueprint, flash, redirect, render_template, request, url_for

from learning.competencies.forms import CompetencyForm
from learning.competencies.models import Competency, CompetencyLevel
from learning.competencies.service import framework, save_competency
from learning.refusals import Refused
from learning.web import employee, get_or_404, role_required, show_refusal

bp = Blueprint("competencies", __name__)


@bp.route("/competencies")
@employee
def index():
    return render_template("competencies/index.html", areas=framework())


@bp.route("/competencies/new", methods=["GET", "POST"], defaults={"competency_id": None})
@bp.route("/competencies/<int:competency_id>/edit", methods=["GET", "POST"])
@role_required("admin")
def edit(competency_id):
    competency = get_or_404(Competency, Competency.id == competency_id) if competency_id else None
    form = CompetencyForm(obj=competency)
    if request.method == "GET" and competency:
        for field, level in zip(form.level_fields(), competency.levels.order_by(CompetencyLevel.level)):
            field.data = level.descriptor
    if form.validate_on_submit():
        try:
            save_competency(competency, form.name.data, form.area.data, form.description.data,
                            form.position.data, [f.data for f in form.level_fields()])
        except Refused as error:
            show_refusal(form, error)
        else:
            flash(f"{form.name.data.strip()} is saved.", "success")
            return redirect(url_for("competencies.index"))
    return render_template("competencies/form.html", form=form, competency=competency)
