"""The API's writes in the benchmark: JSON bodies sent with a person's token (scenario.api_tokens),
no cookie and no CSRF token."""
import json

API_PREFIX = "/api/"
JSON = {"Content-Type": "application/json"}
CASE = {"channel": "chat", "actions": "I listened, checked the order history and refunded the second charge.",
        "outcome": "The customer thanked me; the bank shows one charge.",
        "ask": "Should I have offered the refund before they asked?"}


def is_api(path):
    return path.startswith(API_PREFIX)


def body_of(form):
    return None if form is None else json.dumps(form)


def case_requests(agents, bearer, per_agent=5):
    """Each agent submits cases from a helpdesk conversation holding a phone number, an e-mail
    address and a marked name (so redaction has work to do), each with its own text; request i
    is agent i % len(agents)'s, on its own connection."""
    return [(None, "POST", "/api/v1/cases", {
        **CASE, "title": f"Charged twice for order {1000 + n}",
        "customer_need": f"Hi Maria, I was charged twice for order {1000 + n}; call me on +44 20 7946 {n:04d} "
                         f"or write to maria.{n}@example.net. I am upset.",
    }, {**bearer[agent], **JSON}) for n, agent in enumerate(agent for _ in range(per_agent) for agent in agents)]
