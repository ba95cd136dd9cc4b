"""What stored text may hold: one line, or prose.

A single-line value (a title, a name, a place, a link) ends up in a calendar
property, a mail header, a CSV cell and an HTML attribute; a line break or any
other control character there breaks the format (icalendar refuses an
unescaped newline in X-WR-CALNAME; a CR/LF in a mail header is header
injection; a stray ESC or BEL corrupts a terminal or a spreadsheet). Prose
(descriptions, narratives, comments) keeps its line breaks and tabs and loses
every other control character.

The model fields here apply the rule on the way into the database, so every
writer (forms, services, the CLI, imports, `Model.update()`) gets it; they fold
rather than refuse because the same conversion serves lookups, and a search
for a pasted value must find nothing rather than crash. Forms refuse the same
characters first, with a message (learning.forms_common).
"""
import re

import peewee as pw

# C0 and C1 control characters (Unicode category Cc, DEL included) and the two
# Unicode line and paragraph separators, which str.splitlines and JavaScript
# also read as line breaks.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
PROSE_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]+")   # all of them but TAB, LF and CR


def has_control_characters(text):
    return bool(CONTROL.search(text or ""))


def fold_line(text):
    """One line: each run of control characters (line breaks and tabs included) becomes one space."""
    return CONTROL.sub(" ", text)


def clean_prose(text):
    """Prose: line breaks and tabs kept, every other control character dropped."""
    return PROSE_CONTROL.sub("", text)


class LineField(pw.CharField):
    """A single-line text column: control characters are folded on every write."""

    def db_value(self, value):
        return super().db_value(fold_line(value) if isinstance(value, str) else value)


class ProseField(pw.TextField):
    """A multi-line text column: keeps line breaks and tabs, drops other control characters."""

    def db_value(self, value):
        return super().db_value(clean_prose(value) if isinstance(value, str) else value)
