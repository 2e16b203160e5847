"""`auditor serve`: the web app on one address and port, served by waitress (a production WSGI server, pure Python).

Behind the school's reverse proxy set AUDITOR_PROXY_HOPS=1 (the number of proxies in front), so the app reads the
client's address (for the sign-in throttle) and the https scheme from the proxy's X-Forwarded-* headers; without it
those headers are ignored, since anyone could send them."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from auditor import config as config_mod

log = logging.getLogger("auditor")
PROXY_ENV = "AUDITOR_PROXY_HOPS"


def serve(config_path: Path, host: str, port: int) -> int:
    import waitress
    from werkzeug.middleware.proxy_fix import ProxyFix

    from auditor.web.app import SecretKeyError, create_app
    from auditor.web.oidc import OidcError
    from auditor.web.oidc import from_env as oidc_from_env

    config = config_mod.load(config_path)
    hops_text = os.environ.get(PROXY_ENV, "0").strip() or "0"
    if not hops_text.isdigit() or int(hops_text) > 5:
        print(f"auditor: {PROXY_ENV} must be a number of proxies from 0 to 5, not {hops_text!r}", file=sys.stderr)
        return 2
    try:
        app = create_app(config, oidc=oidc_from_env())
    except (SecretKeyError, OidcError) as exc:
        print(f"auditor: {exc}", file=sys.stderr)
        return 2
    hops = int(hops_text)
    wsgi = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops) if hops else app.wsgi_app
    app.wsgi_app = wsgi  # type: ignore[method-assign]
    log.warning("auditor web app on http://%s:%d/ (history %s)", host, port, config.output.store)
    waitress.serve(app, host=host, port=port, threads=4, ident="auditor")
    return 0
