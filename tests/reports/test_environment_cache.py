"""Jinja environments are built once per process and language (issue 18), so templates compile once."""

from __future__ import annotations

from babel.support import NullTranslations

from auditor.reports.i18n import Language, language
from auditor.reports.render import environment, text_environment


def test_the_same_language_gets_the_same_environment_and_its_compiled_templates():
    first = environment(language("en"))
    assert environment(language("en")) is first
    template = first.get_template("alert.html")
    assert environment(language("en")).get_template("alert.html") is template  # compiled once
    assert text_environment(language("en")) is text_environment(language("en"))
    assert text_environment(language("en")) is not first  # the plain-text one escapes nothing
    assert environment(language("cy")) is environment(language("cy"))
    assert environment(language("cy")) is not first


def test_a_language_with_a_catalogue_of_its_own_gets_its_own_environment():
    own = NullTranslations()
    own.add_fallback(NullTranslations())  # holds something: not interchangeable with another English catalogue
    mine = Language("en", own)
    assert environment(mine) is not environment(language("en"))
    assert environment(mine) is environment(mine)
