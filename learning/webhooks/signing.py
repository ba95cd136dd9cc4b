"""The webhook signature (Stripe's scheme): `X-Learning-Signature: t=<unix time>,v1=<hex>`
where hex is HMAC-SHA256 with the endpoint's secret over `f"{t}.{body}"`. The time inside the
signed text lets a receiver refuse an old body replayed (docs/webhooks.md shows the check)."""
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"


def new_secret():
    return SECRET_PREFIX + secrets.token_hex(24)


def signature(secret, timestamp, body):
    """The v1 digest of `body` (bytes) sent at `timestamp` (whole seconds since 1970)."""
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def signature_header(secret, timestamp, body):
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"


def verify(secret, header, body, now, tolerance=300):
    """True when `header` signs `body` with `secret` and was made within `tolerance` seconds of `now`."""
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    expected = signature(secret, timestamp, body)
    return abs(now - timestamp) <= tolerance and hmac.compare_digest(expected, parts.get("v1", ""))
