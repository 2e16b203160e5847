import pytest

from auditor.urls import comparable, find_urls, host_of, is_shortener, same_page


def test_find_urls_in_text():
    text = "AUP: https://www.example.org/aup. Also www.example.org/x, and example.co.uk/page! Not this: e.g. or 3.5"
    assert find_urls(text) == ["https://www.example.org/aup", "www.example.org/x", "example.co.uk/page"]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://www.a.org/x/", "http://a.org/x"),
        ("HTTPS://A.ORG/X", "a.org/x"),
        ("https://a.org/x#frag", "https://a.org/x"),
        ("https://a.org/a%20b", "https://a.org/a b"),
    ],
)
def test_same_page(a, b):
    assert same_page(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://a.org/x?id=1", "https://a.org/x?id=2"),
        ("https://a.org:8443/x", "https://a.org/x"),
        ("https://sub.a.org/x", "https://a.org/x"),
    ],
)
def test_different_pages(a, b):
    assert not same_page(a, b)


def test_host_and_shorteners():
    assert host_of("https://T.CO/abc") == "t.co"
    assert host_of("bit.ly/x") == "bit.ly"
    assert is_shortener("https://bit.ly/x") and not is_shortener("https://www.islwynhigh.co.uk")
    assert comparable("not a url at all") == "not a url at all"
