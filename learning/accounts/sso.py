"""Single sign-on through the organisation's OpenID Connect provider (OIDC_* settings).

Authlib speaks the protocol: it reads the provider's discovery document, sends the person
there with the authorisation-code flow and PKCE (S256), keeps state, nonce and code
verifier in the signed session cookie (so any app server can finish the sign-in), swaps
the code for tokens and verifies the ID token's RS256/ES256 signature against the
provider's JWKS, its issuer, audience (our client id), expiry, issue time and nonce
(OpenID Connect Core 1.0, section 3.1.3.7). This module decides who that is here: the
person whose e-mail the provider has verified, created on first sign-in only when
OIDC_CREATE_PEOPLE is set, and never a deactivated one.
"""
import logging
import secrets
from urllib.parse import urlsplit

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import OAuth
from flask import current_app
from joserfc.errors import BadSignatureError, ExpiredTokenError, InvalidClaimError, JoseError, MissingClaimError

from learning.accounts.models import Team, User
from learning.accounts.service import create_user, find_user_by_email, normalise_email
from learning.refusals import Refused

log = logging.getLogger("learning.accounts.sso")

SCOPE = "openid email profile"
LEEWAY_SECONDS = 60      # clock difference tolerated between the provider and us
TIMEOUT_SECONDS = 10     # for discovery, keys and the token exchange
# What a failed exchange can raise: the protocol's and JOSE's errors, the network's, and a
# provider answering something that is not the JSON it promised.
FAILURES = (AuthlibBaseError, JoseError, requests.RequestException, ValueError, KeyError, RuntimeError)


def enabled(config):
    return bool(config.get("OIDC_ISSUER") and config.get("OIDC_CLIENT_ID") and config.get("OIDC_CLIENT_SECRET"))


def provider_name(config):
    return config.get("OIDC_NAME") or "single sign-on"


def client():
    """The provider's Authlib client for the current settings (built once per setting), or None."""
    config = current_app.config
    if not enabled(config):
        return None
    key = (config["OIDC_ISSUER"], config["OIDC_CLIENT_ID"], config["OIDC_CLIENT_SECRET"])
    built = current_app.extensions.setdefault("learning.oidc", {})
    if key not in built:
        built.clear()
        built[key] = OAuth(current_app._get_current_object()).register(
            "oidc", client_id=key[1], client_secret=key[2],
            server_metadata_url=key[0].rstrip("/") + "/.well-known/openid-configuration",
            client_kwargs={"scope": SCOPE, "code_challenge_method": "S256", "default_timeout": TIMEOUT_SECONDS})
    return built[key]


def authorisation_origin(provider):
    """Where the "Sign in with ..." form's redirect goes: the authorisation endpoint's origin
    once discovery has named it, the issuer's before (the sign-in page asks no one, so it
    stays quick while the provider is slow or down)."""
    endpoint = provider.server_metadata.get("authorization_endpoint") or current_app.config["OIDC_ISSUER"]
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


def checked_issuer(provider):
    """The issuer the discovery document names, when it is the one configured (Discovery 1.0,
    section 4.3: they must be identical; a trailing slash is forgiven)."""
    issuer = provider.load_server_metadata().get("issuer", "")
    if issuer.rstrip("/") != current_app.config["OIDC_ISSUER"].rstrip("/"):
        raise Refused("The sign-in provider's settings do not match this app's (issuer). "
                      "Please tell your programme's administrator.")
    return issuer


def finish_sign_in(provider):
    """The person the provider's answer to this request names; Refused with a message for them."""
    issuer = checked_issuer(provider)
    options = {"iss": {"essential": True, "values": [issuer]},
               "aud": {"essential": True, "values": [current_app.config["OIDC_CLIENT_ID"]]},
               "exp": {"essential": True}, "iat": {"essential": True}}
    try:
        token = provider.authorize_access_token(claims_options=options, leeway=LEEWAY_SECONDS)
    except FAILURES as error:
        log.warning("Single sign-on failed: %s: %s", type(error).__name__, error)
        raise Refused(explain(error)) from error
    if not token.get("userinfo"):
        raise Refused("The sign-in provider sent no identity token. Please tell your programme's administrator.")
    return person_for(dict(token["userinfo"]))


def explain(error):
    """What went wrong, in words for the person at the browser."""
    if isinstance(error, MismatchingStateError):
        return "This sign-in was started elsewhere or too long ago. Please start again from the sign-in page."
    if isinstance(error, OAuthError) and error.error == "access_denied":
        return "The sign-in was cancelled at the provider."
    if isinstance(error, ExpiredTokenError):
        return "The provider's answer had expired before it arrived. Please try again."
    if isinstance(error, (InvalidClaimError, MissingClaimError)):
        claim = getattr(error, "claim", "")
        meant = {"nonce": "it does not belong to this sign-in", "aud": "it was meant for another application",
                 "iss": "it came from another provider"}.get(claim, f"its {claim or 'content'} is not valid")
        return f"The provider's answer was refused: {meant}. Please start again from the sign-in page."
    if isinstance(error, (BadSignatureError, JoseError)):
        return "The provider's answer could not be verified. Please try again or tell your administrator."
    if isinstance(error, requests.RequestException):
        return "The sign-in provider could not be reached. Please try again in a moment."
    return "The sign-in provider's answer could not be understood. Please try again or tell your administrator."


def _verified(claims):
    return claims.get("email_verified") in (True, "true")


def person_for(claims):
    """The active person whose verified e-mail the claims carry, created when allowed."""
    email = normalise_email(claims.get("email"))
    if not email:
        raise Refused("Your sign-in provider did not share your e-mail address, so we cannot tell who you are.")
    if not _verified(claims):
        raise Refused(f"Your sign-in provider has not verified {email}. Verify it there, then sign in again.")
    user = find_user_by_email(email)
    if user is None and current_app.config.get("OIDC_CREATE_PEOPLE"):
        user = _create_person(email, claims)
    if user is None:
        raise Refused(f"There is no account for {email} here yet. Ask your programme's administrator to add you.")
    if not user.active:
        raise Refused("Your account is deactivated. Ask your programme's administrator if this is a mistake.")
    return user


def _display_name(email, claims):
    name = claims.get("name") or " ".join(filter(None, (claims.get("given_name"), claims.get("family_name"))))
    return " ".join(str(name or email.partition("@")[0]).split())[:100] or email[:100]


def _create_person(email, claims):
    """A first sign-in creates an agent in OIDC_DEFAULT_TEAM (when that team exists)."""
    config = current_app.config
    team = Team.get_or_none(Team.name == config["OIDC_DEFAULT_TEAM"]) if config.get("OIDC_DEFAULT_TEAM") else None
    if config.get("OIDC_DEFAULT_TEAM") and team is None:
        log.warning("OIDC_DEFAULT_TEAM %r is not a team: %s joins no team", config["OIDC_DEFAULT_TEAM"], email)
    try:
        return create_user(email, _display_name(email, claims), secrets.token_urlsafe(32), team=team,
                           timezone=config["LEARNING_TIMEZONE"], check_policy=False)
    except Refused:  # the same person's sign-in in another tab created them a moment ago
        return User.get_or_none(User.email == email)
