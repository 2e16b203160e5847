from auditor.checks.messaging import no_private_dm
from auditor.model import Profile, Status
from tests.conftest import context


def test_always_manual_never_pass(school_config):
    for ctx in (context(school_config, Profile(username="HistoryIHS")), context(school_config, None)):
        [r] = no_private_dm(ctx)
        assert r.status is Status.MANUAL
        assert "@HistoryIHS" in r.reason
