"""Full-text search of the case library: the words a person typed -> a condition on Case.

Every word must appear, as a word or the start of one ("listen" finds
"listening"), in the case's text or its takeaway's, case-insensitively. The
index is the engine's own (migration 0013):

- SQLite: the FTS5 table `case_search` (one document per discussed case,
  rowid = case id), kept in step by triggers on `case` and `takeaway`;
- PostgreSQL: GIN indexes on `to_tsvector('simple', ...)` of the case's text
  (discussed cases) and of the takeaway's text.

What the person typed never reaches either query language as syntax: it is cut
into runs of letters and digits, each quoted as a plain term.
"""
import re

from peewee import SQL, NodeList

from learning.cases.models import Case
from learning.db import db, is_sqlite

MAX_WORDS = 8
MAX_WORD_LENGTH = 60
_WORD = re.compile(r"[^\W_]+")

# Must stay the expressions the PostgreSQL indexes of migration 0013 are built on.
CASE_TEXT = "title || ' ' || customer_need || ' ' || actions || ' ' || outcome || ' ' || ask"
TAKEAWAY_TEXT = "what_worked || ' ' || do_differently || ' ' || principle"


def search_words(text):
    """The words of a search, lower-cased, without punctuation or query syntax (at most 8)."""
    words = [word[:MAX_WORD_LENGTH] for word in _WORD.findall((text or "").lower())]
    return list(dict.fromkeys(words))[:MAX_WORDS]


def matching(text):
    """A condition on Case: discussed cases whose text (theirs or their takeaway's) holds
    every word of `text` as a word or a word's start; None when `text` has no word."""
    words = search_words(text)
    if not words:
        return None
    if is_sqlite():
        return _sqlite_matching(words)
    condition = None
    for word in words:
        part = _postgresql_matching(word)
        condition = part if condition is None else condition & part
    return condition


def _sqlite_matching(words):
    # Each word a quoted FTS5 string ("" would stand for a quote: none survive search_words)
    # with a prefix star; terms side by side must all match.
    # "+id" keeps SQLite from driving the query from the matches (half the library for a
    # common word, then sorted): it walks the newest discussed cases and stops after a page.
    expression = " ".join(f'"{word}"*' for word in words)
    return NodeList((SQL("+"), Case.id), glue="").in_(SQL(f"(SELECT rowid FROM case_search WHERE case_search MATCH {db.param})", [expression]))


def _postgresql_matching(word):
    # "(id IN (...)) IS TRUE" keeps PostgreSQL from joining the matches in (half the library for
    # a common word, then sorted): the matches become a hashed set, checked while it walks the
    # newest discussed cases, stopping after a page.
    term = f"'{word}':*"     # a quoted lexeme with a prefix mark; words hold no quote
    param = db.param
    return NodeList((NodeList((_postgresql_in(term, param),), parens=True), SQL("IS TRUE")))


def _postgresql_in(term, param):
    return Case.id.in_(SQL(
        f"(SELECT id FROM \"case\" WHERE status = 'discussed'"
        f" AND to_tsvector('simple', {CASE_TEXT}) @@ to_tsquery('simple', {param})"
        f" UNION SELECT case_id FROM takeaway"
        f" WHERE to_tsvector('simple', {TAKEAWAY_TEXT}) @@ to_tsquery('simple', {param}))", [term, term]))
