"""A stranger's very long comment must cost the text checks time in proportion to its length, never its square: one
hostile reply must not stall the nightly run. Each case runs in a child process with a limit some fifty times what it
needs; the shapes below once took minutes (a tokeniser that re-read a run of "@" from every position in it, and a
class-code reader that re-read one long spelt-out token once for every digit in it, and a mask reader that looked
through every word of the comment for each masked word)."""

from __future__ import annotations

import subprocess
import sys

import pytest

CASES = {
    "a run of at signs": "'@' * 400_000",
    "a run of dollar signs and stars": "'$*' * 200_000",
    "spaced digits read as one spelt-out word": "'0 7 7 0 0 ' * 60_000",
    "words masked by an emoji": "'f\\U0001f92cck ' * 30_000",
}


@pytest.mark.parametrize("expression", CASES.values(), ids=list(CASES))
def test_a_very_long_hostile_comment_is_judged_in_linear_time(expression: str) -> None:
    code = (
        "from auditor.checks.comments import abusive\n"
        "from auditor.checks.content import offending\n"
        "from auditor.text.pii import find_personal_info\n"
        f"text = {expression}\n"
        "print(len(abusive(text)), len(offending(text)), len(find_personal_info(text)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=20, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().count(" ") == 2  # every check answered
