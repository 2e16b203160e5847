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


def test_an_address_with_parentheses_in_its_path_is_found_whole():
    text = "Background reading: https://en.wikipedia.org/wiki/Rugby_union_(sport). Enjoy!"
    assert find_urls(text) == ["https://en.wikipedia.org/wiki/Rugby_union_(sport)"]
    # Parentheses around an address are not part of it.
    assert find_urls("(see www.bbc.co.uk/bitesize)") == ["www.bbc.co.uk/bitesize"]


def test_a_file_name_is_not_an_address():
    assert find_urls("Open worksheet.txt/answers or notes.docx") == []
    assert find_urls("Email office@islwynhigh.co.uk") == []  # an email address is not a web link


def test_addresses_a_browser_would_open_are_all_found():
    text = "http://[::1]:8080/x http://intranet/a http://0x7f.1/ islwynhigh.co.uk/aup https://gov.wales/ysgolion»"
    assert find_urls(text) == [
        "http://[::1]:8080/x",
        "http://intranet/a",
        "http://0x7f.1/",
        "islwynhigh.co.uk/aup",
        "https://gov.wales/ysgolion",
    ]
