"""A fake OpenID Connect provider on 127.0.0.1 for the sign-in tests: discovery, authorize, token and keys.

Its documents follow OpenID Connect Discovery 1.0 (`/.well-known/openid-configuration`: issuer,
authorization_endpoint, token_endpoint, jwks_uri, id_token_signing_alg_values_supported) and Core 1.0 (the
authorization code flow; an RS256 ID token with iss, sub, aud, exp, iat, nonce), with the claims Microsoft's v2.0
endpoint puts in a work account's token (preferred_username, name, tid, oid) and Google's (email, email_verified).
"Signing in" at its authorize endpoint is instant: it answers for whoever the test put in `who`."""

from __future__ import annotations

import base64
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, abort, jsonify, redirect, request
from joserfc import jwt
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server

from tests.reports.conftest import free_port

CLIENT_ID = "6731de76-14a6-49ae-97bc-6eba6914391e"
CLIENT_SECRET = "fake-provider-secret-" + "x" * 20


@dataclass
class Provider:
    issuer: str
    who: dict[str, Any] = field(default_factory=dict)  # the claims of the person who "signs in" next
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "k1"}))
    signing_key: RSAKey | None = None  # set to another key to send a forged token
    wrong_nonce: bool = False
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    token_requests: int = 0


def make_app(p: Provider) -> Flask:
    app = Flask("fake_oidc")

    @app.get("/.well-known/openid-configuration")
    def discovery() -> Any:
        return jsonify(
            issuer=p.issuer,
            authorization_endpoint=p.issuer + "/authorize",
            token_endpoint=p.issuer + "/token",
            jwks_uri=p.issuer + "/keys",
            response_types_supported=["code"],
            subject_types_supported=["pairwise"],
            id_token_signing_alg_values_supported=["RS256"],
            scopes_supported=["openid", "profile", "email"],
            token_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post"],
        )

    @app.get("/keys")
    def keys() -> Any:
        public = p.key.as_dict(private=False)
        return jsonify(keys=[{**public, "use": "sig", "alg": "RS256"}])

    @app.get("/authorize")
    def authorize() -> Any:
        args = request.args
        if args.get("client_id") != CLIENT_ID or args.get("response_type") != "code":
            abort(400)
        code = secrets.token_urlsafe(16)
        p.codes[code] = {"nonce": args.get("nonce"), "redirect_uri": args["redirect_uri"], "who": dict(p.who)}
        sep = "&" if "?" in args["redirect_uri"] else "?"
        return redirect(f"{args['redirect_uri']}{sep}code={code}&state={args.get('state', '')}")

    @app.post("/token")
    def token() -> Any:
        p.token_requests += 1
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Basic "):
            client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
        else:
            client_id, secret = request.form.get("client_id", ""), request.form.get("client_secret", "")
        if client_id != CLIENT_ID or secret != CLIENT_SECRET:
            return jsonify(error="invalid_client"), 401
        grant = p.codes.pop(request.form.get("code", ""), None)
        if grant is None or request.form.get("redirect_uri") != grant["redirect_uri"]:
            return jsonify(error="invalid_grant"), 400
        now = int(time.time())
        claims = {
            "iss": p.issuer, "aud": CLIENT_ID, "iat": now, "nbf": now, "exp": now + 3600,
            "sub": "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ", "tid": "9188040d-6c67-4c5b-b112-36a304b66dad",
            "oid": "00000000-0000-0000-66f3-3332eca7ea81",
            "nonce": "not-the-nonce" if p.wrong_nonce else grant["nonce"], **grant["who"],
        }  # fmt: skip
        signer = p.signing_key or p.key
        id_token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, signer)
        return jsonify(access_token=secrets.token_urlsafe(24), token_type="Bearer", expires_in=3599,
                       scope="openid profile email", id_token=id_token)  # fmt: skip

    return app


@contextmanager
def running() -> Iterator[Provider]:
    port = free_port()
    provider = Provider(f"http://127.0.0.1:{port}")
    httpd = make_server("127.0.0.1", port, make_app(provider), threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        httpd.shutdown()
        thread.join(5)
