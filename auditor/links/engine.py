"""The link safety engine: judges each link once per run, in parallel, and says why.

Order of judgement, cheapest and most certain first: the scheme; the school's own (trusted) domains; the host (IP
literals in any form, local names, look-alikes); the category blocklists; then, unless offline, the verdict cache,
the fetch (redirects followed by hand, each hop judged again before it is requested), the threat-intelligence
services, and whether https works where the link uses plain http.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import zip_longest
from typing import TYPE_CHECKING
from urllib.parse import urljoin

import requests

from auditor.links.blocklists import BlocklistError, Blocklists
from auditor.links.cache import VerdictCache
from auditor.links.fetcher import Fetcher, Hop, LinkClock
from auditor.links.hosts import (
    DANGEROUS_SCHEMES,
    NON_WEB_SCHEMES,
    WEB_SCHEMES,
    BadUrl,
    ParsedUrl,
    forbidden_reason,
    in_domain,
    lookalike_reason,
    normalise,
    registrable_domain,
)
from auditor.links.settings import UNSAFE_CATEGORIES, LinkSettings, ut1_name
from auditor.links.threatintel import SafeBrowsing, ThreatIntelError, ThreatMatch, URLhaus
from auditor.links.verdicts import LinkVerdict, Verdict
from auditor.net.guard import Guard, Resolver, system_resolver, use_configured_proxy
from auditor.urls import SHORTENERS

if TYPE_CHECKING:
    from auditor.settings import Config

log = logging.getLogger(__name__)

MAX_HOPS = 10
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".lan", ".home.arpa", ".intranet", ".corp")


def _path_and_query(url: str) -> str:
    rest = url.split("://", 1)[-1]
    slash = rest.find("/")
    return rest[slash:] if slash >= 0 else "/"


class LinkEngine:
    def __init__(
        self,
        settings: LinkSettings,
        *,
        offline: bool = False,
        resolver: Resolver = system_resolver,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        blocklists: Blocklists | None = None,
        list_problem: str | None = None,
        cache: VerdictCache | None = None,
        safe_browsing: SafeBrowsing | None = None,
        urlhaus: URLhaus | None = None,
    ) -> None:
        self.settings = settings
        self.offline = offline
        self.guard = Guard.from_settings(settings, resolver)
        self.fetcher = Fetcher(settings, self.guard, session=session, sleep=sleep)
        self.blocklists = blocklists
        # Why appropriateness could not be judged (lists missing), for the check to report as not verified.
        self.list_problem = list_problem
        self.cache = cache or VerdictCache(None)
        self.safe_browsing = safe_browsing
        self.urlhaus = urlhaus
        self._memo: dict[str, Future[LinkVerdict]] = {}
        self._memo_lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    @property
    def requests_made(self) -> int:
        return self.fetcher.requests_made

    @property
    def network_unavailable(self) -> bool:
        """Whether name lookups were found not to work during this run (its failed links are not verified)."""
        return self.guard.network_unavailable

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        self.fetcher.close()
        self.cache.close()
        if self.blocklists is not None:
            self.blocklists.close()

    # -- the public entry points ---------------------------------------------------------------------------------

    def judge_many(self, urls: Iterable[str]) -> dict[str, LinkVerdict]:
        """Verdicts for many links at once, keyed by the link as given. Work is spread over the hosts so one slow
        or rate-limited site does not hold the others back."""
        unique = list(dict.fromkeys(urls))
        if not unique:
            return {}
        by_host: dict[str, list[str]] = {}
        for url in unique:
            try:
                host = normalise(url).host
            except BadUrl:
                host = ""
            by_host.setdefault(host, []).append(url)
        ordered = [u for group in zip_longest(*by_host.values()) for u in group if u is not None]
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=max(1, self.settings.workers), thread_name_prefix="links")
        return dict(zip(ordered, self._pool.map(self.judge, ordered), strict=True))

    def judge(self, url: str) -> LinkVerdict:
        """The verdict for one link; a link already judged in this run is not judged again."""
        try:
            parsed = normalise(url)
        except BadUrl as exc:
            return LinkVerdict(url.strip(), Verdict.BROKEN, f"The link cannot be opened: {exc}.", "url")
        with self._memo_lock:
            future = self._memo.get(parsed.url)
            owner = future is None
            if future is None:
                future = self._memo[parsed.url] = Future()
        if owner:
            try:
                future.set_result(self._judge(parsed))
            except BaseException as exc:
                future.set_exception(exc)
        return future.result()

    # -- offline judgement -----------------------------------------------------------------------------------------

    def _trusted(self, host: str) -> bool:
        return any(in_domain(host, d) for d in self.settings.trusted_domains)

    def _static(self, parsed: ParsedUrl, *, redirected_from: str | None = None) -> LinkVerdict | None:
        """What can be said without the network, by the first of `STATIC_RULES` that has something to say; None when
        nothing is wrong so far. Every redirect hop comes back here before it is requested."""
        how = f"redirects (from {redirected_from}) to" if redirected_from else "points to"
        for rule in STATIC_RULES:
            verdict = rule(self, parsed, how)
            if verdict is not None:
                return verdict
        return None

    # -- the whole judgement ---------------------------------------------------------------------------------------

    def _judge(self, parsed: ParsedUrl) -> LinkVerdict:
        static = self._static(parsed)
        if static is not None:
            return static
        if self.offline:
            seen = "its address, name and the blocklists" if self.blocklists is not None else "its address and name"
            return LinkVerdict(
                parsed.url,
                Verdict.UNVERIFIED,
                f"Not verified: the audit ran offline, so the site was not opened ({seen} showed nothing wrong).",
                "offline",
            )
        cached = self.cache.get(parsed.url)
        if cached is not None:
            return cached
        clock = self.fetcher.clock()  # the link's network time, every hop and the https check together
        verdict = self._fetch_and_judge(parsed, clock)
        verdict = self._threat_intel(verdict)
        if verdict.verdict is Verdict.OK:
            verdict = self._https_upgrade(verdict, clock)
        self._store(verdict)
        return verdict

    def _fetch_and_judge(self, parsed: ParsedUrl, clock: LinkClock) -> LinkVerdict:
        chain = [parsed.url]
        current = parsed
        hop: Hop | None = None
        for _ in range(MAX_HOPS + 1):
            hop = self.fetcher.hop(current.url, current.host, clock)
            if hop.status is None or not (300 <= hop.status < 400 and hop.location):
                break
            try:
                following = normalise(urljoin(current.url, hop.location))
            except BadUrl:
                return self._verdict(parsed, chain, Verdict.BROKEN, "it redirects to an address that cannot be read")
            chain.append(following.url)
            bad = self._static(following, redirected_from=current.display_host or current.url)
            if bad is not None and bad.verdict is not Verdict.OK:
                return LinkVerdict(
                    parsed.url,
                    bad.verdict,
                    self._with_chain(bad.reason, chain),
                    bad.source,
                    entry=bad.entry,
                    list_version=bad.list_version,
                    chain=tuple(chain),
                )
            if bad is not None and following.scheme not in WEB_SCHEMES:
                return LinkVerdict(
                    parsed.url, Verdict.OK, self._with_chain(bad.reason, chain), bad.source, chain=tuple(chain)
                )
            current = following
        else:
            return self._verdict(parsed, chain, Verdict.BROKEN, f"it redirects more than {MAX_HOPS} times (a loop)")
        assert hop is not None
        redirected = f" by {current.display_host}" if len(chain) > 1 else ""
        if hop.kind == "blocked":
            return self._verdict(
                parsed,
                chain,
                Verdict.SUSPICIOUS,
                f"it leads to a private or local address ({hop.error}); it was not opened",
            )
        if hop.kind in ("dns", "tls"):
            return self._verdict(parsed, chain, Verdict.BROKEN, hop.error or "the site cannot be reached")
        if hop.status is None or hop.kind == "ratelimited":
            verdict = self._verdict(parsed, chain, Verdict.UNVERIFIED, f"not verified: {hop.error}")
            # No network at all, rather than this site: the check says so once for every link it stopped.
            return dataclasses.replace(verdict, source="network") if hop.kind == "network" else verdict
        status = hop.status
        shortener = parsed.host in SHORTENERS
        if shortener and len(chain) == 1:
            refused = status >= 500 or status in (401, 403, 429, 999)
            return self._verdict(
                parsed,
                chain,
                Verdict.UNVERIFIED if refused else Verdict.SUSPICIOUS,
                f"the shortened link could not be expanded ({parsed.host} answered HTTP {status} without a "
                "destination), so where it leads is unknown",
                status,
            )
        if status in (404, 410):
            gone = "no longer exists" if status == 410 else "was not found"
            return self._verdict(parsed, chain, Verdict.BROKEN, f"the page {gone} (HTTP {status}{redirected})", status)
        if status == 407:
            return self._verdict(
                parsed, chain, Verdict.UNVERIFIED, "not verified: the proxy asked for credentials (HTTP 407)", status
            )
        if status in (401, 403, 429, 999) or status >= 500:
            return self._verdict(
                parsed,
                chain,
                Verdict.UNVERIFIED,
                f"not verified: the site refused or failed to answer the check (HTTP {status}{redirected})",
                status,
            )
        if status >= 400:
            return self._verdict(parsed, chain, Verdict.BROKEN, f"the site rejected the link (HTTP {status})", status)
        unrelated = self._unrelated_redirect(chain)
        if unrelated:
            return self._verdict(parsed, chain, Verdict.SUSPICIOUS, unrelated, status)
        return self._verdict(parsed, chain, Verdict.OK, f"the page opens (HTTP {status})", status)

    def _unrelated_redirect(self, chain: list[str]) -> str | None:
        """A link that silently moves readers to another owner's site. Shorteners exist to do that, so the
        comparison starts at the first address that is not a shortener."""
        hosts = [normalise(u).host for u in chain]
        start = next((h for h in hosts if h not in SHORTENERS), None)
        final = hosts[-1]
        if start is None or self._trusted(final):
            return None
        if registrable_domain(start) != registrable_domain(final):
            return f"it redirects from {start} to an unrelated site, {final}"
        return None

    def _verdict(
        self, parsed: ParsedUrl, chain: list[str], verdict: Verdict, why: str, status: int | None = None
    ) -> LinkVerdict:
        return LinkVerdict(
            parsed.url,
            verdict,
            self._with_chain(f"{why[0].upper()}{why[1:]}.", chain),
            "fetch",
            chain=tuple(chain),
            status_code=status,
        )

    @staticmethod
    def _with_chain(reason: str, chain: list[str]) -> str:
        if len(chain) < 2:
            return reason
        return f"{reason} Redirects: {' -> '.join(chain)}."

    def _threat_intel(self, verdict: LinkVerdict) -> LinkVerdict:
        if self.safe_browsing is None and self.urlhaus is None:
            return verdict
        chain = list(verdict.chain or (verdict.url,))
        matches: list[ThreatMatch] = []
        failures: list[str] = []
        if self.safe_browsing is not None:
            try:
                matches.extend(self.safe_browsing.lookup(chain))
            except ThreatIntelError as exc:
                failures.append(str(exc))
        if self.urlhaus is not None and not matches:
            for url in dict.fromkeys((chain[0], chain[-1])):
                try:
                    found = self.urlhaus.lookup(url)
                except ThreatIntelError as exc:
                    failures.append(str(exc))
                    break
                if found is not None:
                    matches.append(found)
                    break
        if matches:
            m = matches[0]
            ref = f"; details: {m.reference}" if m.reference else ""
            return LinkVerdict(
                verdict.url,
                Verdict.UNSAFE,
                self._with_chain(f"{m.service} lists {m.url} as a threat ({m.threat}){ref}.", chain),
                m.service,
                entry=m.url,
                chain=verdict.chain,
                status_code=verdict.status_code,
                extra={"cache_seconds": m.cache_seconds},
            )
        if failures and verdict.verdict in (Verdict.OK, Verdict.INSECURE):
            return LinkVerdict(
                verdict.url,
                Verdict.UNVERIFIED,
                f"Not verified: {'; '.join(failures)}, so the link could not be checked for malware or phishing.",
                "threat-intelligence",
                chain=verdict.chain,
                status_code=verdict.status_code,
            )
        return verdict

    def _https_upgrade(self, verdict: LinkVerdict, clock: LinkClock) -> LinkVerdict:
        final = normalise(verdict.chain[-1] if verdict.chain else verdict.url)
        if final.scheme != "http" or clock.left <= 0:
            return verdict
        secure = "https://" + final.url.removeprefix("http://")
        hop = self.fetcher.hop(secure, final.host, clock)
        if hop.status is not None and hop.status < 400:
            return LinkVerdict(
                verdict.url,
                Verdict.INSECURE,
                self._with_chain(
                    f"The link uses plain http, which anyone on the network can read or alter, although the site "
                    f"also works over https ({secure}).",
                    list(verdict.chain),
                ),
                "fetch",
                entry=secure,
                chain=verdict.chain,
                status_code=verdict.status_code,
            )
        return verdict

    def _store(self, verdict: LinkVerdict) -> None:
        if verdict.verdict in (Verdict.OK, Verdict.INSECURE):
            self.cache.put(verdict, self.settings.cache_max_age_hours * 3600)
        elif verdict.verdict is Verdict.UNSAFE and verdict.source == SafeBrowsing.name:
            # Safe Browsing says how long a match may be kept (cacheDuration); URLhaus gives no such allowance.
            self.cache.put(verdict, float(verdict.extra.get("cache_seconds") or 0))


# -- the static rules: small, ordered, cheapest and most certain first ----------------------------------------------
# Each looks at one thing about a (normalised) address and gives a verdict, or None to pass it to the next. `how` says
# how the reader gets there ("points to", or "redirects (from ...) to" for a hop of a redirect chain).

StaticRule = Callable[[LinkEngine, ParsedUrl, str], LinkVerdict | None]


def _dangerous_scheme(engine: LinkEngine, parsed: ParsedUrl, how: str) -> LinkVerdict | None:
    if parsed.scheme not in DANGEROUS_SCHEMES:
        return None
    return LinkVerdict(
        parsed.url[:200],
        Verdict.UNSAFE,
        f"The link {how} a {parsed.scheme}: address, which can run code or open files in the reader's browser.",
        "scheme",
        entry=f"{parsed.scheme}:",
    )


def _not_the_web(engine: LinkEngine, parsed: ParsedUrl, how: str) -> LinkVerdict | None:
    if parsed.scheme in NON_WEB_SCHEMES:
        return LinkVerdict(parsed.url, Verdict.OK, f"A {parsed.scheme}: link, not a web site.", "scheme")
    if parsed.scheme not in WEB_SCHEMES:
        return LinkVerdict(
            parsed.url, Verdict.UNVERIFIED, f"Links using {parsed.scheme}: are not checked by this audit.", "scheme"
        )
    return None


def _schools_own(engine: LinkEngine, parsed: ParsedUrl, how: str) -> LinkVerdict | None:
    if not engine._trusted(parsed.host):
        return None
    return LinkVerdict(parsed.url, Verdict.OK, f"{parsed.host} is one of the school's own sites.", "trusted")


def _bare_address(engine: LinkEngine, parsed: ParsedUrl, how: str) -> LinkVerdict | None:
    if parsed.ip is None:
        return None
    danger = forbidden_reason(parsed.ip)
    extra = f", {danger}" if danger else ""
    return LinkVerdict(
        parsed.url,
        Verdict.SUSPICIOUS,
        f"The link {how} a bare numeric address ({parsed.ip}{extra}) instead of a site name; it was not opened.",
        "host",
        entry=str(parsed.ip),
    )


def _local_name(engine: LinkEngine, parsed: ParsedUrl, how: str) -> LinkVerdict | None:
    host = parsed.host
    if "." in host and host != "localhost" and not host.endswith(_LOCAL_SUFFIXES):
        return None
    return LinkVerdict(
        parsed.url,
        Verdict.SUSPICIOUS,
        f"The link {how} {host}, a name for this computer or a local network, not a public site; it was not opened.",
        "host",
        entry=host,
    )


def _blocklisted(engine: LinkEngine, parsed: ParsedUrl, how: str) -> LinkVerdict | None:
    match = engine.blocklists.match(parsed.host, _path_and_query(parsed.url)) if engine.blocklists else None
    if match is None:
        return None
    return LinkVerdict(
        parsed.url,
        Verdict.UNSAFE if match.category in UNSAFE_CATEGORIES else Verdict.INAPPROPRIATE,
        f"The link {how} {parsed.display_host}, listed as {match.category!r} by the UT1 blocklist "
        f"(list of {match.version}, entry {match.entry!r}).",
        f"blocklist:{match.category}",
        entry=match.entry,
        list_version=match.version,
    )


def _lookalike(engine: LinkEngine, parsed: ParsedUrl, how: str) -> LinkVerdict | None:
    lookalike = lookalike_reason(parsed.display_host)
    if not lookalike:
        return None
    return LinkVerdict(
        parsed.url,
        Verdict.SUSPICIOUS,
        f"The link {how} a look-alike site name: {lookalike} (written {parsed.host}), a trick used to imitate "
        "well-known sites.",
        "lookalike",
        entry=parsed.host,
    )


STATIC_RULES: tuple[StaticRule, ...] = (
    _dangerous_scheme,
    _not_the_web,
    _schools_own,
    _bare_address,
    _local_name,
    _blocklisted,
    _lookalike,
)


def build_engine(config: Config, *, offline: bool, resolver: Resolver = system_resolver) -> LinkEngine:
    """The engine a run uses, from the config's [links] section; secrets come from the environment."""
    settings = config.links
    blocklists = None
    problem = None
    if settings.blocklists is None:
        problem = "no blocklist folder is configured ([links] blocklists)"
    elif not any((settings.blocklists / ut1_name(c) / "domains").is_file() for c in settings.blocked_categories):
        problem = (
            f"the category blocklists are not installed in {settings.blocklists} (run `auditor blocklists update`)"
        )
    else:
        try:
            blocklists = Blocklists(settings.blocklists, settings.blocked_categories)
        except BlocklistError as exc:
            problem = str(exc)
        else:
            if blocklists.missing:
                problem = (
                    f"the blocklists for {', '.join(blocklists.missing)} are not installed in {settings.blocklists} "
                    "(run `auditor blocklists update`)"
                )
    safe_browsing = urlhaus = None
    if not offline:
        sb_key = os.environ.get(settings.safe_browsing_key_env, "").strip()
        uh_key = os.environ.get(settings.urlhaus_key_env, "").strip()
        safe_browsing = SafeBrowsing(sb_key, use_configured_proxy(requests.Session(), settings)) if sb_key else None
        urlhaus = URLhaus(uh_key, use_configured_proxy(requests.Session(), settings)) if uh_key else None
    # Offline runs neither read nor write the cache: an offline verdict is never a verified one.
    cache = None
    if settings.cache is not None and not offline:
        try:
            cache = VerdictCache(settings.cache)
        except (sqlite3.Error, OSError) as exc:
            log.warning("the link verdict cache %s cannot be used (%s); links are checked afresh", settings.cache, exc)
    return LinkEngine(
        settings,
        offline=offline,
        resolver=resolver,
        blocklists=blocklists,
        list_problem=problem,
        cache=cache,
        safe_browsing=safe_browsing,
        urlhaus=urlhaus,
    )
