import datetime as dt

from auditor.checks.registry import credentials_shared, notified, owner_school_email
from auditor.model import Status
from tests.conftest import context


def test_owner_school_email_pass(school_config):
    [r] = owner_school_email(context(school_config, owner="history@islwynhigh.co.uk"))
    assert r.status is Status.PASS


def test_owner_on_school_subdomain_passes(school_config):
    [r] = owner_school_email(context(school_config, owner="j.smith@staff.islwynhigh.co.uk"))
    assert r.status is Status.PASS


def test_owner_personal_email_fails(school_config):
    [r] = owner_school_email(context(school_config, owner="coach@gmail.com"))
    assert r.status is Status.FAIL
    assert "coach@gmail.com" in r.reason and "islwynhigh.co.uk" in r.reason


def test_owner_lookalike_domain_fails(school_config):
    [r] = owner_school_email(context(school_config, owner="a@notislwynhigh.co.uk"))
    assert r.status is Status.FAIL


def test_owner_missing_fails(school_config):
    [r] = owner_school_email(context(school_config, owner=None))
    assert r.status is Status.FAIL
    assert "No owner email" in r.reason


def test_registry_checks_need_no_platform_data(school_config):
    ctx = context(school_config, profile=None)
    assert ctx.data is None
    assert [r.status for r in notified(ctx)] == [Status.PASS]


def test_notified_pass_fail_and_future(school_config):
    assert [r.status for r in notified(context(school_config, notified=dt.date(2024, 9, 2)))] == [Status.PASS]
    [missing] = notified(context(school_config, notified=None))
    assert missing.status is Status.FAIL and "no record" in missing.reason
    [future] = notified(context(school_config, notified=dt.date(2030, 1, 1)))
    assert future.status is Status.FAIL and "2030-01-01" in future.reason


def test_credentials_shared(school_config):
    [yes] = credentials_shared(context(school_config, credentials_shared=True))
    [no] = credentials_shared(context(school_config, credentials_shared=False))
    [unknown] = credentials_shared(context(school_config, credentials_shared=None))
    assert yes.status is Status.PASS and "Heather Davies" in yes.reason
    assert no.status is Status.FAIL and "have not been shared" in no.reason
    assert unknown.status is Status.FAIL and "no record" in unknown.reason
