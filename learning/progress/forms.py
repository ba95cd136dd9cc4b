"""The service-measure import forms: the upload, the confirmation after its preview, and
the mapping of a new export's columns to the measures (a measure source)."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField
from wtforms.validators import DataRequired, Length

from learning.forms_common import SingleLineField
from learning.progress.measure_sources import PERSON_KINDS, TRANSFORMS, Mapping


class MeasureImportForm(FlaskForm):
    file = FileField("CSV file", validators=[FileRequired("Choose a CSV file to import.")])


class ConfirmImportForm(FlaskForm):
    token = HiddenField(validators=[DataRequired(), Length(max=64)])


class SourceNameForm(FlaskForm):
    name = SingleLineField("Source name", validators=[
        DataRequired("Name the export, e.g. Zendesk CSAT by agent."),
        Length(max=100, message="Keep the name under 100 characters.")])


class MappingForm(SourceNameForm):
    """Which column is what; a field per measure (measure_<name>, transform_<name>) is added
    by `mapping_form`."""
    token = HiddenField(validators=[DataRequired(), Length(max=64)])
    person_column = SelectField("Column naming the person", validate_choice=False)
    person_kind = SelectField("It holds their", choices=PERSON_KINDS)
    month_column = SelectField("Column with the month (or a date in it)", validate_choice=False)

    def measure_fields(self):
        """(measure name, column field, transform field) for each measure."""
        return [(name, self[f"measure_{name}"], self[f"transform_{name}"]) for name in self.measure_names]

    def check_columns(self, columns):
        """Per-field messages: a column of the file each, the person and month columns given,
        at least one measure, no column used twice. True when the mapping holds."""
        ok, used = True, {}
        self.person_column.errors, self.month_column.errors = list(self.person_column.errors), list(
            self.month_column.errors)
        required = {self.person_column: "Choose the column that names the person.",
                    self.month_column: "Choose the column with the month or a date."}
        for fld in [self.person_column, self.month_column, *(column for _, column, _ in self.measure_fields())]:
            if not fld.data:
                if fld in required:
                    fld.errors.append(required[fld])
                    ok = False
                continue
            if fld.data not in columns:
                fld.errors = list(fld.errors) + ["Choose a column of the file."]
                ok = False
            elif fld.data in used:
                fld.errors = list(fld.errors) + [f"The column {fld.data} is already used for {used[fld.data]}."]
                ok = False
            else:
                used[fld.data] = fld.label.text
        fields = self.measure_fields()
        if not any(column.data for _, column, _ in fields):
            first = fields[0][1] if fields else self.name
            first.errors = list(first.errors) + ["Map at least one measure to a column."]
            ok = False
        return ok

    def mapping(self):
        return Mapping(self.name.data.strip(), self.person_column.data, self.person_kind.data, self.month_column.data,
                       {name: (column.data, transform.data) for name, column, transform in self.measure_fields()
                        if column.data})


def mapping_form(definitions, columns, **kwargs):
    """A MappingForm with a column and a transform choice per measure in `definitions`."""
    class Form(MappingForm):
        measure_names = [d.name for d in definitions]

    for d in definitions:
        setattr(Form, f"measure_{d.name}", SelectField(d.label, validate_choice=False))
        setattr(Form, f"transform_{d.name}", SelectField(f"{d.label}: values in the file",
                                                         choices=[(k, label) for k, (label, _) in TRANSFORMS.items()]))
    form = Form(**kwargs)
    chosen = [(name, name) for name in columns]
    form.person_column.choices = form.month_column.choices = [("", "Choose a column")] + chosen
    for _, column, _ in form.measure_fields():
        column.choices = [("", "Not in this file")] + chosen
    return form
