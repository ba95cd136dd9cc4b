"""Full-text search of the case library: what a person typed -> the best matching cases, ranked,
and their highlighted snippets. Every search box over cases asks here (`ranked_cases`,
`highlights`); nothing else writes a text condition on cases.

The index (migration 0032) holds one document per discussed case, built only from what every
employee may read in the library: the case's title and narrative (redacted from submission on)
and its takeaway. SQLite: the FTS5 table `case_search(title, body)` with the Porter stemmer,
ranked by bm25(), marked by highlight() and snippet(). PostgreSQL: the table `case_search`
with a tsvector (title weighted A, body B) under a GIN index, in the configuration
`case_english` (English stems, no stop words), ranked by ts_rank(), marked by ts_headline().

What a person may type, alike on both engines (as in a web search):
- words: a case must hold every one, in any form ("refunds" finds "refund", "angry refund"
  finds a case with both, anywhere in it);
- "quoted words": those words in that order (so do words joined by punctuation: e-mail);
- a leading minus: leave out the cases with that word or quoted phrase;
- OR between groups of words: cases matching either group.
Anything else is read as words: what a person typed never reaches either engine's query
language as syntax, so no input can fail or search for something else.

A title match counts more than a body match. Only the CANDIDATES most recent matching cases are
ranked: ranking every match of a common word (87% of 140,000 discussed cases at bench scale 10
on PostgreSQL) took 52 ms with two parallel workers; walking the most recent first and stopping
at 500 matches, 5 ms. On SQLite at scale 1: 14 ms for all 12,000 matches, 1 ms for 500.
"""
import re
from dataclasses import dataclass

from markupsafe import Markup, escape
from peewee import SQL, Expression, NodeList, Select, Table, fn

from learning.cases.models import Case, Takeaway
from learning.db import db, is_sqlite

CANDIDATES = 500          # the most recent matches that are ranked (see the docstring)
MAX_TERMS = 8             # words or phrases in one search
MAX_PHRASE_WORDS = 8
MAX_WORD_LENGTH = 60
TITLE_WEIGHT = 2.5        # SQLite's bm25 column weight, as ts_rank's A (1.0) to B (0.4)
START, STOP = "\x02", "\x03"   # around a match in a snippet: control characters stored text never holds
CONFIG = "case_english"

_WORD = re.compile(r"[^\W_]+")
_PART = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')

# The index, as migration 0032 built it on PostgreSQL, and on SQLite (whose hidden column
# `case_search` stands for the whole table in MATCH and the ranking and snippet functions).
SEARCH = Table("case_search", ("case_id", "document")).bind(db)
FTS = Table("case_search", ("rowid", "title", "body", "case_search")).bind(db)
# The body as migration 0032 indexes it, a line each.
BODY = (Case.customer_need, Case.actions, Case.outcome, Case.ask, Takeaway.what_worked, Takeaway.do_differently,
        Takeaway.principle)


@dataclass
class Group:
    """Cases holding every `include` term and no `exclude` term; a term is a tuple of words."""
    include: list
    exclude: list


@dataclass(frozen=True)
class Highlight:
    title: Markup
    excerpt: Markup


def parse(text):
    """The groups of a search (any one of them matches), or [] when it holds no word to look for."""
    groups, current, count = [], Group([], []), 0
    for match in _PART.finditer((text or "").lower()):
        minus, quoted, raw = match.group(1) or match.group(3), match.group(2), match.group(4)
        if quoted is None and raw == "or" and not minus:
            groups.append(current)
            current = Group([], [])
            continue
        words = tuple(w[:MAX_WORD_LENGTH] for w in _WORD.findall(quoted if quoted is not None else raw))
        words = words[:MAX_PHRASE_WORDS]
        terms = current.exclude if minus else current.include
        if words and words not in terms and count < MAX_TERMS:
            terms.append(words)
            count += 1
    return [group for group in groups + [current] if group.include]


def fts5_query(groups):
    """FTS5 query text: each term a quoted string (a phrase), which no typed character can leave."""
    def quoted(terms, glue):
        return "(" + glue.join('"' + " ".join(words) + '"' for words in terms) + ")"
    return " OR ".join("(" + quoted(g.include, " AND ") + (" NOT " + quoted(g.exclude, " OR ") if g.exclude else "")
                       + ")" for g in groups)


def tsquery_text(groups):
    """to_tsquery text: each term a quoted string, which PostgreSQL parses into a phrase of stems."""
    def quoted(terms, glue):
        return "(" + glue.join("'" + " ".join(words) + "'" for words in terms) + ")"
    return " | ".join("(" + quoted(g.include, " & ") + (" & !" + quoted(g.exclude, " | ") if g.exclude else "")
                      + ")" for g in groups)


def ranked_cases(text, condition=None):
    """The CANDIDATES most recent discussed cases (by id: the order they were written) matching
    `text` and `condition` (on Case), best first, as a subquery of (case_id, rank), a higher rank
    a better match; None when `text` holds no word. Order by `best_first` alone: then PostgreSQL
    reads the cases of the page only, not every candidate's (5 ms instead of 52 at scale 10)."""
    groups = parse(text)
    if not groups:
        return None
    if is_sqlite():
        newest = _sqlite_ranked(fts5_query(groups), condition)
    else:
        newest = _postgresql_ranked(tsquery_text(groups), condition)
    newest = newest.alias("newest")
    return Select((newest,), (newest.c.case_id, newest.c.rank)).order_by(*best_first(newest)).bind(db)


def best_first(found):
    """The order of ranked_cases' rows: best rank, then the most recent case."""
    return found.c.rank.desc(), found.c.case_id.desc()


def _sqlite_ranked(expression, condition):
    # FTS5 walks the matches from the highest rowid down, ranking each, and stops at CANDIDATES.
    # "+" keeps the IN a test on each match: as a constraint, FTS5 would run the whole search
    # again for every id it holds.
    rank = fn.bm25(FTS.case_search, TITLE_WEIGHT, 1.0) * -1   # bm25: lower is better
    found = (FTS.select(FTS.rowid.alias("case_id"), rank.alias("rank"))
             .where(Expression(FTS.case_search, "MATCH", expression))
             .order_by(FTS.rowid.desc()).limit(CANDIDATES))
    if condition is not None:
        found = found.where(_unary_plus(FTS.rowid).in_(Case.select(Case.id).where(condition)))
    return found


def _unary_plus(column):
    return NodeList((SQL("+"), column), glue="")


def _postgresql_ranked(text, condition):
    # Walks case_search's primary key backwards testing each document, for a common word; the
    # planner takes the GIN index instead for a rare one (the column's statistics tell which).
    query = fn.to_tsquery(CONFIG, text)
    rank = fn.ts_rank(SEARCH.document, query, 1)   # 1: divided by 1 + the log of the document's length
    found = (SEARCH.select(SEARCH.case_id, rank.alias("rank"))
             .where(Expression(SEARCH.document, "@@", query))
             .order_by(SEARCH.case_id.desc()).limit(CANDIDATES))
    if condition is not None:
        found = found.join(Case, on=(Case.id == SEARCH.case_id)).where(condition)
    return found


def highlights(case_ids, text):
    """{case id: Highlight} for these cases: the title with the matches marked, and an excerpt
    of the body around them; {} when `text` holds no word."""
    groups = parse(text)
    if not groups or not case_ids:
        return {}
    rows = _sqlite_highlights(case_ids, groups) if is_sqlite() else _postgresql_highlights(case_ids, groups)
    return {case_id: Highlight(marked(title), marked(excerpt)) for case_id, title, excerpt in rows}


def _sqlite_highlights(case_ids, groups):
    # "+": the matches are walked once, marking only the page's cases (1 ms for a four-word search
    # at scale 1, where a lookup per id ran the whole search 26 times: 11 ms).
    column = FTS.case_search
    return (FTS.select(FTS.rowid, fn.highlight(column, 0, START, STOP),
                       fn.snippet(column, 1, START, STOP, "…", 24))
            .where(Expression(column, "MATCH", fts5_query(groups)), _unary_plus(FTS.rowid).in_(list(case_ids)))
            .tuples())


def _postgresql_highlights(case_ids, groups):
    marks = f"StartSel={START}, StopSel={STOP}"
    query = fn.to_tsquery(CONFIG, tsquery_text(groups))
    body = fn.concat_ws("\n", *BODY)
    excerpt = fn.ts_headline(CONFIG, body, query, marks + ", MaxWords=30, MinWords=15, MaxFragments=2,"
                             " FragmentDelimiter=\" … \"")
    rows = (Case.select(Case.id, fn.ts_headline(CONFIG, Case.title, query, marks + ", HighlightAll=true"), excerpt,
                        body)
            .join(Takeaway, on=(Takeaway.case == Case.id)).where(Case.id.in_(list(case_ids))).tuples())
    return [(case_id, title, _ellipses(excerpt, body)) for case_id, title, excerpt, body in rows]


def _ellipses(excerpt, body):
    """An ellipsis where the excerpt leaves out the body's start or end (ts_headline adds none)."""
    plain = excerpt.replace(START, "").replace(STOP, "").strip()
    head = "" if body.strip().startswith(plain.split(" … ")[0]) else "…"
    tail = "" if body.strip().endswith(plain.split(" … ")[-1]) else "…"
    return head + excerpt.strip() + tail


def marked(text):
    """Text from the index as HTML: every part escaped, then each match between START and STOP
    wrapped in <mark> (so the markers never pass through as markup); line breaks read as spaces."""
    first, *rest = " ".join((text or "").split()).split(START)
    html = [escape(first.replace(STOP, ""))]
    for part in rest:
        match, _, after = part.partition(STOP)
        html += ["<mark>", escape(match.replace(STOP, "")), "</mark>", escape(after.replace(STOP, ""))]
    return Markup("".join(html))
