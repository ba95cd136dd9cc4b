"""Personal names in case write-ups: the names the text itself marks (a
greeting, a sign-off, a title, "my name is", "customer name:") and the names
the author lists.

Names cannot be recognised in general without misreading ordinary words, so
only marked names are found; each one found is then redacted wherever it
occurs, and offered to the author in the preview's list of names to confirm.
"""
from __future__ import annotations

import re

Span = tuple[int, int]

_TITLE = (r"(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Herr|Frau|Mme|Mlle|Madame|Mademoiselle|Monsieur|Mevrouw|Meneer|"
          r"Mevr|Dhr|Dame|Lady|Lord)\.?|M\.)")
def _either(*words):
    """An alternation trying the longest first ("thanks again" before "thanks")."""
    return "(?:" + "|".join(sorted(words, key=len, reverse=True)) + ")"


# What comes right before a name. Greetings and sign-offs at any case; the
# comma keeps "Best" and "Yours" from taking the next sentence's first word.
# A title counts only as written (capitalised).
_GREETINGS_AND_SIGN_OFFS = _either(
    "hi", "hello", "hey", "hiya", "dear", "good morning", "good afternoon", "good evening", "hallo", "liebe",
    "lieber", "sehr geehrte", "sehr geehrter", "bonjour", "chère", "cher", "beste", "hoi", "thanks", "thank you",
    "many thanks", "thanks again", "thanks so much", "thank you so much", "regards", "best regards",
    "kind regards", "warm regards", "warmest regards", "cheers", "sincerely", "yours sincerely", "yours truly",
    "respectfully", "mit freundlichen grüßen", "viele grüße", "cordialement", "met vriendelijke groet")
_WITH_COMMA = _either("best", "yours", "all the best", "best wishes", "take care", "greetings", "bye")
_INTRODUCTIONS = _either(
    "my name is", "my name's", "i am called", "this is", "name of the customer is", "customer's name is",
    "the customer,", "caller,", "spoke to", "spoke with", "speaking with", "signed", "ich heiße", "je m'appelle",
    "mijn naam is", r"(?:my|her|his|their) (?:mother|father|mum|mom|dad|wife|husband|partner|son|daughter|"
    r"brother|sister|grandmother|grandfather|neighbour|neighbor),?")
_NAME_LABELS = (r"(?:(?:customer|client|caller|account holder|card ?holder|contact|full|first|last|sur|given|"
                r"family)[ \t]*)?name(?:[ \t]+of[ \t]+(?:the[ \t]+)?(?:customer|client|caller))?")
_MARKERS = re.compile(
    rf"(?:\b{_GREETINGS_AND_SIGN_OFFS}\b[ \t]*[,!]?[ \t]*\n?[ \t]*"
    rf"|\b{_WITH_COMMA}[ \t]*,[ \t]*\n?[ \t]*"
    rf"|\b{_INTRODUCTIONS}[ \t]+"
    rf"|\b{_NAME_LABELS}[ \t]*:[ \t]*"
    rf"|(?<![\w.])(?-i:{_TITLE})[ \t]+)",
    re.I)
_WORD = r"[^\W\d_][\w'’-]*"
_NAME_RE = re.compile(rf"(?:{_TITLE}[ \t]+)?(?P<name>{_WORD}(?:[ \t]+{_WORD}){{0,4}})")
_PARTICLES = {"van", "von", "de", "der", "den", "del", "della", "di", "da", "du", "la", "le", "ter", "ten", "zu",
              "bin", "al", "el", "dos", "das"}
# Capitalised words that follow a greeting or sign-off without being a name.
_NOT_NAMES = set("""
team teams there all everyone everybody customer customers sir madam madame sirs support again guys folks both
colleague colleagues friend friends valued service billing sales the our your my a an i we you he she they it
this that these those and for so in advance agent manager care please will but also sorry yes no ok okay great
perfect thank thanks bye let just now see talk have has had hope here what when where why how if as at on to
from with good morning afternoon evening regards best kind warm cheers hello hi hey dear monday tuesday
wednesday thursday friday saturday sunday january february march april may june july august september october
november december today tomorrow yesterday soon later once after before then is was are not
""".split())
_TITLE_WORDS = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "herr", "frau", "mme", "mlle", "madame",
                "mademoiselle", "monsieur", "m", "mevrouw", "meneer", "mevr", "dhr", "dame", "lady", "lord"}


def marked_names(text: str) -> list[str]:
    """Names the text marks, in order of appearance, each once."""
    found = []
    for marker in _MARKERS.finditer(text):
        name = _name_at(text, marker.end())
        if name and name.lower() not in (n.lower() for n in found):
            found.append(name)
    return found


def _name_at(text: str, pos: int) -> str | None:
    """The capitalised words starting at `pos` (a title in front skipped,
    particles such as "van der" between them allowed), or None."""
    m = _NAME_RE.match(text, pos)
    if m is None:
        return None
    words = []
    for word in m["name"].split():
        word = re.sub(r"['’]s$|['’-]+$", "", word)
        if word.lower() in _PARTICLES:
            words.append(word)
        elif word and word[0].isupper() and word.lower() not in _NOT_NAMES | _TITLE_WORDS and len(words) < 4:
            words.append(word)
        else:
            break
    while words and words[-1].lower() in _PARTICLES:
        words.pop()
    return " ".join(words) if words and words[-1][0].isupper() else None


def full_names(text: str, names) -> list[str]:
    """Longer names the text writes starting with a known one: after "Hi Maria,"
    the text's "Maria Lopez" names her surname too."""
    longer = []
    for name in names:
        for m in re.finditer(rf"(?<!\w){re.escape(name)}(?=[ \t]+\w)", text, re.IGNORECASE):
            found = _name_at(text, m.start())
            if found and len(found) > len(name) and found.lower().startswith(name.lower()):
                longer.append(found)
    return longer


def name_variants(names) -> list[str]:
    """Each name, and each of its words a reader would still recognise alone
    ("Anna Schmidt" also removes a later "Schmidt")."""
    variants = list(names)
    for name in names:
        parts = name.split()
        if len(parts) > 1:
            variants += [p for p in parts if len(p) > 1 and p.lower() not in _PARTICLES | _NOT_NAMES | _TITLE_WORDS]
    return variants


def name_spans(text: str, names) -> list[Span]:
    """Whole-word, case-insensitive; any whitespace between a name's words."""
    spans = []
    for name in names:
        body = r"\s+".join(re.escape(word) for word in name.split())
        spans += [m.span() for m in re.finditer(rf"(?<!\w){body}(?!\w)", text, re.IGNORECASE)]
    return spans
