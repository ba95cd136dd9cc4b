"""Customer data written in words: e-mail addresses (also spelled out), secrets
in links, dates of birth, and street addresses with their postcodes.

Each detector takes text and returns spans; `learning.cases.redaction` decides
the order they run in and what replaces them.
"""
from __future__ import annotations

import re

Span = tuple[int, int]

# --- e-mail -------------------------------------------------------------------

# Starts only at the beginning of a local-part run, which keeps matching linear.
_EMAIL_RE = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")

# Spelled out to fool harvesters: "anna at example dot com", "anna (at) example
# (dot) com", "anna [at] example [dot] de", "anna @ example . com". A bare " at "
# needs a spelled " dot " too: "looked at example.com" is a website, not a mailbox.
def _bracketed(word):
    return r"[ \t]*[(\[{<][ \t]*" + word + r"[ \t]*[)\]}>][ \t]*"


_AT = rf"(?:{_bracketed('at')}|[ \t]+@[ \t]*|[ \t]*@[ \t]+)"
_DOT = rf"(?:{_bracketed('dot')}|[ \t]+dot[ \t]+|[ \t]*\.[ \t]*)"
_LABEL = r"[A-Za-z0-9][\w-]*"
_TLD = r"(?:com|net|org|info|biz|edu|gov|email|co|io|me|eu|uk|de|fr|nl|be|ch|at|es|it|us|ca|au|ie|pl|se|dk|no)"
_SPELLED_EMAIL_RES = (
    re.compile(rf"(?<![\w.+-]){_LABEL}(?:{_DOT}{_LABEL})*{_AT}{_LABEL}(?:{_DOT}{_LABEL})*{_DOT}[A-Za-z]{{2,}}\b", re.I),
    re.compile(rf"(?<![\w.+-]){_LABEL}(?:[ \t]+dot[ \t]+{_LABEL}|\.{_LABEL})*[ \t]+at[ \t]+{_LABEL}"
               rf"(?:[ \t]+dot[ \t]+{_LABEL})*[ \t]+dot[ \t]+{_TLD}\b", re.I),
)


def email_spans(text: str) -> list[Span]:
    spans = [m.span() for m in _EMAIL_RE.finditer(text)]
    return spans + [m.span() for regex in _SPELLED_EMAIL_RES for m in regex.finditer(text)]


# --- secrets in links ------------------------------------------------------------

_URL_RE = re.compile(r"\b(?:https?|ftp)://[^\s<>\"'\])]+", re.I)
# Userinfo "user:password@" (RFC 3986 3.2.1): the password is the secret.
_USERINFO_RE = re.compile(r"^[a-z]+://[^/@\s:]+:([^/@\s]+)@", re.I)
# A query or fragment parameter whose name says it carries a credential.
_SECRET_PARAM_RE = re.compile(
    r"[?&#;][\w.-]*?(?:token|key|secret|password|passwd|pass|pwd|sig|signature|sessionid|session|sid|auth|code|"
    r"otp|jwt|credentials?|hash)=([^&#;\s]+)", re.I)
# A long random path segment (a reset or magic link): letters and digits mixed.
_PATH_TOKEN_RE = re.compile(r"/((?=[\w-]*\d)(?=[\w-]*[A-Za-z])[\w-]{20,})(?=[/?#]|$)")
# A password given in words: "password: hunter2", "PIN is 4821".
_SPOKEN_SECRET_RE = re.compile(r"\b(?:password|passcode|passwort|mot de passe|pin)\b[ \t]*(?:is|was|:|=)[ \t]*"
                               r"[\"'“]?([^\s\"'”]+?)[\"'”]?(?=[\s.,;]*(?:\s|$))", re.I)


def secret_spans(text: str) -> list[Span]:
    spans = []
    for url in _URL_RE.finditer(text):
        link = url.group().rstrip(".,;:!?")
        for regex in (_USERINFO_RE, _SECRET_PARAM_RE, _PATH_TOKEN_RE):
            spans += [(url.start() + m.start(1), url.start() + m.end(1)) for m in regex.finditer(link)]
    spans += [m.span(1) for m in _SPOKEN_SECRET_RE.finditer(text)]
    return [(start, end) for start, end in spans if "\0" not in text[start:end]]  # not a placeholder again


# --- dates of birth ------------------------------------------------------------

_MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
           r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|januar|februar|märz|mai|juni|juli|oktober|dezember|"
           r"janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|décembre)\.?")
_DAY = r"\d{1,2}(?:st|nd|rd|th|er)?\.?"
_DATE = (rf"(?:\d{{1,2}}[./-]\d{{1,2}}[./-]\d{{2,4}}|\d{{4}}[./-]\d{{1,2}}[./-]\d{{1,2}}"
         rf"|{_DAY}(?:[ \t]+of)?[ \t]+{_MONTHS},?[ \t]+\d{{4}}|{_MONTHS}[ \t]+{_DAY},?[ \t]+\d{{4}}"
         rf"|{_MONTHS}[ \t]+\d{{4}}|(?<=in )\d{{4}})")
# The date right after a word that says it is a birth date: "DOB: 12/03/1985",
# "born on 3 March 1985", "date of birth 1985-03-12". Any other date stays.
_DOB_RE = re.compile(
    rf"\b(?:d\.?o\.?b\.?|date[ \t]+of[ \t]+birth|birth[ \t]*date|birthday|born(?:[ \t]+(?:on|in))?|"
    rf"geboren(?:[ \t]+am)?|geburtsdatum|geb\.|née?[ \t]+le|date[ \t]+de[ \t]+naissance)"
    rf"(?:[ \t]*(?:is|was|:|-|=|of))*[ \t]*(?P<date>{_DATE})", re.I)


def date_of_birth_spans(text: str) -> list[Span]:
    return [m.span("date") for m in _DOB_RE.finditer(text)]


# --- street addresses and postcodes --------------------------------------------

_CAP = r"[A-ZÄÖÜÀ-Ý][\wÀ-ÿ'’-]*"
_STREET_TYPES_EN = (r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Court|Ct|Way|Place|Pl|"
                    r"Terrace|Close|Crescent|Square|Sq|Parkway|Pkwy|Highway|Hwy|Gardens|Grove|Mews|Row|Hill|Loop|"
                    r"Circle|Cir|Trail|Plaza|Alley)")
# "3 Day Pass", "24 Hour Drive": a count of time units is not a house number.
_NOT_A_STREET = r"(?!(?:Days?|Hours?|Weeks?|Months?|Years?|Minutes?|Steps?|Times?|Nights?)\b)"
_UNIT = r"(?:,?[ \t]*(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|#)\.?[ \t]*\w+)?"
# "de la Paix", "des Champs-Élysées", "du Faubourg Saint-Honoré": particles and capitalised words.
_FR_PARTICLES = r"(?:(?:de|du|des|la|le|les|aux?)[ \t]+|[dl]['’])*"
_FR_NAME = rf"{_FR_PARTICLES}{_CAP}(?:[ \t]+{_FR_PARTICLES}{_CAP})*"
_STREET_RES = (
    # UK / US: "221B Baker Street", "1600 Pennsylvania Ave NW, Apt 4"
    re.compile(rf"\b\d{{1,5}}[A-Za-z]?(?:[-/]\d+)?,?[ \t]+{_NOT_A_STREET}(?:{_CAP}[ \t]+){{1,4}}{_STREET_TYPES_EN}\b\.?"
               rf"(?:[ \t]+(?:NW|NE|SW|SE|N|S|E|W)\b)?{_UNIT}"),
    # FR: "12 rue de la Paix", "5 bis, avenue des Champs-Élysées"
    re.compile(r"\b\d{1,4}(?:[ \t]?(?:bis|ter))?,?[ \t]+(?i:rue|avenue|av\.|boulevard|bd|place|allée|impasse|"
               r"chemin|quai|route|cours|square|passage)[ \t]+" + _FR_NAME),
    # DE / NL: "Hauptstraße 12a", "Musterstr. 5", "Keizersgracht 123-II", "Berliner Straße 12"
    re.compile(r"\b[A-ZÄÖÜ][\wäöüß-]*(?:straße|strasse|str\.|weg|gasse|allee|platz|ring|damm|ufer|chaussee|"
               r"straat|gracht|laan|plein|kade|singel|dijk|steeg|markt)[ \t]*\d{1,4}(?:[ \t]?[a-zA-Z]\b|-[IVX\d]+)?"),
    re.compile(r"\b[A-ZÄÖÜ][\wäöüß-]+[ \t]+(?:Straße|Strasse|Str\.|Weg|Allee|Platz|Ring|Damm)[ \t]*\d{1,4}[a-z]?\b"),
    re.compile(r"\b(?:Am|An der|Auf dem|Im|Zum|Zur|Unter den)[ \t]+[A-ZÄÖÜ][\wäöüß-]+[ \t]+\d{1,4}[a-z]?\b"),
)
_US_STATES = ("AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|"
              "NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY")
# Words after five digits that make them an amount or a count, not a town.
_NOT_A_TOWN = (r"(?:EUR|USD|GBP|CHF|Euros?|Dollars?|Pounds?|Points?|Orders?|Items?|Units?|Customers?|Users?|"
               r"Tickets?|Calls?|Miles?|Km|Kilometers?|Steps?|Times?|People|Members?|Views?|Bytes?)\b")
_POSTCODE_RES = (
    re.compile(r"\b(?:GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[ABD-HJLNP-UW-Z]{2})\b"),   # UK: SW1A 1AA
    re.compile(rf"\b(?:{_US_STATES}),?[ \t]+\d{{5}}(?:-\d{{4}})?\b"),                 # US: CA 94103-1234
    re.compile(r"\b(?:zip|zip code|postcode|postal code|post code|plz|code postal)[ \t]*:?[ \t]*"
               r"[A-Z0-9]{3,5}(?:[ -][A-Z0-9]{3,4})?\b", re.I),
    # FR / DE: "75002 Paris", "D-10115 Berlin"
    re.compile(rf"(?<![\w.,-])(?:[DF]-)?\d{{5}}[ \t]+(?!{_NOT_A_TOWN})[A-ZÄÖÜÀ-Ý][\wÀ-ÿ'’-]+"),
    # NL: "1012 AB" (never SA, SD or SS; not a size or a time)
    re.compile(r"(?<![\w.,])[1-9]\d{3}[ \t]?(?!SA|SD|SS|AM|PM|AD|BC|CE|GB|MB|KB|TB|EU|US|UK|ID|OK|TV|PC|HD)[A-Z]{2}\b"),
)


# A line the text labels as an address ("Delivery address: Damrak 1, ..."): the
# rest of the line or sentence, when it holds a house number or postcode.
_LABELLED_ADDRESS_RE = re.compile(
    r"(?<![\w-])(?<!e-mail )(?<!email )(?<!mail )(?<!ip )(?<!web )(?:(?:delivery|shipping|billing|home|postal|"
    r"invoice|new|old|street)[ \t]+)?(?:address|adres|adresse|anschrift|lieferadresse|rechnungsadresse|"
    r"bezorgadres|factuuradres|adresse de livraison|ship to|deliver to)(?:[ \t]+(?:is|was))?[ \t]*:[ \t]*"
    r"(?P<value>(?:(?!\.\s)[^\n;\0])*?\d(?:(?!\.\s)[^\n;\0])*?)(?=\.(?:\s|$)|[\n;\[]|$)", re.I)


def address_spans(text: str) -> list[Span]:
    spans = [m.span() for regex in _STREET_RES + _POSTCODE_RES for m in regex.finditer(text)]
    return spans + [m.span("value") for m in _LABELLED_ADDRESS_RE.finditer(text)]
