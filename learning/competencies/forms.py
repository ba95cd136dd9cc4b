"""The form to add or edit a competency with its five level descriptors."""
from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from learning.forms_common import ProseAreaField, SingleLineField


class CompetencyForm(FlaskForm):
    name = SingleLineField("Name", validators=[DataRequired("Enter a name."), Length(max=120)])
    area = SingleLineField("Area", validators=[DataRequired("Enter the area, e.g. Professional boundaries."), Length(max=80)])
    description = ProseAreaField("Description", validators=[Optional(), Length(max=2000)])
    position = IntegerField("Order in its area", default=0,
                            validators=[Optional(), NumberRange(0, 1000, "Use a number from 0 to 1000.")])
    level_1 = ProseAreaField("Level 1", validators=[DataRequired("Describe level 1."), Length(max=500)])
    level_2 = ProseAreaField("Level 2", validators=[DataRequired("Describe level 2."), Length(max=500)])
    level_3 = ProseAreaField("Level 3", validators=[DataRequired("Describe level 3."), Length(max=500)])
    level_4 = ProseAreaField("Level 4", validators=[DataRequired("Describe level 4."), Length(max=500)])
    level_5 = ProseAreaField("Level 5", validators=[DataRequired("Describe level 5."), Length(max=500)])

    def level_fields(self):
        return [self.level_1, self.level_2, self.level_3, self.level_4, self.level_5]
