"""Accounts fixtures: a local OpenID Connect provider, served over HTTP in a thread, that the
app signs in with as it would with a real one (discovery, authorisation with PKCE, token
endpoint, JWKS; ID tokens signed RS256), and readers of the sign-in links the outbox holds."""
import base64
import hashlib
import json
import re
import secrets
import threading
import time
from urllib.parse import urlencode

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

CLIENT_ID, CLIENT_SECRET = "support-development", "s3cret-for-tests"


class LocalProvider:
    """A small OpenID provider. `person` is who is signed in at the provider; `tamper`
    changes the next ID tokens' claims (a wrong nonce, audience, expiry...)."""

    def __init__(self, key):
        self.key, self.codes, self.tamper, self.issuer = key, {}, {}, None
        self.person = {"email": "ada@example.org", "email_verified": True, "name": "Ada Lovelace"}
        self.signing_key = key
        self.token_requests = []

    def __call__(self, environ, start_response):
        request = Request(environ)
        handler = {"/.well-known/openid-configuration": self.discovery, "/authorize": self.authorize,
                   "/token": self.token, "/jwks": self.jwks}.get(request.path)
        response = handler(request) if handler else Response("not found", status=404)
        return response(environ, start_response)

    def discovery(self, request):
        return _json({
            "issuer": self.issuer, "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token", "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"], "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"], "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
        })

    def authorize(self, request):
        args = request.args
        if args.get("client_id") != CLIENT_ID or args.get("code_challenge_method") != "S256":
            return Response("unknown client or no PKCE", status=400)
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"nonce": args.get("nonce"), "challenge": args["code_challenge"],
                            "redirect_uri": args["redirect_uri"], "person": dict(self.person)}
        target = args["redirect_uri"] + "?" + urlencode({"code": code, "state": args.get("state", "")})
        return Response(status=302, headers={"Location": target})

    def token(self, request):
        self.token_requests.append(dict(request.form))
        expected = "Basic " + base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        grant = self.codes.pop(request.form.get("code"), None)
        if request.headers.get("Authorization") != expected or grant is None:
            return _json({"error": "invalid_grant"}, 400)
        verifier = request.form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge != grant["challenge"] or request.form.get("redirect_uri") != grant["redirect_uri"]:
            return _json({"error": "invalid_grant", "error_description": "PKCE or redirect mismatch"}, 400)
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": grant["person"]["email"], "aud": CLIENT_ID, "iat": now,
                  "exp": now + 300, "nonce": grant["nonce"], **grant["person"], **self.tamper}
        id_token = jwt.encode({"alg": "RS256", "kid": self.signing_key.kid}, claims, self.signing_key)
        return _json({"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 300,
                      "id_token": id_token})

    def jwks(self, request):
        return _json(KeySet([self.key]).as_dict(private=False))


def _json(data, status=200):
    return Response(json.dumps(data), status=status, content_type="application/json")


@pytest.fixture(scope="session")
def provider_keys():
    """The provider's signing key and a stranger's (same key id), made once per test process."""
    return (RSAKey.generate_key(2048, parameters={"kid": "provider-1", "use": "sig"}),
            RSAKey.generate_key(2048, parameters={"kid": "provider-1", "use": "sig"}))


@pytest.fixture
def oidc_provider(app, provider_keys):
    """The local provider on a free port, and the app configured to sign in with it."""
    provider = LocalProvider(provider_keys[0])
    server = make_server("127.0.0.1", 0, provider, threaded=True)
    provider.issuer = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    app.config.update(OIDC_ISSUER=provider.issuer, OIDC_CLIENT_ID=CLIENT_ID, OIDC_CLIENT_SECRET=CLIENT_SECRET,
                      OIDC_NAME="Example ID")
    yield provider
    server.shutdown()
    thread.join(timeout=5)


def sign_in_links(address, kind):
    """The paths of the sign-in links mailed to `address` (newest last), from the outbox."""
    from learning.notify.models import OutboxMessage

    rows = (OutboxMessage.select().where(OutboxMessage.to_address == address, OutboxMessage.kind == kind)
            .order_by(OutboxMessage.id))
    return [row.link for row in rows]


def token_of(link):
    return re.sub(r"^.*/", "", link)
