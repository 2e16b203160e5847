"""The trend chart: open problems per department over the last audits, inline SVG drawn from the history."""

from __future__ import annotations

import datetime as dt

from bs4 import BeautifulSoup

from auditor.cli import main
from auditor.reports.trend import trend_rows, trend_svg
from auditor.store import Store

T = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def test_chart_is_drawn_from_history_after_each_run(sample, tmp_path):
    for n in range(3):
        main(["run", "--all", "--config", str(sample), "--out", str(tmp_path / f"r{n}"), "--offline", "--no-email"])
    store = Store(tmp_path / "auditor.sqlite3")
    try:
        history = store.open_by_department()
    finally:
        store.close()
    assert len(history) == 3
    assert history[-1][2]["PE"] >= 1 and history[-1][2]["Senior Leadership"] == 0
    index = BeautifulSoup((tmp_path / "r2/index.html").read_text(), "html.parser")
    svg = index.find("svg")
    assert svg is not None and svg.find("title").get_text().startswith("Open problems per department over the last 3")
    assert len(svg.find_all("g")) == len(history[-1][2])  # one line per department
    legend = index.find("ul", class_="legend").get_text(" ", strip=True)
    pe = history[-1][2]["PE"]
    assert f"PE: {pe} → {pe} → {pe}" in legend  # the same numbers as text, for mail programs that drop SVG
    dept = BeautifulSoup((tmp_path / "r2/departments/PE.html").read_text(), "html.parser")
    assert len(dept.find("svg").find_all("g")) == 1  # a department sees its own line


def test_svg_escapes_names_and_breaks_the_line_where_a_department_was_not_audited():
    history = [("a", T, {"<script>x</script>": 2, "B": 1}), ("b", T, {"B": 3}), ("c", T, {"<script>x</script>": 0})]
    svg = str(trend_svg(history))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    rows = {r.department: r for r in trend_rows(history)}
    assert rows["<script>x</script>"].text == "2 → – → 0"
    doc = BeautifulSoup(svg, "html.parser")
    scripted = next(g for g in doc.find_all("g") if "script" in g.find("title").get_text())
    assert scripted.find_all("polyline") == [] and len(scripted.find_all("circle")) == 2  # no line across the gap
    assert str(trend_svg([])) == ""


def test_equal_lines_stay_apart_and_differ_in_more_than_colour():
    history = [(str(n), T, {"History": 2, "Music": 2, "PE": 2, "Science": 2}) for n in range(3)]
    rows = trend_rows(history)
    assert len({r.colour for r in rows}) == len({r.dash for r in rows}) == len({r.marker for r in rows}) == 4
    doc = BeautifulSoup(str(trend_svg(history)), "html.parser")
    lines = [g.find("polyline") for g in doc.find_all("g")]
    heights = {line["points"].split()[0].split(",")[1] for line in lines}
    assert len(heights) == 4  # four departments with the same counts: four lines to be seen, not one
    dashes = [line.get("stroke-dasharray") for line in lines]
    assert dashes[0] is None and len(set(dashes)) == 4
    # The legend's sample repeats each line's dash and marker.
    for row in rows:
        key = BeautifulSoup(str(row.key), "html.parser")
        assert key.find("line")["stroke"] == row.colour
        assert key.find("line").get("stroke-dasharray") == (row.dash or None)


def test_labels_are_large_enough_on_a_phone():
    """The chart is drawn 360 units wide and shown at most 480 px wide; on a 360 px phone (about 328 px of card) its
    labels are about 12 px, where the old 600-unit drawing made them about 6.5 px."""
    doc = BeautifulSoup(str(trend_svg([("a", T, {"PE": 1}), ("b", T, {"PE": 2})])), "html.parser")
    width = float(doc.find("svg")["viewbox"].split()[2])
    sizes = {float(t["font-size"]) for t in doc.find_all("text")}
    assert min(sizes) * 328 / width >= 11.5
