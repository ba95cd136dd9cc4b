"""Words for generated text: names, titles and case narratives that read like a support floor's."""

FIRST = ("Amira", "Ben", "Chloe", "Dario", "Elif", "Femi", "Greta", "Hugo", "Ines", "Jonas", "Kaya", "Luis",
         "Mona", "Nils", "Olga", "Pavel", "Rosa", "Sven", "Tariq", "Uma", "Vera", "Wim", "Yara", "Zoe")
LAST = ("Adler", "Brandt", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Horvat", "Ivanova", "Jansen",
        "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrov", "Rossi", "Schmidt", "Tanaka", "Weber")
TEAM_NAMES = ("Orders & Delivery", "Billing & Accounts", "Returns", "Technical Help", "Onboarding",
              "Business Customers", "Social Care", "Claims")
COMPETENCIES = (
    ("Staying centred under pressure", "Boundaries"), ("Emotional boundaries", "Boundaries"),
    ("Clear language for limits", "Boundaries"), ("Listening fully", "Principles"),
    ("Targeted questions", "Principles"), ("Explaining in the customer's terms", "Principles"),
    ("Owning the issue", "Principles"), ("Following up", "Principles"),
    ("Digital client relations", "Advanced"), ("Cultural sensitivity", "Advanced"),
    ("Emotional support", "Advanced"), ("Well-being routines", "Boundaries"),
)
TOPICS = ("listening", "questions", "explaining", "ownership", "follow-up", "boundaries", "empathy",
          "escalation", "refunds", "delivery", "billing", "complaint", "chat", "tone", "apology")
VERBS = ("asked", "explained", "listened", "promised", "checked", "called back", "summarised", "reassured")
NOUNS = ("the customer", "the refund", "the parcel", "the invoice", "the contract", "the account", "the order")


def person_name(rng):
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def series_title(kind, number, rng):
    topic = rng.choice(TOPICS).capitalize()
    if kind == "case_review":
        return f"Case-review meetup {number}"
    if kind == "module":
        return f"Module sessions {number}: {topic}"
    return f"{topic} practice {number}"


def sentence(rng):
    return f"I {rng.choice(VERBS)} {rng.choice(NOUNS)} about {rng.choice(TOPICS)} and {rng.choice(VERBS)} again."


def paragraph(rng, sentences=3):
    return " ".join(sentence(rng) for _ in range(sentences))
