"""Answering the pulse and a person's own history. Answers are the person's own: nothing here
tells anyone else, writes an audit line or sends a notice, whatever the answer; a low answer
only makes the person's own page offer a coaching request or a debrief."""
from peewee import IntegrityError

from learning.db import db
from learning.refusals import Refused
from learning.wellbeing.aggregates import count_answer
from learning.wellbeing.models import QUESTION_KEYS, PulseAnswer
from learning.wellbeing.rounds import open_round


def answer_for(user, current):
    """The person's answer in the round `current` (None when not answered or no round)."""
    if current is None:
        return None
    return PulseAnswer.get_or_none(PulseAnswer.user == user.id, PulseAnswer.round_on == current.starts_on)


@db.atomic()
def answer_pulse(user, values, comment="", share_comment=False, today=None):
    """Record `user`'s answer in the open round: `values` {question key: 1-5}."""
    current = open_round(today)
    if current is None:
        raise Refused("No pulse is open at the moment.")
    if answer_for(user, current) is not None:
        raise Refused("You have answered this round already. The next one opens "
                      f"{current.ends_on:%-d %B}.")
    for key in QUESTION_KEYS:
        if values.get(key) not in (1, 2, 3, 4, 5):
            raise Refused("Choose 1 to 5.", key)
    comment = (comment or "").strip()
    try:
        with db.atomic():   # a second tab posting at once meets the unique index
            answer = PulseAnswer.create(user=user.id, team=user.team_id, round_on=current.starts_on,
                                        comment=comment, share_comment=bool(share_comment and comment),
                                        **{key: values[key] for key in QUESTION_KEYS})
    except IntegrityError:
        raise Refused("You have answered this round already.") from None
    count_answer(answer)
    return answer


def my_answers(user, limit=26):
    """The person's own answers, newest round first."""
    return list(PulseAnswer.select().where(PulseAnswer.user == user.id)
                .order_by(PulseAnswer.round_on.desc()).limit(limit))
