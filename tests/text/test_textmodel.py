"""The compact trained text model: its features, its scoring from the shipped weights, and the file's round trip."""

from __future__ import annotations

import json
import math
import re

import pytest

from benchmarks import textmodel
from benchmarks.textmodel import LinearModel, features, parse


def test_features_are_words_pairs_stems_and_emoji_as_the_rules_read_them():
    assert features("You're a D1V 🙄🙄 honestly") == [
        "w:you", "w:re", "b:you re", "w:a", "b:re a", "w:div", "b:a div", "w:honestly", "p:hones", "b:div honestly",
        "e:🙄",
    ]  # fmt: skip
    assert features("") == []
    assert features("👍🏽 ok") == ["w:ok", "e:👍"]  # a skin tone is not a feature of its own


def test_a_score_is_the_logistic_of_the_bias_plus_the_weights_over_the_root_of_the_count():
    model = LinearModel({"w:div": 2.0, "b:a div": 1.0, "w:a": -0.5}, bias=-1.0, threshold=0.6)
    # "a div": features w:a, w:div, b:a div -> (2.0 + 1.0 - 0.5) / sqrt(3) - 1.0
    z = (2.0 + 1.0 - 0.5) / math.sqrt(3) - 1.0
    assert model.score("a div") == pytest.approx(1 / (1 + math.exp(-z)))
    assert model.flags("a div") is (1 / (1 + math.exp(-z)) >= 0.6)
    # unknown features count in the root but weigh nothing
    z2 = 2.0 / math.sqrt(3) - 1.0  # w:div, w:sir, b:div sir
    assert model.score("div sir") == pytest.approx(1 / (1 + math.exp(-z2)))
    assert model.score("") == pytest.approx(1 / (1 + math.exp(1.0)))
    assert LinearModel({"w:x": -2000.0}, 0.0, 0.5).score("x") == 0.0  # no overflow at either end
    assert LinearModel({"w:x": 2000.0}, 0.0, 0.5).score("x") == 1.0


def test_the_shipped_weights_give_the_scores_computed_from_the_file_by_hand():
    document = json.loads(textmodel.DATA.read_text(encoding="utf-8"))
    assert set(textmodel.models()) == {"comments.inappropriate"}  # the content model was weighed and not adopted
    for check_id, entry in document["models"].items():
        assert 0.0 < entry["threshold"] <= 1.01
        for text in ("Whoever runs this page is a total div", "What time does the bus leave for the Cardiff trip?"):
            found = features(text)
            z = entry["bias"] + sum(entry["weights"].get(f, 0.0) for f in found) / math.sqrt(len(found))
            assert textmodel.model(check_id).score(text) == pytest.approx(1 / (1 + math.exp(-z)), abs=1e-12)


# Known scores of the shipped comments model (rebuilt by `benchmarks/text_model.py build`; update these with it).
KNOWN = {
    "Whoever runs this page is a total div": 0.908,
    "Well done to the netball girls, brilliant result on Saturday!": 0.004,
    "Da iawn pawb, diolch am noson hyfryd": 0.011,
}


def test_known_inputs_give_known_scores_from_the_shipped_comments_model():
    model = textmodel.model("comments.inappropriate")
    for text, score in KNOWN.items():
        assert model.score(text) == pytest.approx(score, abs=0.0015), text


def test_the_file_is_read_as_written_and_a_wrong_shape_is_a_clear_error():
    document = {"format": 1, "models": {"x": {"bias": 0.5, "threshold": 0.7, "weights": {"w:a": 1.25}}}}
    [(name, model)] = parse(json.loads(json.dumps(document))).items()
    assert name == "x" and model == LinearModel({"w:a": 1.25}, 0.5, 0.7)
    with pytest.raises(ValueError, match="format 2"):
        parse({"format": 2, "models": {}})
    with pytest.raises(ValueError, match="no models"):
        parse({"format": 1})
    with pytest.raises(ValueError, match="x has no weights"):
        parse({"format": 1, "models": {"x": {"bias": 0.0, "threshold": 0.5}}})


def test_the_training_script_rebuilds_the_shipped_file_byte_for_byte_and_its_scores_survive_export():
    pytest.importorskip("sklearn")
    from benchmarks import text_model

    text, document = text_model.document()
    assert text.encode("utf-8") == textmodel.DATA.read_bytes()
    # The round trip: what the script fitted scores the same once written and read back.
    data = text_model.load_tune()
    entry = document["models"]["comments.inappropriate"]
    shipped = textmodel.model("comments.inappropriate")
    fitted = text_model.Fitted(entry["weights"], entry["bias"])
    for item in data["comments.inappropriate"][:50]:
        assert shipped.score(item.text) == pytest.approx(fitted.score(item), abs=1e-12)


def test_the_training_script_never_reads_the_held_out_half():
    pytest.importorskip("sklearn")
    from benchmarks import text_model

    held_out = set()
    for check_id in text_model.CHECKS:
        for line in (text_model.EVAL / f"{check_id}.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["split"] == "heldout":
                held_out.add(row["text"])
    loaded = {item.text for items in text_model.load_tune().values() for item in items}
    assert loaded and held_out and not loaded & held_out


def test_the_comparison_prints_every_fold_and_the_pooled_figures(capsys):
    pytest.importorskip("sklearn")
    from benchmarks import text_model

    text_model.compare(extra_variant=False)
    out = capsys.readouterr().out
    for check_id in text_model.CHECKS:
        assert f"{check_id}: leave-one-batch-out over the tune half" in out
    assert out.count("pooled over the folds") == 2
    assert out.count("  batch 3 held out (36 pos, 24 neg;") == 1  # comments
    for row in ("rules  ", "model@0.5", "model@t", "rules OR model@t"):
        assert re.search(rf"^    {re.escape(row)} +P [01]\.\d{{3}}", out, re.MULTILINE), row
