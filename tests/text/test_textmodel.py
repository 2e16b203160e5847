"""The trained second opinion (`auditor.text.model`): its features, its scoring from the shipped weights, the file's
round trip, the way the checks use it, and the training script that builds it."""

from __future__ import annotations

import json
import math
import re

import pytest

from auditor.checks.comments import problems
from auditor.checks.content import second_opinion as post_opinion
from auditor.model import Severity
from auditor.reports.alerts import URGENT_FROM
from auditor.text import model as textmodel
from auditor.text.model import Linear, TextModel, features, parse
from auditor.text.pii import SchoolContacts
from benchmarks import realistic

CONTACTS = SchoolContacts.parse(["01495 200000", "office@islwynhigh.co.uk"], "islwynhigh.co.uk")


def test_features_are_words_pairs_stems_and_emoji_as_the_rules_read_them():
    assert features("You're a D1V 🙄🙄 honestly") == [
        "w:you", "w:re", "b:you re", "w:a", "b:re a", "w:div", "b:a div", "w:honestly", "p:hones", "b:div honestly",
        "e:🙄",
    ]  # fmt: skip
    assert features("") == []
    assert features("👍🏽 ok") == ["w:ok", "e:👍"]  # a skin tone is not a feature of its own


def _model(weights: dict[str, float], bias: float = -1.0, threshold: float = 0.6) -> TextModel:
    categories = {"threat": Linear({"w:kill": 1.0}, 0.0), "mockery": Linear({"w:div": 1.0}, 0.0)}
    return TextModel(Linear(weights, bias), threshold, categories)


def test_a_score_is_the_logistic_of_the_bias_plus_the_weights_over_the_root_of_the_count():
    model = _model({"w:div": 2.0, "b:a div": 1.0, "w:a": -0.5})
    z = (2.0 + 1.0 - 0.5) / math.sqrt(3) - 1.0  # "a div": w:a, w:div, b:a div
    assert model.score("a div") == pytest.approx(1 / (1 + math.exp(-z)))
    z2 = 2.0 / math.sqrt(3) - 1.0  # unknown features count in the root but weigh nothing: w:div, w:sir, b:div sir
    assert model.score("div sir") == pytest.approx(1 / (1 + math.exp(-z2)))
    assert model.score("") == pytest.approx(1 / (1 + math.exp(1.0)))
    assert _model({"w:x": -2000.0}, 0.0).score("x") == 0.0  # no overflow at either end
    assert _model({"w:x": 2000.0}, 0.0).score("x") == 1.0


def test_an_opinion_names_the_category_the_words_that_weighed_most_and_where_they_are():
    model = _model({"w:div": 3.0, "w:total": 1.0, "b:total div": 2.0, "w:is": -1.0}, bias=0.0)
    text = "Whoever runs this page is a total div"
    opinion = model.judge(text)
    assert opinion is not None
    assert opinion.category == "mockery" and opinion.description == "an insult or mockery aimed at a person"
    assert opinion.words == ("div", "total div", "total")  # by weight, only those weighing toward the verdict
    assert opinion.quoted == '"div", "total div", "total"'  # as a finding's reason names them
    assert text[opinion.start : opinion.end] == "div"
    assert 0.5 < opinion.score <= 1.0
    assert model.judge("is is is") is None  # below the threshold: no opinion


def test_the_shipped_weights_give_the_scores_computed_from_the_file_by_hand():
    document = json.loads(textmodel.DATA.read_text(encoding="utf-8"))
    assert set(textmodel.models()) == {"comments.inappropriate", "content.professional"}
    for check_id, entry in document["models"].items():
        assert 0.5 <= entry["threshold"] <= 1.01
        for text in ("Whoever runs this page is a total div", "What time does the bus leave for the Cardiff trip?"):
            found = features(text)
            verdict = entry["verdict"]
            z = verdict["bias"] + sum(verdict["weights"].get(f, 0.0) for f in found) / math.sqrt(len(found))
            shipped = textmodel.model(check_id)
            assert shipped is not None
            assert shipped.score(text) == pytest.approx(1 / (1 + math.exp(-z)), abs=1e-12)


def test_the_file_is_read_as_written_and_a_wrong_shape_is_a_clear_error():
    entry = {
        "threshold": 0.7,
        "verdict": {"bias": 0.5, "weights": {"w:a": 1.25}},
        "categories": {"threat": {"bias": 0.0, "weights": {"w:b": 1.0}}},
    }
    [(name, model)] = parse(json.loads(json.dumps({"format": 2, "models": {"x": entry}}))).items()
    assert name == "x" and model == TextModel(Linear({"w:a": 1.25}, 0.5), 0.7, {"threat": Linear({"w:b": 1.0}, 0.0)})
    with pytest.raises(ValueError, match="format 1, expected 2"):
        parse({"format": 1, "models": {}})
    with pytest.raises(ValueError, match="no models"):
        parse({"format": 2})
    with pytest.raises(ValueError, match="x has no weights"):
        parse({"format": 2, "models": {"x": {**entry, "verdict": {"bias": 0.0}}}})
    with pytest.raises(ValueError, match="x has no categories"):
        parse({"format": 2, "models": {"x": {**entry, "categories": {}}}})
    with pytest.raises(ValueError, match="unknown categories bananas"):
        parse({"format": 2, "models": {"x": {**entry, "categories": {"bananas": entry["verdict"]}}}})


# Insults, threats and mockery in words no rule lists, each from a kind the training writers covered; the model, not
# the rules, is what finds them.
MODEL_ONLY = {
    "whoever runs this page needs their head testing, clueless the lot of them": "an insult or mockery",
    "go back to Lloegr if you dont like it here": "hate",
    "hope your car is ok tonight sir": "a threat",
}


@pytest.mark.parametrize(("text", "category"), MODEL_ONLY.items())
def test_a_comment_only_the_model_flags_is_a_medium_finding_that_names_its_category(text, category):
    from auditor.checks.comments import abusive

    assert not abusive(text)  # the rules pass it
    [problem] = problems(text, CONTACTS, None)
    assert problem.severity is Severity.MEDIUM  # in the report; no urgent alert on the model's word alone
    assert problem.severity.rank > URGENT_FROM["comments.inappropriate"].rank
    assert f"what the trained model reads as {category}" in problem.what and "read it and decide" in problem.what
    assert 0 <= problem.start < problem.end <= len(text)


def test_a_comment_the_rules_flag_does_not_ask_the_model():
    found = problems("I know where you live Mr Jones, watch yourself.", CONTACTS, None)
    assert found and all("trained model" not in p.what and p.severity is Severity.CRITICAL for p in found)


def test_a_laugh_at_someone_stands_only_when_the_model_also_reads_abuse():
    from auditor.checks.comments import abusive, confirmed

    fond = "the nurse talked to year 10 about chlamydia and now year 10 think they can diagnose everyone 😂"
    weak = abusive(fond)
    assert weak and all(" at " in m.term for m in weak)  # the rules' laugh-at shape, and only that
    assert confirmed(weak, lambda: 0.1) == []
    assert confirmed(weak, lambda: 0.9) == weak
    strong = abusive("I know where you live Mr Jones")
    assert confirmed(strong, lambda: 0.0) == strong  # other evidence never waits for the model
    from auditor.text.patterns import emoji_at

    assert all(emoji_at(m.term) for m in weak) and not any(emoji_at(m.term) for m in strong)
    assert not emoji_at("sat at home") and emoji_at("😏 at her")


@pytest.mark.parametrize(
    "text",
    (
        "Sick of the traffic at pick-up, use the back gate?",
        "What time does the bus leave for the Cardiff trip?",
        "Da iawn pawb, diolch am noson hyfryd",
        "Absolute shambles that the buses were late again, the council needs to sort this out",
    ),
)
def test_plain_comments_and_fair_grumbles_are_left_alone(text):
    assert problems(text, CONTACTS, None) == []


def test_the_model_leaves_the_realistic_school_posts_alone():
    """The nightly mass is plain school posts: the model may flag almost none of them (one in a thousand)."""
    texts = realistic.posts(2000, ["Cerys Morgan", "Dylan Evans"])
    flagged = [t for t in texts if post_opinion(t) is not None]
    assert len(flagged) <= 2, flagged[:5]


def test_the_training_script_rebuilds_the_shipped_weights_byte_for_byte():
    """The weights are what the training data gives. (The thresholds are taken from the file: choosing them again
    is a leave-one-writer-out over every group; `benchmarks/text_model.py check` does the whole of it.)"""
    pytest.importorskip("sklearn")
    from benchmarks import text_model

    shipped = json.loads(textmodel.DATA.read_text(encoding="utf-8"))
    thresholds = {check_id: entry["threshold"] for check_id, entry in shipped["models"].items()}
    assert text_model.document(thresholds).encode("utf-8") == textmodel.DATA.read_bytes()


def test_the_training_script_never_reads_the_held_out_half():
    pytest.importorskip("sklearn")
    from benchmarks import text_model

    held_out = text_model.held_out_texts()
    items = [item for check_items in text_model.load().values() for item in check_items]
    loaded = {text_model._same(item.text) for item in items}
    assert loaded and held_out and not loaded & held_out
    groups = {item.group for item in items}
    assert {"w1", "w2", "batch 5"} <= groups


def test_the_comparison_prints_every_fold_and_the_pooled_figures(capsys, monkeypatch):
    pytest.importorskip("sklearn")
    from benchmarks import text_model

    # Three groups of the real data, so the test takes seconds, not the minutes of the whole comparison.
    everything = text_model.load()
    few = {"w1", "w2", "batch 5"}
    monkeypatch.setattr(
        text_model, "load", lambda: {c: [i for i in items if i.group in few] for c, items in everything.items()}
    )
    text_model.compare()
    out = capsys.readouterr().out
    for check_id in text_model.CHECKS:
        assert f"{check_id}: leave-one-writer-out" in out
    assert out.count("pooled over the writers") == 2 and out.count("pooled over the evaluation batches") == 2
    assert re.search(r"^  w1 held out \(\d+ pos, \d+ neg; threshold", out, re.MULTILINE)
    for row in ("rules  ", "model@0.5", "model@t", "rules OR model@t"):
        assert re.search(rf"^    {re.escape(row)} +P [01]\.\d{{3}}", out, re.MULTILINE), row


def test_a_comment_whose_laugh_the_model_did_not_confirm_is_scored_once(monkeypatch):
    import auditor.text.model as text_model

    fond = "the nurse talked to year 10 about chlamydia and now year 10 think they can diagnose everyone 😂"
    calls: list[str] = []
    real = text_model.features
    monkeypatch.setattr(text_model, "features", lambda text: calls.append(text) or real(text))
    assert not [p for p in problems(fond, CONTACTS, None) if "laugh" in p.what or "trained model" in p.what]
    assert calls == [fond]  # the score that vetted the emoji is the model's only reading
