"""Build the message catalogue template, reports/locale/auditor.pot, from a checkout:
`python -m auditor.reports.catalogue`.

`pybabel extract` (with babel.cfg) finds the copy marked in the templates and in reports/*.py. Copy the reports hold
as data is added here by its English text, as the pages look it up: each check's title and failure title (the check
modules carry no gettext markers), the vocabulary's words and meanings (auditor.model), the platforms' names,
the severities and the out-of-scope note. Then `pybabel update` and `pybabel compile` (docs/reports-email.md).
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

from auditor.checks import all_checks
from auditor.model import (
    ACCOUNT_STATE_MEANINGS,
    ACCOUNT_STATE_WORDS,
    STATUS_MEANINGS,
    STATUS_WORDS,
    Severity,
)
from auditor.platforms import BUILT_IN
from auditor.policy import OUT_OF_SCOPE_NOTE
from auditor.reports.i18n import DOMAIN, LOCALE_DIR

ROOT = Path(__file__).resolve().parent.parent


def data_messages() -> Iterator[tuple[str, str]]:
    """(English text, where it comes from) for the copy held as data."""
    for check in all_checks().values():
        yield check.title, f"title of check {check.id}"
        if check.failure_title:
            yield check.failure_title, f"failure title of check {check.id}: what is wrong"
    for status, word in STATUS_WORDS.items():
        yield word, f"the word for {status} (docs/vocabulary.md)"
        yield STATUS_MEANINGS[status], f"what {word} means"
    for state, word in ACCOUNT_STATE_WORDS.items():
        yield word, f"an account's state: {state} (docs/vocabulary.md)"
        yield ACCOUNT_STATE_MEANINGS[state], f"what the account state {word} means"
    for spec in BUILT_IN:  # the project's own platforms; a plug-in translates its own names
        yield spec.display_name, f"the platform {spec.name}"
    for severity in Severity:
        yield str(severity), "a severity, shown on a badge"
    yield OUT_OF_SCOPE_NOTE, "the out-of-scope note in every footer"


def template(root: Path = ROOT) -> Catalog:
    """The catalogue template: the extracted copy, then the copy held as data."""
    with tempfile.TemporaryDirectory() as tmp, contextlib.chdir(root):  # locations relative to the checkout
        pot = Path(tmp) / f"{DOMAIN}.pot"
        options = ["-F", "babel.cfg", "--sort-by-file", "--no-wrap", "--omit-header", "-c", "TRANSLATORS:"]
        extract = ["pybabel", "-q", "extract", *options, "--project", "auditor", "-o", str(pot), "."]
        CommandLineInterface().run(extract)  # type: ignore[no-untyped-call]
        with pot.open("rb") as fh:
            catalog = read_po(fh, domain=DOMAIN)
    for text, origin in data_messages():
        message = catalog.get(text)
        if message is None:
            catalog.add(text, auto_comments=[origin])
        elif origin not in message.auto_comments:
            message.auto_comments.append(origin)
    return catalog


def main(argv: Sequence[str] = ()) -> int:
    target = Path(argv[0]) if argv else LOCALE_DIR / f"{DOMAIN}.pot"
    catalog = template()
    with target.open("wb") as fh:
        write_po(fh, catalog, width=0, omit_header=True, sort_by_file=False)
    print(f"wrote {target} ({len(catalog)} messages)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
