"""The web app: sign in, see the open problems one may see, and record decisions on them.

Flask, with Flask-Login for sessions, Flask-WTF for CSRF tokens on every form, argon2 for passwords; pages are
rendered on the server and work without JavaScript. Everything shown is escaped by Jinja's autoescaping, and bidi
control characters are replaced by visible markers as in the reports. Sign-in is throttled in the database
(`signin_attempts`), so the limit holds across restarts and across the server's threads or processes.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import logging
import os
import re
import secrets
import stat
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, Response, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_login import login_required as _login_required
from flask_wtf import CSRFProtect
from flask_wtf.csrf import CSRFError
from sqlalchemy.engine import Engine
from werkzeug.wrappers.response import Response as BaseResponse

from auditor import appdb
from auditor.decisions import SCHOOL_SCRUTINY, duration
from auditor.model import Severity, Status
from auditor.reports.paths import inside, unique_names
from auditor.reports.render import neutralise_bidi
from auditor.results import COMMENTS_CHECK
from auditor.settings import Config, on_domain
from auditor.waivers import REASONS
from auditor.web import data
from auditor.web.oidc import OidcSettings, email_of
from auditor.web.oidc import register as register_oidc

log = logging.getLogger(__name__)

CONSENT_CHECK = "safeguarding.child_photo_consent"
# Sign-in throttle: this many failed attempts for one user name, or from one address, within the window.
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_ADDRESS = 20
THROTTLE_WINDOW = dt.timedelta(minutes=15)
CONFIRM_DAYS = 90  # a confirmed checklist item is asked again after this many days, as Prowler's manual pass
MAX_NOTE = 2000
# The report pages' own policy (reports/templates/base.html): their styles are inline, nothing runs or loads.
REPORT_CSP = (
    "default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
SECRET_ENV = "AUDITOR_SECRET_KEY"  # noqa: S105 - the name of a variable, not a secret
hasher = PasswordHasher()
_F = TypeVar("_F", bound=Callable[..., Any])
# Flask-Login ships no type information: its decorator keeps the view's signature.
login_required = cast(Callable[[_F], _F], _login_required)
# Verified against when the user name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = hasher.hash(secrets.token_urlsafe(16))


class SecretKeyError(Exception):
    pass


def secret_key(store: Path) -> str:
    """The session signing key: from the environment, or from a file beside the history readable by its owner only,
    made on first run. Never logged."""
    from_env = os.environ.get(SECRET_ENV, "").strip()
    if from_env:
        if len(from_env) < 32:
            raise SecretKeyError(f"{SECRET_ENV} must hold at least 32 characters")
        return from_env
    path = store.with_name(store.name + ".web-secret")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise SecretKeyError(
                f"{path} can be read by other users of the server; make it private with `chmod 600 {path}`"
            ) from None
        key = path.read_text(encoding="ascii").strip()
        if len(key) < 32:
            raise SecretKeyError(f"{path} holds too short a key; delete it and a new one is made") from None
        return key
    key = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(key + "\n")
    return key


class SignedIn(UserMixin):  # type: ignore[misc]
    def __init__(self, user: appdb.User) -> None:
        self.user = user
        self.id = str(user.id)


def _style() -> str:
    """The reports' own stylesheet, read from their base template, so the app looks like the reports."""
    base = importlib.resources.files("auditor.reports").joinpath("templates/base.html").read_text(encoding="utf-8")
    found = re.search(r"<style>(.*?)</style>", base, re.S)
    return found.group(1) if found else ""


APP_STYLE = """
  form.inline { display: inline; }
  form.decide { border-top: 1px solid #e5e8ec; padding: 8px 0; }
  label { display: block; font-weight: 600; margin: 6px 0 2px; }
  input[type=text], input[type=password], input[type=date], input[type=datetime-local], input[type=number], select,
  textarea { font: inherit; padding: 6px; border: 1px solid #8a94a3; border-radius: 4px; width: 100%;
  max-width: 32em; box-sizing: border-box; }
  button { font: inherit; padding: 6px 14px; margin-top: 8px; background: #1f3a5f; color: #fff; border: 0;
  border-radius: 4px; cursor: pointer; }
  a.button { display: inline-block; padding: 6px 14px; background: #1f3a5f; color: #fff; border-radius: 4px;
  text-decoration: none; }
  button.link { background: none; color: #fff; text-decoration: underline; padding: 0; margin: 0; }
  .flash { background: #fff; border-left: 6px solid #1e7b34; padding: 8px 12px; margin: 12px 0; }
  .flash.error { border-color: #b3261e; }
  nav.app a { color: #fff; margin-right: 14px; }
  h1, code { overflow-wrap: anywhere; }
"""


def create_app(config: Config, *, key: str | None = None, oidc: OidcSettings | None = None) -> Flask:
    """`oidc`: sign-in with the school's Microsoft 365 or Google Workspace accounts, where configured."""
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=key or secret_key(config.output.store.anchor),
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="auditor_session",
        REMEMBER_COOKIE_SECURE=True,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=8),
        MAX_CONTENT_LENGTH=64 * 1024,
        WTF_CSRF_TIME_LIMIT=8 * 3600,
    )
    app.jinja_env.finalize = neutralise_bidi
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    engine = appdb.engine_for(config.output.store)
    appdb.create(config.output.store)
    app.extensions["auditor"] = (config, engine)
    style = _style() + APP_STYLE

    CSRFProtect(app)
    login = LoginManager(app)
    login.login_view = "signin"
    login.login_message = "Please sign in to see this page."
    login.session_protection = "strong"

    def load(user_id: str) -> SignedIn | None:
        if not user_id.isdigit():
            return None
        with engine.connect() as conn:
            user = appdb.get_user(conn, int(user_id))
        return SignedIn(user) if user and not user.disabled else None

    login.user_loader(load)

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; "
            "frame-ancestors 'none'",
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.before_request
    def no_nul() -> tuple[str, int] | None:
        # A NUL character types as nothing and shows as nothing, and PostgreSQL's text cannot hold one: a form or
        # address holding one was not typed by a person, and is refused before it reaches the database.
        values = [*request.args.values(), *request.form.values(), request.path]
        if any("\x00" in v for v in values):
            message = "That form held a character that cannot be typed or stored (a NUL). Nothing was saved."
            return render_template("error.html", title="Form refused", message=message), 400
        return None

    @app.context_processor
    def common() -> dict[str, Any]:
        user = current_user.user if current_user.is_authenticated else None
        return {
            "school": config.school,
            "me": user,
            "role_words": appdb.ROLE_WORDS,
            "kind_words": appdb.KIND_WORDS,
            "safe_link": safe_link,
        }

    @app.errorhandler(CSRFError)
    def csrf_refused(exc: CSRFError) -> tuple[str, int]:
        return render_template("error.html", title="Form refused", message=_csrf_words(exc.description)), 400

    @app.errorhandler(404)
    def not_found(exc: Exception) -> tuple[str, int]:
        return render_template("error.html", title="Not found", message="There is nothing here you may see."), 404

    @app.errorhandler(413)
    def too_large(exc: Exception) -> tuple[str, int]:
        return render_template("error.html", title="Too large", message="That form was too large."), 413

    @app.route("/style.css")
    def stylesheet() -> Response:
        response = Response(style, mimetype="text/css")
        response.headers["Cache-Control"] = "max-age=3600"
        return response

    @app.route("/signin", methods=["GET", "POST"])
    def signin() -> str | BaseResponse | tuple[str, int]:
        if request.method == "GET":
            return render_template("signin.html", next=_safe_next(request.args.get("next")), oidc=oidc)
        username = request.form.get("username", "").strip()[:200]
        password = request.form.get("password", "")[:1024]
        address = request.remote_addr or "unknown"
        now = appdb.utcnow()
        with engine.begin() as conn:
            since = now - THROTTLE_WINDOW
            if (
                appdb.failed_attempts(conn, since, username=username) >= MAX_FAILURES_PER_USER
                or appdb.failed_attempts(conn, since, address=address) >= MAX_FAILURES_PER_ADDRESS
            ):
                log.warning("sign-in refused: too many failed attempts (from %s)", address)
                message = "Too many failed sign-ins. Wait 15 minutes and try again, or ask the monitoring lead."
                return render_template("signin.html", next=None, error=message, oidc=oidc), 429
            found = appdb.user_by_name(conn, username) if username else None
            ok = False
            if found and found[1] and not found[0].disabled:
                ok = _verify(found[1], password)
                if ok and hasher.check_needs_rehash(found[1]):
                    appdb.set_password_hash(conn, found[0].id, hasher.hash(password))
            else:
                _verify(_DUMMY_HASH, password)
            appdb.record_attempt(conn, username or "-", address, ok, now)
        if not ok or found is None:
            error = "Wrong user name or password."
            return render_template("signin.html", next=None, error=error, oidc=oidc), 401
        login_user(SignedIn(found[0]))
        return redirect(_safe_next(request.form.get("next")) or url_for("open_problems"))

    provider = register_oidc(app, oidc) if oidc else None

    @app.route("/signin/school")
    def oidc_start() -> BaseResponse:
        if provider is None:
            abort(404)
        return provider.authorize_redirect(url_for("oidc_done", _external=True))  # type: ignore[no-any-return]

    @app.route("/signin/school/done")
    def oidc_done() -> BaseResponse | tuple[str, int]:
        if provider is None or oidc is None:
            abort(404)
        address = request.remote_addr or "unknown"
        refused = f"Sign-in with {oidc.label} did not work. Try again, or sign in with your user name and password."
        try:
            token = provider.authorize_access_token()
        except Exception as exc:  # the provider's refusal, a forged or expired answer, a network fault: all refused
            log.warning("sign-in with %s refused: %s", oidc.label, type(exc).__name__)
            return render_template("signin.html", next=None, error=refused, oidc=oidc), 401
        email = email_of(token.get("userinfo") or {})
        found = None
        with engine.begin() as conn:
            if email and on_domain(email, config.school.email_domain):
                found = appdb.user_by_name(conn, email)
            ok = found is not None and not found[0].disabled
            appdb.record_attempt(conn, email or "-", address, ok)
        if not ok or found is None:
            message = (
                f"{email or 'That account'} may not sign in here. Ask the monitoring lead to add you with your school "
                "email address."
            )
            return render_template("signin.html", next=None, error=message, oidc=oidc), 403
        login_user(SignedIn(found[0]))
        return redirect(url_for("open_problems"))

    @app.route("/signout", methods=["POST"])
    def signout() -> BaseResponse:
        logout_user()
        return redirect(url_for("signin"))

    @app.route("/")
    @login_required
    def open_problems() -> str:
        run, rows = _visible_current()
        problems = [r for r in rows if r.open]
        decided = _decided_ids()
        by_dept: dict[str, dict[str, list[data.Row]]] = {}
        for r in sorted(problems, key=lambda r: (r.department.casefold(), r.severity.rank, r.account.casefold())):
            by_dept.setdefault(r.department, {}).setdefault(str(r.severity), []).append(r)
        return render_template("open.html", run=run, by_dept=by_dept, total=len(problems), decided=decided)

    @app.route("/finding/<finding_id>")
    @login_required
    def finding(finding_id: str) -> str:
        row = _visible_finding(finding_id)
        with engine.connect() as conn:
            past = data.history(conn, finding_id)
            decisions = appdb.all_decisions(conn, finding_id)
        today = appdb.utcnow().date()
        return render_template(
            "finding.html",
            f=row,
            past=past,
            decisions=decisions,
            file_decisions=_file_decisions(config, row),
            today=today,
            reasons=REASONS,
            # A decision already in force is not offered again (it can be reopened first).
            may=[k for k in _allowed(row) if not any(d.kind == k and d.live(today) for d in decisions)],
            confirm_until=today + dt.timedelta(days=CONFIRM_DAYS),
            waiver_until=today + dt.timedelta(days=365),
            now_local=appdb.utcnow().strftime("%Y-%m-%dT%H:%M"),
        )

    @app.route("/finding/<finding_id>/decide", methods=["POST"])
    @login_required
    def decide(finding_id: str) -> BaseResponse:
        row = _visible_finding(finding_id)
        kind = request.form.get("kind", "")
        if kind not in _allowed(row):
            abort(404)
        note = request.form.get("note", "").strip()
        if not note or len(note) > MAX_NOTE:
            flash(f"Say why, in at most {MAX_NOTE} characters: the note is what the next reader sees.", "error")
            return redirect(url_for("finding", finding_id=finding_id))
        user: appdb.User = current_user.user
        values: dict[str, Any] = {
            "kind": kind,
            "finding_id": row.id,
            "account": row.account,
            "account_key": row.account_key,
            "department": row.department,
            "check_id": row.check,
            "note": note,
            "made_by": user.name,
            "made_by_user": user.id,
        }
        try:
            values.update(_kind_values(kind, row))
        except ValueError as exc:
            flash(str(exc), "error")
            return redirect(url_for("finding", finding_id=finding_id))
        with engine.begin() as conn:
            appdb.add_decision(conn, **values)
        log.info("decision %s on finding %s by user %s", kind, row.id, user.id)
        flash(f"{appdb.KIND_WORDS[kind]}: recorded. The next run's reports show it.")
        return redirect(url_for("finding", finding_id=finding_id))

    @app.route("/decision/<int:decision_id>/reopen", methods=["POST"])
    @login_required
    def reopen(decision_id: int) -> BaseResponse:
        with engine.connect() as conn:
            found = appdb.get_decision(conn, decision_id)
        if found is None:
            abort(404)
        if found.finding_id == SCHOOL_SCRUTINY:  # SLT's confirmation of SMP-2.9, on the overview
            if not current_user.user.sees_everything:
                abort(404)
            back = url_for("overview")
        else:
            back = url_for("finding", finding_id=_visible_finding(found.finding_id).id)
        note = request.form.get("note", "").strip()
        if not note or len(note) > MAX_NOTE:
            flash(f"Say why it is reopened, in at most {MAX_NOTE} characters.", "error")
            return redirect(back)
        with engine.begin() as conn:
            appdb.end_decision(conn, decision_id, current_user.user.name, note)
        flash("Reopened: the decision no longer applies from the next run.")
        return redirect(back)

    @app.route("/scrutiny", methods=["POST"])
    @login_required
    def scrutiny() -> BaseResponse:
        """SLT confirm SMP-2.9: they have scrutinised the posts (the school report's checklist shows it)."""
        user: appdb.User = current_user.user
        if not user.sees_everything:
            abort(404)
        note = request.form.get("note", "").strip()
        try:
            if not note or len(note) > MAX_NOTE:
                raise ValueError(f"Say what was reviewed, in at most {MAX_NOTE} characters.")
            days = _int(request.form.get("days", str(CONFIRM_DAYS)), 1, 366, "The number of days")
        except ValueError as exc:
            flash(str(exc), "error")
            return redirect(url_for("overview"))
        with engine.begin() as conn:
            appdb.add_decision(
                conn,
                kind="confirm",
                finding_id=SCHOOL_SCRUTINY,
                account="(whole school)",
                account_key="",
                department="",
                check_id="SMP-2.9",
                note=note,
                made_by=user.name,
                made_by_user=user.id,
                expires=appdb.utcnow().date() + dt.timedelta(days=days),
            )
        flash("SMP-2.9 confirmed: recorded. The next school report shows it.")
        return redirect(url_for("overview"))

    @app.route("/overview")
    @login_required
    def overview() -> str:
        if not current_user.user.sees_everything:
            abort(404)
        run, rows = _visible_current()
        departments = sorted({r.department for r in rows} | {a.department for a in config.accounts}, key=str.casefold)
        severities = [str(s) for s in Severity]
        counts = {d: {s: 0 for s in severities} for d in departments}
        for r in rows:
            if r.status is Status.FAIL:
                counts[r.department][str(r.severity)] += 1
        with engine.connect() as conn:
            decisions = appdb.all_decisions(conn)
        removals = [d for d in decisions if d.kind == "removed"]
        decisions = [d for d in decisions if d.finding_id != SCHOOL_SCRUTINY]
        return render_template(
            "overview.html",
            run=run,
            counts=counts,
            severities=severities,
            unverified=sum(1 for r in rows if r.status is Status.ERROR),
            to_confirm=sum(1 for r in rows if r.status is Status.MANUAL),
            decisions=decisions[:100],
            removals=removals,
            file_waivers=config.waivers,
            file_consent=sorted(config.photo_consent_confirmed),
            file_exempt=[(a.handle, e) for a in config.accounts for e in a.exempt],
            today=appdb.utcnow().date(),
            duration=duration,
            scrutiny=[d for d in decisions if d.finding_id == SCHOOL_SCRUTINY],
            confirm_days=CONFIRM_DAYS,
        )

    @app.route("/reports/<path:name>")
    @login_required
    def report_page(name: str) -> Response:
        """The report pages under `[output] dir`, so that `[output] public_url` can point here: the monitoring lead
        and SLT see every page; a head of department their department's page and its accounts' pages; an owner
        their account's page."""
        parts = name.split("/")
        if not name.endswith(".html") or any(p in ("", ".", "..") or p.startswith(".") for p in parts):
            abort(404)
        try:
            target = inside(config.output.dir, *parts)
        except ValueError:
            abort(404)
        user: appdb.User = current_user.user
        if not user.sees_everything and (len(parts) < 2 or (parts[-2], parts[-1][:-5]) not in _own_pages(user)):
            abort(404)
        if not target.is_file():
            abort(404)
        response = send_file(target, mimetype="text/html", max_age=0)
        response.headers["Content-Security-Policy"] = REPORT_CSP
        return response

    def _own_pages(user: appdb.User) -> set[tuple[str, str]]:
        """(folder, page) of the report pages this person may open, named as the reports name them."""
        accounts = unique_names(((a.key, a.handle) for a in config.accounts), "account")
        departments = unique_names(((d, d) for d in sorted({a.department for a in config.accounts})), "department")
        own: set[tuple[str, str]] = set()
        for a in config.accounts:
            if user.may_see(a.department, a.handle):
                own.add(("accounts", accounts[a.key]))
                if user.role == "head":
                    own.add(("departments", departments[a.department]))
        return own

    def _visible_current() -> tuple[data.Run | None, list[data.Row]]:
        with engine.connect() as conn:
            run, rows = data.current(conn)
        user: appdb.User = current_user.user
        return run, [r for r in rows if user.may_see(r.department, r.account)]

    def _visible_finding(finding_id: str) -> data.Row:
        """The current finding with this id, or 404: one that does not exist and one the person may not see are
        refused alike, so an id tells nothing."""
        if not re.fullmatch(r"[0-9a-f]{1,64}", finding_id):
            abort(404)
        with engine.connect() as conn:
            _, rows = data.current(conn)
        row = next((r for r in rows if r.id == finding_id), None)
        if row is None or not current_user.user.may_see(row.department, row.account):
            abort(404)
        return row

    def _decided_ids() -> set[str]:
        today = appdb.utcnow().date()
        with engine.connect() as conn:
            return {d.finding_id for d in appdb.all_decisions(conn) if d.live(today) or d.kind == "removed"}

    def _allowed(row: data.Row) -> list[str]:
        """The decisions this person may make on this finding."""
        user: appdb.User = current_user.user
        kinds = []
        if row.status is Status.MANUAL:
            kinds.append("confirm")
        if row.check == CONSENT_CHECK and row.evidence.post_id and row.status in data.OPEN:
            kinds.append("consent")
        # A false alarm is a signed-off exception: approved by the monitoring lead, SLT or the head of department.
        if row.status in data.OPEN and user.role in ("lead", "slt", "head"):
            kinds.append("false_alarm")
        if row.check == COMMENTS_CHECK and row.status is Status.FAIL:
            kinds.append("removed")
        return kinds

    def _kind_values(kind: str, row: data.Row) -> dict[str, Any]:
        form = request.form
        today = appdb.utcnow().date()
        if kind == "confirm":
            days = _int(form.get("days", str(CONFIRM_DAYS)), 1, 366, "The number of days")
            return {"expires": today + dt.timedelta(days=days)}
        if kind == "consent":
            return {"post_id": row.evidence.post_id}
        if kind == "false_alarm":
            reason = form.get("reason", "")
            if reason not in REASONS:
                raise ValueError(f"Choose a reason: {', '.join(REASONS)}.")
            expires = _date(form.get("expires", ""))
            if not today <= expires <= today + dt.timedelta(days=3 * 366):
                raise ValueError("The expiry date must be from today to three years ahead.")
            ev = row.evidence
            return {"reason": reason, "expires": expires, "pattern": ev.post_id or ev.url or ev.link}
        # removed: when, and to whom in SLT it was reported
        reported = form.get("reported_to", "").strip()
        if not reported or len(reported) > 200:
            raise ValueError("Name the member of SLT it was reported to.")
        removed_at = _local_time(form.get("removed_at", ""))
        if removed_at > appdb.utcnow() + dt.timedelta(minutes=5):
            raise ValueError("The time of removal cannot be in the future.")
        seen = row.first_seen or row.run_started
        return {"removed_at": removed_at.isoformat(), "reported_to": reported, "seen_at": seen.isoformat()}

    return app


def _verify(password_hash: str, password: str) -> bool:
    try:
        return bool(hasher.verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def _csrf_words(description: str) -> str:
    return (
        "The form was refused: it did not carry a valid security token (it may have been open too long, or come "
        f"from another site). Go back, reload the page and try again. ({description})"
    )


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: never another host, scheme or a protocol-relative address."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urllib.parse.urlsplit(target)
    return None if parts.scheme or parts.netloc else target


def safe_link(url: str | None) -> str | None:
    """A link the pages may make: http or https only; anything else is shown as text."""
    if not url:
        return None
    scheme = urllib.parse.urlsplit(url.strip()).scheme.lower()
    return url if scheme in ("http", "https") else None


def _int(value: str, lo: int, hi: int, what: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = lo - 1
    if not lo <= number <= hi:
        raise ValueError(f"{what} must be a whole number from {lo} to {hi}.")
    return number


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError("Give the expiry date as a date, like 2027-07-31.") from None


def _local_time(value: str) -> dt.datetime:
    """A datetime-local field, taken as UTC (the form says so)."""
    try:
        when = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError("Give the time of removal as a date and time, like 2026-11-29T14:05.") from None
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)


def _file_decisions(config: Config, row: data.Row) -> list[str]:
    """The decisions made in files that touch this finding: waivers in waivers.toml, photo consent and exemptions
    in config.toml."""
    out: list[str] = []
    ev = row.evidence
    haystack = " ".join(t for t in (row.reason, ev.excerpt, ev.url, ev.link, ev.post_id) if t).casefold()
    source = config.waivers_file.name if config.waivers_file else "the waivers file"
    for w in config.waivers:
        mine = w.check == row.check and appdb.bare(w.account) == appdb.bare(row.account)
        if mine and (w.pattern is None or w.pattern.casefold() in haystack):
            out.append(f"Waiver in {source}: {w.describe()}")
    if ev.post_id and ev.post_id in config.photo_consent_confirmed:
        out.append("Photo consent confirmed in config.toml (photo_consent_confirmed)")
    for a in config.accounts:
        if appdb.bare(a.handle) == appdb.bare(row.account) and a.department == row.department:
            out.extend(f"Exempt in config.toml: {e.reason}" for e in a.exempt if e.check == row.check)
    return out


def get_engine(app: Flask) -> Engine:
    return app.extensions["auditor"][1]  # type: ignore[no-any-return]


__all__ = ["create_app", "get_engine", "safe_link", "secret_key"]
