"""Sign-in with the school's Microsoft 365 or Google Workspace accounts (OpenID Connect, through Authlib), where it is
configured. The provider says who the person is; the app decides what they may see: only a person already added with
`auditor users add` under their school email address signs in, with the role given there.

Configured by environment variables (the client secret is a secret, so never in config.toml):

    AUDITOR_OIDC_ISSUER         https://login.microsoftonline.com/<tenant id>/v2.0  or  https://accounts.google.com
    AUDITOR_OIDC_CLIENT_ID      the app registration's client id
    AUDITOR_OIDC_CLIENT_SECRET  its secret
    AUDITOR_OIDC_NAME           the button's words, e.g. "Microsoft 365" (default "your school account")
"""

from __future__ import annotations

import ipaddress
import logging
import os
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from authlib.integrations.flask_client import OAuth
from flask import Flask

log = logging.getLogger(__name__)
ENV = {
    "issuer": "AUDITOR_OIDC_ISSUER",
    "client_id": "AUDITOR_OIDC_CLIENT_ID",
    "client_secret": "AUDITOR_OIDC_CLIENT_SECRET",
    "label": "AUDITOR_OIDC_NAME",
}


class OidcError(Exception):
    pass


@dataclass(frozen=True)
class OidcSettings:
    issuer: str
    client_id: str
    client_secret: str
    label: str = "your school account"

    def __repr__(self) -> str:  # never the secret, in a log or a traceback
        return f"OidcSettings(issuer={self.issuer!r}, client_id={self.client_id!r}, label={self.label!r})"

    @property
    def metadata_url(self) -> str:
        return self.issuer.rstrip("/") + "/.well-known/openid-configuration"


def from_env(environ: Mapping[str, str] | None = None) -> OidcSettings | None:
    """The settings from the environment, None when OIDC is not configured; OidcError when half configured."""
    env = os.environ if environ is None else environ
    values = {k: env.get(v, "").strip() for k, v in ENV.items()}
    needed = ("issuer", "client_id", "client_secret")
    if not any(values[k] for k in needed):
        return None
    missing = [ENV[k] for k in needed if not values[k]]
    if missing:
        raise OidcError(f"sign-in with the school's accounts needs {', '.join(missing)} as well")
    if not secure_issuer(values["issuer"]):
        raise OidcError(f"{ENV['issuer']} must be an https address (http only on this machine, for testing)")
    return OidcSettings(
        values["issuer"], values["client_id"], values["client_secret"], values["label"] or OidcSettings.label
    )


def secure_issuer(issuer: str) -> bool:
    parts = urllib.parse.urlsplit(issuer)
    if parts.scheme == "https" and parts.hostname:
        return True
    if parts.scheme != "http" or not parts.hostname:
        return False
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return parts.hostname == "localhost"


def register(app: Flask, settings: OidcSettings) -> Any:
    """The Authlib client for the provider; its metadata and keys are read from the issuer when first used."""
    oauth = OAuth(app)
    return oauth.register(
        "school",
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        server_metadata_url=settings.metadata_url,
        client_kwargs={"scope": "openid email profile", "timeout": 15},
    )


def email_of(claims: Mapping[str, Any]) -> str | None:
    """The person's school address from the ID token's claims: `email` (Google; Microsoft when the tenant sends it),
    else Microsoft's `preferred_username` (the user principal name); None when Google says it is not verified."""
    if claims.get("email_verified") is False:
        return None
    for key in ("email", "preferred_username"):
        value = claims.get(key)
        if isinstance(value, str) and "@" in value and len(value) <= 200:
            return value.strip().casefold()
    return None
