-- lvzhi schema, SQLite dialect. Keep in step with ../postgres/0001_init.sql:
-- same tables, columns and constraints; only types and trigger syntax differ.
-- Times are TEXT in UTC, fixed width (2006-01-02T15:04:05.000000Z).
-- Scores are INTEGER tenths of a point; data values are exact decimal text.

CREATE TABLE regions (
    code   TEXT PRIMARY KEY,
    name   TEXT NOT NULL,
    level  TEXT NOT NULL CHECK (level IN ('province', 'city', 'county')),
    parent TEXT REFERENCES regions (code)
);
CREATE INDEX regions_parent ON regions (parent);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL,
    region        TEXT NOT NULL REFERENCES regions (code),
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE frameworks (
    id         TEXT NOT NULL,
    version    TEXT NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    source     TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (id, version)
);

CREATE TABLE campaigns (
    id                INTEGER PRIMARY KEY,
    year              INTEGER NOT NULL,
    name              TEXT NOT NULL,
    framework_id      TEXT NOT NULL,
    framework_version TEXT NOT NULL,
    city_review       INTEGER NOT NULL DEFAULT 1,
    stage             TEXT NOT NULL,
    deadlines         TEXT NOT NULL DEFAULT '{}',
    objection_opens   TEXT,
    objection_closes  TEXT,
    sample            TEXT NOT NULL DEFAULT '',
    carried_from      INTEGER REFERENCES campaigns (id),
    opened_at         TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1,
    UNIQUE (year, name),
    FOREIGN KEY (framework_id, framework_version) REFERENCES frameworks (id, version)
);

CREATE TABLE campaign_participants (
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    county      TEXT NOT NULL REFERENCES regions (code),
    PRIMARY KEY (campaign_id, county)
);

CREATE TABLE submissions (
    id            INTEGER PRIMARY KEY,
    campaign_id   INTEGER NOT NULL,
    county        TEXT NOT NULL,
    state         TEXT NOT NULL,
    return_reason TEXT NOT NULL DEFAULT '',
    data_values   TEXT NOT NULL DEFAULT '{}',
    self_scores   TEXT NOT NULL DEFAULT '{}',
    bonus_claims  TEXT NOT NULL DEFAULT '[]',
    narrative     TEXT NOT NULL DEFAULT '[]',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (campaign_id, county),
    FOREIGN KEY (campaign_id, county) REFERENCES campaign_participants (campaign_id, county)
);

CREATE TABLE reviews (
    id            INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    point         TEXT NOT NULL,
    stage         TEXT NOT NULL CHECK (stage IN ('city_review', 'province_verification')),
    score         INTEGER NOT NULL,
    comment       TEXT NOT NULL DEFAULT '',
    reviewer      TEXT NOT NULL,
    reviewed_at   TEXT NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (submission_id, point, stage)
);

CREATE TABLE blobs (
    sha256     TEXT PRIMARY KEY,
    size       INTEGER NOT NULL,
    content    BLOB NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE evidence (
    id            INTEGER PRIMARY KEY,
    submission_id INTEGER NOT NULL REFERENCES submissions (id),
    point         TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    media_type    TEXT NOT NULL DEFAULT '',
    sha256        TEXT NOT NULL REFERENCES blobs (sha256),
    uploaded_by   TEXT NOT NULL,
    uploaded_at   TEXT NOT NULL,
    UNIQUE (submission_id, point, sha256)
);
CREATE INDEX evidence_sha256 ON evidence (sha256);

CREATE TABLE result_snapshots (
    campaign_id  INTEGER PRIMARY KEY REFERENCES campaigns (id),
    counties     INTEGER NOT NULL,
    sha256       TEXT NOT NULL,
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL
);

CREATE TABLE results (
    campaign_id   INTEGER NOT NULL REFERENCES result_snapshots (campaign_id) DEFERRABLE INITIALLY DEFERRED,
    county        TEXT NOT NULL REFERENCES regions (code),
    total         INTEGER NOT NULL,
    self_total    INTEGER NOT NULL,
    grade         TEXT NOT NULL,
    downgrades    TEXT NOT NULL DEFAULT '[]',
    province_rank INTEGER NOT NULL,
    city_rank     INTEGER NOT NULL,
    credibility   INTEGER NOT NULL,
    point_scores  TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (campaign_id, county)
);

CREATE TABLE objections (
    id          INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    county      TEXT NOT NULL REFERENCES regions (code),
    point       TEXT NOT NULL DEFAULT '',
    reason      TEXT NOT NULL,
    evidence    TEXT NOT NULL DEFAULT '[]',
    status      TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
    decision    TEXT NOT NULL DEFAULT '',
    decided_by  TEXT NOT NULL DEFAULT '',
    decided_at  TEXT,
    filed_by    TEXT NOT NULL,
    filed_at    TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX objections_campaign ON objections (campaign_id, county);

CREATE TABLE problems (
    id                  INTEGER PRIMARY KEY,
    campaign_id         INTEGER NOT NULL REFERENCES campaigns (id),
    county              TEXT NOT NULL REFERENCES regions (code),
    source_point        TEXT NOT NULL DEFAULT '',
    finding             TEXT NOT NULL DEFAULT '',
    description         TEXT NOT NULL,
    owner               TEXT NOT NULL DEFAULT '',
    deadline            TEXT,
    status              TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'done', 'verified')),
    completion_note     TEXT NOT NULL DEFAULT '',
    completion_evidence TEXT NOT NULL DEFAULT '[]',
    recheck_note        TEXT NOT NULL DEFAULT '',
    carried_from        INTEGER REFERENCES problems (id),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX problems_campaign ON problems (campaign_id, county);

CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    action    TEXT NOT NULL,
    old_value TEXT NOT NULL DEFAULT '',
    new_value TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);

-- audit_head is the end of the hash chain as the store last wrote it: the
-- last sequence number and its hash. Rows past it were not written by lvzhi.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

-- Published results never change.
CREATE TRIGGER results_no_update BEFORE UPDATE ON results
BEGIN SELECT RAISE(ABORT, 'published results are immutable'); END;
CREATE TRIGGER results_no_delete BEFORE DELETE ON results
BEGIN SELECT RAISE(ABORT, 'published results are immutable'); END;
CREATE TRIGGER result_snapshots_no_update BEFORE UPDATE ON result_snapshots
BEGIN SELECT RAISE(ABORT, 'published results are immutable'); END;
CREATE TRIGGER result_snapshots_no_delete BEFORE DELETE ON result_snapshots
BEGIN SELECT RAISE(ABORT, 'published results are immutable'); END;
-- PublishResults inserts the rows first and their snapshot last (the foreign
-- key is checked at commit); once the snapshot exists no row can join it.
CREATE TRIGGER results_sealed BEFORE INSERT ON results
WHEN EXISTS (SELECT 1 FROM result_snapshots WHERE campaign_id = NEW.campaign_id)
BEGIN SELECT RAISE(ABORT, 'published results are immutable'); END;

-- A framework version pinned by an opened campaign never changes.
CREATE TRIGGER frameworks_pinned_update BEFORE UPDATE ON frameworks
WHEN EXISTS (SELECT 1 FROM campaigns c WHERE c.framework_id = OLD.id
             AND c.framework_version = OLD.version AND c.opened_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'framework version is pinned by an opened campaign'); END;
CREATE TRIGGER frameworks_pinned_delete BEFORE DELETE ON frameworks
WHEN EXISTS (SELECT 1 FROM campaigns c WHERE c.framework_id = OLD.id
             AND c.framework_version = OLD.version AND c.opened_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'framework version is pinned by an opened campaign'); END;

-- An opened campaign keeps its framework version.
CREATE TRIGGER campaigns_pin BEFORE UPDATE OF framework_id, framework_version ON campaigns
WHEN OLD.opened_at IS NOT NULL
     AND (NEW.framework_id <> OLD.framework_id OR NEW.framework_version <> OLD.framework_version)
BEGIN SELECT RAISE(ABORT, 'an opened campaign keeps its framework version'); END;

-- The audit log is append-only.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
