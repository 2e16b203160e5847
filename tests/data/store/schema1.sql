-- A history database as auditor made it before its schema was versioned by Alembic (schema 1, meta.schema_version
-- = 1, with the columns added to `runs` since): the DDL is the store's own from that version (its _SCHEMA and
-- _ADDED_COLUMNS), the rows are made up for tests/store/test_migrations.py: two finished audits and one that was
-- killed, two accounts, findings new and persisting, connector state, email queued, sent, skipped and given up, an
-- alert and an escalation. Loaded with sqlite3's executescript.
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    version TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS account_runs (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    account_key TEXT NOT NULL,
    handle TEXT NOT NULL,
    platform TEXT NOT NULL,
    department TEXT NOT NULL,
    status TEXT NOT NULL,
    error TEXT,
    posts_examined INTEGER NOT NULL,
    comments_examined INTEGER NOT NULL,
    PRIMARY KEY (run_id, account_key)
);
CREATE TABLE IF NOT EXISTS findings (
    run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    account_key TEXT NOT NULL,
    account TEXT NOT NULL,
    platform TEXT NOT NULL,
    department TEXT NOT NULL,
    check_id TEXT NOT NULL,
    clause TEXT NOT NULL,
    status TEXT NOT NULL,
    severity TEXT NOT NULL,
    reason TEXT NOT NULL,
    evidence TEXT NOT NULL,
    change TEXT NOT NULL,
    first_seen TEXT,
    PRIMARY KEY (run_id, id)
);
CREATE INDEX IF NOT EXISTS findings_by_account ON findings(account_key, run_id);
CREATE TABLE IF NOT EXISTS connector_state (
    account_key TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    run_id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS deliveries (
    run_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    recipients TEXT NOT NULL,
    subject TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    error TEXT,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS alerts_sent (
    finding_id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS escalations_sent (
    finding_id TEXT PRIMARY KEY,
    run_id TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    recipients TEXT NOT NULL,
    subject TEXT NOT NULL,
    message BLOB NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    queued_at TEXT NOT NULL,
    done_at TEXT
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox(status, id);
ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'audit';
ALTER TABLE runs ADD COLUMN scope TEXT NOT NULL DEFAULT 'full';
ALTER TABLE runs ADD COLUMN scope_note TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN announced INTEGER NOT NULL DEFAULT 1;
INSERT INTO meta VALUES ('schema_version', '1');
INSERT INTO runs VALUES ('20261101T020000Z-aaaaaa', '2026-11-01T02:00:00+00:00', '2026-11-01T02:01:00+00:00', 'complete', '0.1.0', 'audit', 'full', '', 1);
INSERT INTO runs VALUES ('20261102T020000Z-bbbbbb', '2026-11-02T02:00:00+00:00', '2026-11-02T02:01:30+00:00', 'partial', '0.1.0', 'audit', 'full', '', 1);
INSERT INTO runs VALUES ('20261102T021500Z-cccccc', '2026-11-02T02:15:00+00:00', NULL, 'running', '0.1.0', 'comment_sweep', 'partial', 'comments only', 0);
INSERT INTO account_runs VALUES ('20261101T020000Z-aaaaaa', 'x:@historyihs', '@HistoryIHS', 'x', 'History', 'ok', NULL, 40, 12);
INSERT INTO account_runs VALUES ('20261101T020000Z-aaaaaa', 'instagram:@musicihs', '@MusicIHS', 'instagram', 'Music', 'ok', NULL, 10, 3);
INSERT INTO account_runs VALUES ('20261102T020000Z-bbbbbb', 'x:@historyihs', '@HistoryIHS', 'x', 'History', 'ok', NULL, 41, 12);
INSERT INTO account_runs VALUES ('20261102T020000Z-bbbbbb', 'instagram:@musicihs', '@MusicIHS', 'instagram', 'Music', 'error', 'the platform answered 503', 0, 0);
INSERT INTO findings VALUES ('20261101T020000Z-aaaaaa', 'f-links-1', 'x:@historyihs', '@HistoryIHS', 'x', 'History', 'links.external_safe', 'SMP-2.5', 'FAIL', 'high', 'A post links to a site on the blocklist.', '{"url": "https://x.com/HistoryIHS/status/1", "post_id": "1", "excerpt": "see this", "link": "http://bad.example"}', 'new', '2026-11-01T02:00:00+00:00');
INSERT INTO findings VALUES ('20261101T020000Z-aaaaaa', 'f-aup-1', 'x:@historyihs', '@HistoryIHS', 'x', 'History', 'about.aup_link', 'SMP-3.1', 'PASS', 'low', 'The profile links to the AUP.', '{"url": null, "post_id": null, "excerpt": null, "link": null}', 'new', NULL);
INSERT INTO findings VALUES ('20261101T020000Z-aaaaaa', 'f-name-1', 'instagram:@musicihs', '@MusicIHS', 'instagram', 'Music', 'naming.ihs_in_username', 'SMP-1.2', 'FAIL', 'medium', 'The username does not contain IHS.', '{"url": null, "post_id": null, "excerpt": null, "link": null}', 'new', '2026-11-01T02:00:00+00:00');
INSERT INTO findings VALUES ('20261102T020000Z-bbbbbb', 'f-links-1', 'x:@historyihs', '@HistoryIHS', 'x', 'History', 'links.external_safe', 'SMP-2.5', 'FAIL', 'high', 'A post links to a site on the blocklist.', '{"url": "https://x.com/HistoryIHS/status/1", "post_id": "1", "excerpt": "see this", "link": "http://bad.example"}', 'persisting', '2026-11-01T02:00:00+00:00');
INSERT INTO findings VALUES ('20261102T020000Z-bbbbbb', 'f-aup-1', 'x:@historyihs', '@HistoryIHS', 'x', 'History', 'about.aup_link', 'SMP-3.1', 'PASS', 'low', 'The profile links to the AUP.', '{"url": null, "post_id": null, "excerpt": null, "link": null}', 'persisting', NULL);
INSERT INTO connector_state VALUES ('x:@historyihs', '{"since_id": "41"}', '20261102T020000Z-bbbbbb');
INSERT INTO deliveries VALUES ('20261101T020000Z-aaaaaa', 'department:History', 'head.history@islwynhigh.co.uk', 'History: 1 to fix', 'sent', 1, NULL, '2026-11-01T02:01:10+00:00');
INSERT INTO deliveries VALUES ('20261101T020000Z-aaaaaa', 'school', 'h.davies@islwynhigh.co.uk', 'Islwyn High School: 2 to fix', 'sent', 2, NULL, '2026-11-01T02:01:05+00:00');
INSERT INTO deliveries VALUES ('20261102T020000Z-bbbbbb', 'department:Music', 'head.music@islwynhigh.co.uk', 'Music: unchanged', 'skipped', 0, 'nothing changed', '2026-11-02T02:01:20+00:00');
INSERT INTO alerts_sent VALUES ('f-links-1', '20261101T020000Z-aaaaaa', '2026-11-01T02:01:00+00:00');
INSERT INTO escalations_sent VALUES ('f-links-1', '20261102T020000Z-bbbbbb', '2026-11-02T02:01:00+00:00');
INSERT INTO outbox (run_id, kind, recipients, subject, message, status, attempts, error, queued_at, done_at) VALUES ('20261102T020000Z-bbbbbb', 'department:History', 'head.history@islwynhigh.co.uk', 'History: 1 to fix', X'', 'sent', 1, NULL, '2026-11-02T02:01:00+00:00', '2026-11-02T02:01:02+00:00');
INSERT INTO outbox (run_id, kind, recipients, subject, message, status, attempts, error, queued_at, done_at) VALUES ('20261102T020000Z-bbbbbb', 'school', 'h.davies@islwynhigh.co.uk', 'Islwyn High School: 2 to fix', X'46726f6d3a2061756469746f720d0a0d0a48656c6c6f', 'pending', 2, 'the mail server did not answer', '2026-11-02T02:01:00+00:00', NULL);
