"""The [links] section of config.toml."""

import pytest

from auditor import config as config_mod
from auditor.links.settings import DEFAULT_CATEGORIES
from tests.conftest import write_config

ACCOUNT = """
[[accounts]]
handle = "@HistoryIHS"
platform = "x-archive"
department = "History"
source = "archive"
"""


def test_defaults_trust_the_school_domains_and_keep_private_hosts_off(tmp_path):
    config = config_mod.load(write_config(tmp_path, ACCOUNT))
    links = config.links
    assert links.trusted_domains == ("islwynhigh.co.uk",)
    assert links.blocked_categories == DEFAULT_CATEGORIES
    assert links.blocklists == tmp_path / "data" / "blocklists"
    assert links.cache == tmp_path / "links-cache.sqlite3"
    assert links.cache_max_age_hours == 24
    assert links.allow_private_hosts is False
    assert links.safe_browsing_key_env == "SAFE_BROWSING_API_KEY" and links.urlhaus_key_env == "URLHAUS_AUTH_KEY"


def test_every_setting_can_be_given(tmp_path):
    config = config_mod.load(
        write_config(
            tmp_path,
            ACCOUNT
            + """
[links]
trusted_domains = ["islwynhigh.co.uk", "hwb.gov.wales"]
blocked_categories = ["adult", "gambling"]
blocklists = "lists"
blocklist_url = "https://mirror.example.org/ut1"
cache = "state/links.sqlite3"
cache_max_age_hours = 48
workers = 8
per_host = 1
timeout = 5
safe_browsing_key_env = "GSB_KEY"
urlhaus_key_env = "ABUSE_KEY"
allow_private_hosts = true
""",
        )
    )
    links = config.links
    assert links.trusted_domains == ("islwynhigh.co.uk", "hwb.gov.wales")
    assert links.blocked_categories == ("adult", "gambling")
    assert links.blocklists == tmp_path / "lists" and links.cache == tmp_path / "state/links.sqlite3"
    assert links.blocklist_url == "https://mirror.example.org/ut1/"
    assert (links.cache_max_age_hours, links.workers, links.per_host, links.read_timeout) == (48, 8, 1, 5)
    assert (links.safe_browsing_key_env, links.urlhaus_key_env, links.allow_private_hosts) == (
        "GSB_KEY",
        "ABUSE_KEY",
        True,
    )


def test_bad_values_are_reported_with_their_key(tmp_path):
    body = ACCOUNT + '\n[links]\nworkers = 0\nblocked_categories = "adult"\nallow_private_hosts = "yes"\nworkerz = 3\n'
    with pytest.raises(config_mod.ConfigError) as caught:
        config_mod.load(write_config(tmp_path, body))
    text = "\n".join(caught.value.problems)
    assert "links.workers" in text and "links.blocked_categories" in text
    assert "links.allow_private_hosts" in text and "did you mean 'workers'" in text


def test_bounds_and_proxy_settings(tmp_path, monkeypatch):
    body = ACCOUNT + (
        '\n[links]\nlink_deadline = 8\nhost_backoff_budget = 45\nproxy = "http://proxy.school:3128"\n'
        'proxy_credentials_env = "SCHOOL_PROXY_LOGIN"\n'
    )
    links = config_mod.load(write_config(tmp_path, body)).links
    assert (links.link_deadline, links.host_backoff_budget) == (8.0, 45.0)
    assert links.proxy == "http://proxy.school:3128" and links.proxy_credentials_env == "SCHOOL_PROXY_LOGIN"
    assert links.proxy_from_environment is False
    defaults = config_mod.load(write_config(tmp_path, ACCOUNT)).links
    assert (defaults.link_deadline, defaults.host_backoff_budget, defaults.proxy) == (20.0, 60.0, None)
    from_env = config_mod.load(write_config(tmp_path, ACCOUNT + "\n[links]\nproxy_from_environment = true\n")).links
    assert from_env.proxy_from_environment is True and from_env.proxy is None


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ('proxy = "socks5://proxy.school:1080"', "starting with http:// or https://"),
        ('proxy = "proxy.school:3128"', "starting with http:// or https://"),
        ('proxy = "http://proxy.school:99999"', "its port is not valid"),
        ('proxy = "http://proxy.school:3128"\nproxy_from_environment = true', "not both"),
        ('proxy_credentials_env = "SCHOOL_PROXY_LOGIN"', "only used with proxy"),
        ('proxy = "http://p.school:3128"\nproxy_credentials_env = "not a name"', "name of an environment variable"),
        ("link_deadline = 0", "links.link_deadline"),
        ('host_backoff_budget = "a minute"', "links.host_backoff_budget"),
    ],
)
def test_bad_bounds_and_proxy_settings_are_reported(tmp_path, lines, message):
    with pytest.raises(config_mod.ConfigError) as caught:
        config_mod.load(write_config(tmp_path, ACCOUNT + f"\n[links]\n{lines}\n"))
    assert message in "\n".join(caught.value.problems)


@pytest.mark.parametrize(
    "proxy", ["http://auditor:Hunter2secret@proxy.school:3128", "auditor:Hunter2secret@proxy:3128"]
)
def test_a_proxy_password_in_the_file_is_refused_and_never_repeated(tmp_path, proxy):
    with pytest.raises(config_mod.ConfigError) as caught:
        config_mod.load(write_config(tmp_path, ACCOUNT + f'\n[links]\nproxy = "{proxy}"\n'))
    text = "\n".join(caught.value.problems)
    assert "links.proxy" in text and "proxy_credentials_env" in text
    assert "Hunter2secret" not in text
