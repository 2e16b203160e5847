"""Evaluators for the SMP-2.4 checks, registered in benchmarks/accuracy.py.

Each judges one item of `tests/data/eval/<check id>.jsonl` the way the check would: personal information against the
school's published contacts, pupil names against the synthetic 302-pupil roster with the staff and local places of
`safeguarding.pupil_named.context.json` (as `[safeguarding] staff` and `places` would give them), faces in the drawn
photos (the detector's figures on real photographs are from benchmarks/faces.py).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path

from auditor.faces import detect_faces
from auditor.text.names import Roster
from auditor.text.pii import SchoolContacts, find_personal_info

EVAL_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "eval"

Item = dict[str, object]


@functools.cache
def school_contacts() -> SchoolContacts:
    """The school's published contacts of the evaluation set (`safeguarding.personal_info.contacts.json`)."""
    config = json.loads((EVAL_DIR / "safeguarding.personal_info.contacts.json").read_text(encoding="utf-8"))
    return SchoolContacts.parse(config["school_contacts"], config["email_domain"])


@functools.cache
def _roster() -> Roster:
    context = json.loads((EVAL_DIR / "safeguarding.pupil_named.context.json").read_text(encoding="utf-8"))
    return Roster.load(EVAL_DIR / "safeguarding.roster.csv", context["staff"], context["places"])


EVALUATORS: dict[str, Callable[[Item], bool]] = {
    "safeguarding.personal_info": lambda item: bool(find_personal_info(str(item["text"]), school_contacts())),
    # Any roster pupil named: whether the check then fails depends only on the roster's consent column.
    "safeguarding.pupil_named": lambda item: bool(_roster().find(str(item["text"]))),
    "safeguarding.child_photo_consent": lambda item: detect_faces(EVAL_DIR / str(item["file"])).count > 0,
}
# check id -> (precision at least, recall at least), from issue 14's acceptance; photos have no stated goal here
# (benchmarks/faces.py measures faces on real photographs against theirs).
GOALS: dict[str, tuple[float, float]] = {
    "safeguarding.personal_info": (0.95, 0.95),
    "safeguarding.pupil_named": (0.95, 0.98),
}
# Checks whose figures are also shown kind by kind (the "kind" field of each item).
BY_KIND = frozenset({"safeguarding.personal_info", "safeguarding.pupil_named"})
