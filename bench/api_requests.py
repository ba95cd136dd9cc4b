"""The API in the benchmark: a personal access token for each person an API request names (made
in-process before the server starts, as a person makes one on their profile; the last run's are
revoked first), the headers that send it, and the requests of the API's pages."""
import json

from learning.accounts import api_tokens
from learning.accounts.models import ApiToken, User
from learning.db import db, utcnow

API_PREFIX = "/api/"
TOKEN_NAME = "Benchmark"
CASE = {"channel": "chat", "actions": "I listened, checked the order history and refunded the second charge.",
        "outcome": "The customer thanked me; the bank shows one charge.",
        "ask": "Should I have offered the refund before they asked?"}


def is_api(path):
    return path.startswith(API_PREFIX)


def issue_tokens(app, pages):
    """{user id: secret} of a new read-and-write token for each person an API request of `pages` names."""
    user_ids = sorted({user for page in pages for user, _, path, *_ in page.requests if user and is_api(path)})
    secrets = {}
    with app.app_context():
        db.connect(reuse_if_open=True)
        with db.atomic():
            (ApiToken.update(revoked_at=utcnow())
             .where(ApiToken.name == TOKEN_NAME, ApiToken.revoked_at.is_null()).execute())
            for user in User.select().where(User.id.in_(user_ids)):
                secrets[user.id] = api_tokens.issue_token(user, TOKEN_NAME, "write")[1]
        db.close()
    return secrets


def headers_for(secret):
    return {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}


def body_of(form):
    return None if form is None else json.dumps(form)


def case_requests(agents, per_agent=5):
    """Each agent submits cases from a helpdesk conversation holding a phone number, an e-mail
    address and a marked name (so redaction has work to do), each with its own text."""
    return [(agent, "POST", "/api/v1/cases", {
        **CASE, "title": f"Charged twice for order {1000 + n}",
        "customer_need": f"Hi Maria, I was charged twice for order {1000 + n}; call me on +44 20 7946 {n:04d} "
                         f"or write to maria.{n}@example.net. I am upset.",
    }, {}) for n, agent in enumerate(agent for _ in range(per_agent) for agent in agents)]
