"""Calendar feed tokens made the way learning.calendars.service makes them, for
the generator (which writes FeedToken rows) and the load client (which needs the URLs); and a
personal access token per person for the API's pages, known to the bench without being shown."""
import base64
import hashlib
import hmac

SECRET_KEY = "bench-secret-key-not-for-production"


def nonce_for(feed_id):
    return hashlib.sha256(f"bench-feed-{feed_id}".encode()).hexdigest()


def token_for(nonce, secret_key=SECRET_KEY):
    digest = hmac.new(secret_key.encode(), b"calendar-feed:" + nonce.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def feed_row(feed_id, user_id, scope, scope_key, now):
    nonce = nonce_for(feed_id)
    token_hash = hashlib.sha256(token_for(nonce).encode()).hexdigest()
    return (feed_id, user_id, scope, scope_key, nonce, token_hash, now, now)


def api_secret_for(user_id, secret_key=SECRET_KEY):
    """The bench's API token of a person: the same on every run, so its row is written once."""
    digest = hmac.new(secret_key.encode(), f"api-token:{user_id}".encode(), hashlib.sha256).digest()
    return "sds_" + base64.urlsafe_b64encode(digest).decode().rstrip("=")


def api_token_row(user_id, now):
    secret = api_secret_for(user_id)
    return {"user": user_id, "name": "Bench", "scope": "write", "prefix": secret[:8],
            "token_hash": hashlib.sha256(secret.encode()).hexdigest(), "created_at": now}
