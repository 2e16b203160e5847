"""The shipped evaluation set for abuse and unprofessional content, and the accuracy benchmark that reads it."""

import json
from pathlib import Path

from benchmarks import accuracy

EVAL = Path(__file__).resolve().parent.parent / "data" / "eval"
FILES = ("content.professional", "comments.inappropriate")
# Batches whose tune half the rules have been tuned on. Batch 3 was written later, without sight of the rules, as the
# next target, and tuned on for issue 14's comments (its held-out half stays for measuring); batch 4 is tune only;
# batch 5, by a second writer who had not read the rules, was tuned on the same way (its held-out half unread).
TUNED_BATCHES = (1, 2, 3, 4, 5)


def items() -> list[dict]:
    return [json.loads(line) for name in FILES for line in (EVAL / f"{name}.jsonl").read_text("utf-8").splitlines()]


def test_eval_set_is_large_enough_and_labelled():
    rows = items()
    assert all(set(r) >= {"text", "label", "split", "kind"} for r in rows)
    assert {r["split"] for r in rows} == {"tune", "heldout"}
    positives = [r for r in rows if r["label"] == 1]
    negatives = [r for r in rows if r["label"] == 0]
    assert len(positives) >= 60 and len(negatives) >= 100
    assert len([r for r in negatives if r["kind"] == "trap"]) >= 40
    assert {"plain", "obfuscated", "insult", "threat"} <= {r["kind"] for r in positives}
    assert len({r["text"] for r in rows}) == len(rows)
    for split in ("tune", "heldout"):
        part = [r for r in rows if r["split"] == split]
        assert sum(r["label"] for r in part) >= 40 and sum(1 - r["label"] for r in part) >= 60


def test_wilson_interval():
    assert accuracy.wilson(0, 0) == (0.0, 1.0)
    low, high = accuracy.wilson(20, 20)
    assert high == 1.0 and 0.83 < low < 0.84  # the textbook value for 20/20 is 0.839
    low, high = accuracy.wilson(45, 50)
    assert 0.78 < low < 0.79 and 0.95 < high < 0.96


def test_word_lists_meet_the_goals_on_the_tune_split(capsys):
    # The tuned batches' tune halves together, which are the whole tune split of these two files. (Each batch alone
    # was asked once; since the trained model is part of each check, one of its rare false alarms fails a batch as
    # small as batch 4's eight posts, none of them a positive, although the tune split holds 157 innocent posts.)
    assert {r.get("batch", 1) for r in items() if r["split"] == "tune"} == set(TUNED_BATCHES)
    assert accuracy.main(["--split", "tune", "--checks", ",".join(FILES)]) == 0
    out = capsys.readouterr().out
    assert out.count(" met (") == 2, out


def test_batch_3_is_split_in_halves_with_every_kind_in_both():
    sizes = {"comments.inappropriate": 120, "content.professional": 60, "safeguarding.personal_info": 60}
    for name, size in sizes.items():
        lines = (EVAL / f"{name}.jsonl").read_text("utf-8").splitlines()
        rows = [r for r in map(json.loads, lines) if r.get("batch") == 3]
        assert len(rows) == size
        assert all(r["kind"] and r["lang"] in ("en", "cy", "both") for r in rows)
        tune = [r for r in rows if r["split"] == "tune"]
        held = [r for r in rows if r["split"] == "heldout"]
        assert len(tune) == len(held) == size // 2
        assert sum(r["label"] for r in tune) == sum(r["label"] for r in held)
        assert {"en", "cy"} <= {r["lang"] for r in tune} and {"en", "cy"} <= {r["lang"] for r in held}
        for kind in {r["kind"] for r in rows}:
            if sum(r["kind"] == kind for r in rows) >= 2:
                assert {r["split"] for r in rows if r["kind"] == kind} == {"tune", "heldout"}, (name, kind)


def test_errors_are_never_listed_for_the_held_out_split(capsys):
    import pytest

    with pytest.raises(SystemExit):
        accuracy.main(["--errors"])
    assert "held-out" in capsys.readouterr().err


def test_eval_set_has_the_harder_kinds_and_a_welsh_section_in_both_halves():
    rows = items()
    kinds = {r["kind"] for r in rows if r["label"] == 1}
    assert {"mockery", "political", "alcohol", "sexual", "hate", "spam", "masked", "cy-insult", "cy-threat"} <= kinds
    traps = {r["kind"] for r in rows if r["label"] == 0}
    assert {"trap-history", "trap-science", "trap-place", "trap-pse", "trap-sport", "trap-complaint"} <= traps
    for split in ("tune", "heldout"):
        welsh = [r for r in rows if r["split"] == split and r.get("lang") == "cy"]
        assert len(welsh) >= 20 and {0, 1} <= {r["label"] for r in welsh}


def test_by_kind_reports_recall_and_false_alarms_with_intervals(capsys):
    accuracy.main(["--split", "tune", "--by-kind", "--checks", ",".join(FILES)])
    out = capsys.readouterr().out
    assert "    threat " in out and "recall" in out and "false alarms" in out
    line = next(ln for ln in out.splitlines() if ln.strip().startswith("trap-complaint"))
    assert "false alarms" in line and "[" in line and "]" in line


def test_kind_lines_count_and_interval():
    score = accuracy.Score(tp=9, fn=1)
    [line] = accuracy.kind_lines({"threat": score})
    low, high = accuracy.wilson(9, 10)
    assert "9/10" in line and f"0.900 [{low:.3f}, {high:.3f}]" in line


def test_batch_measures_only_the_items_of_that_batch(capsys):
    # Batch 2 was written after the first held-out half had been looked at: it can be reported on its own.
    content = [json.loads(line) for line in (EVAL / "content.professional.jsonl").read_text("utf-8").splitlines()]
    batch2 = [r for r in content if r.get("batch") == 2 and r["split"] == "tune"]
    assert len(batch2) >= 15 and len(batch2) < len([r for r in content if r["split"] == "tune"])
    assert accuracy.batch_of({"text": "x"}) == 1 and accuracy.batch_of(batch2[0]) == 2
    try:
        accuracy.main(["--split", "tune", "--batch", "2", "--checks", "content.professional"])
    finally:
        accuracy._BATCH = None  # the filter must not leak into other tests
    out = capsys.readouterr().out
    assert "batch 2 only" in out
    row = next(ln for ln in out.splitlines() if ln.startswith("content.professional"))
    assert row.split()[1:3] == [str(sum(r["label"] for r in batch2)), str(sum(1 - r["label"] for r in batch2))]
