-- actionplan schema, version 1.
-- Append only: a released migration is never edited; changes come as new numbered files.
-- Plan items are kept as current rows (for queries) plus a version per change (for history);
-- nothing is ever deleted: vanished items are marked withdrawn.

CREATE TABLE strategy (
    id           TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    period_start INTEGER NOT NULL,
    period_end   INTEGER NOT NULL CHECK (period_end >= period_start),
    description  TEXT
) STRICT;

-- Every write session: one `load`, one `status set`. Rows appear only when something changed.
CREATE TABLE load_event (
    id          INTEGER PRIMARY KEY,
    recorded_at TEXT NOT NULL,      -- RFC 3339, UTC
    command     TEXT NOT NULL       -- `load`, `status set`, …
) STRICT;

-- A file (or command) that contributed data, identified by path and content hash.
CREATE TABLE source (
    id            INTEGER PRIMARY KEY,
    load_event_id INTEGER NOT NULL REFERENCES load_event(id),
    kind          TEXT NOT NULL CHECK (kind IN ('plan', 'form', 'narrative', 'command', 'measurements', 'export')),
    path          TEXT NOT NULL,
    content_hash  TEXT NOT NULL
) STRICT;

CREATE TABLE plan_revision (
    id          INTEGER PRIMARY KEY,
    strategy_id TEXT NOT NULL REFERENCES strategy(id),
    source_id   INTEGER NOT NULL REFERENCES source(id),
    summary     TEXT NOT NULL
) STRICT;

CREATE TABLE organisation (
    strategy_id TEXT NOT NULL REFERENCES strategy(id),
    id          TEXT NOT NULL,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    short       TEXT,
    kind        TEXT,
    withdrawn   INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
    PRIMARY KEY (strategy_id, id)
) STRICT;

CREATE TABLE focus_area (
    strategy_id TEXT NOT NULL REFERENCES strategy(id),
    id          TEXT NOT NULL,
    position    INTEGER NOT NULL,
    title       TEXT NOT NULL,
    goal        TEXT NOT NULL,
    withdrawn   INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
    PRIMARY KEY (strategy_id, id)
) STRICT;

CREATE TABLE initiative (
    strategy_id TEXT NOT NULL,
    id          TEXT NOT NULL,
    position    INTEGER NOT NULL,
    title       TEXT NOT NULL,
    focus_area  TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('initiative', 'supporting-measure', 'life-event', 'proposed')),
    owner       TEXT NOT NULL,
    ministry    TEXT,
    start       TEXT,               -- YYYY-MM-DD
    due         TEXT,
    description TEXT,
    withdrawn   INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
    PRIMARY KEY (strategy_id, id),
    FOREIGN KEY (strategy_id, focus_area) REFERENCES focus_area(strategy_id, id),
    FOREIGN KEY (strategy_id, owner) REFERENCES organisation(strategy_id, id),
    FOREIGN KEY (strategy_id, ministry) REFERENCES organisation(strategy_id, id)
) STRICT;
CREATE INDEX initiative_by_owner ON initiative(strategy_id, owner);

CREATE TABLE initiative_participant (
    strategy_id   TEXT NOT NULL,
    initiative_id TEXT NOT NULL,
    position      INTEGER NOT NULL,
    organisation  TEXT NOT NULL,
    PRIMARY KEY (strategy_id, initiative_id, position),
    FOREIGN KEY (strategy_id, initiative_id) REFERENCES initiative(strategy_id, id),
    FOREIGN KEY (strategy_id, organisation) REFERENCES organisation(strategy_id, id)
) STRICT;

CREATE TABLE dependency (
    strategy_id   TEXT NOT NULL,
    initiative_id TEXT NOT NULL,
    position      INTEGER NOT NULL,
    depends_on    TEXT NOT NULL,
    PRIMARY KEY (strategy_id, initiative_id, position),
    FOREIGN KEY (strategy_id, initiative_id) REFERENCES initiative(strategy_id, id),
    FOREIGN KEY (strategy_id, depends_on) REFERENCES initiative(strategy_id, id)
) STRICT;
CREATE INDEX dependency_by_target ON dependency(strategy_id, depends_on);

CREATE TABLE initiative_tag (
    strategy_id   TEXT NOT NULL,
    initiative_id TEXT NOT NULL,
    position      INTEGER NOT NULL,
    tag           TEXT NOT NULL,
    PRIMARY KEY (strategy_id, initiative_id, position),
    FOREIGN KEY (strategy_id, initiative_id) REFERENCES initiative(strategy_id, id)
) STRICT;

CREATE TABLE milestone (
    strategy_id   TEXT NOT NULL,
    initiative_id TEXT NOT NULL,
    position      INTEGER NOT NULL,
    title         TEXT NOT NULL,
    due           TEXT NOT NULL,
    done          TEXT,
    PRIMARY KEY (strategy_id, initiative_id, position),
    FOREIGN KEY (strategy_id, initiative_id) REFERENCES initiative(strategy_id, id)
) STRICT;

CREATE TABLE indicator (
    strategy_id TEXT NOT NULL REFERENCES strategy(id),
    id          TEXT NOT NULL,
    position    INTEGER NOT NULL,
    title       TEXT NOT NULL,
    focus_area  TEXT,
    unit        TEXT NOT NULL CHECK (unit IN ('percent', 'count', 'score', 'index', 'rank')),
    better      TEXT NOT NULL CHECK (better IN ('higher', 'lower')),
    source      TEXT,
    withdrawn   INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
    PRIMARY KEY (strategy_id, id)
) STRICT;

CREATE TABLE indicator_segment (
    strategy_id  TEXT NOT NULL,
    indicator_id TEXT NOT NULL,
    position     INTEGER NOT NULL,
    segment      TEXT NOT NULL,
    PRIMARY KEY (strategy_id, indicator_id, position),
    FOREIGN KEY (strategy_id, indicator_id) REFERENCES indicator(strategy_id, id)
) STRICT;

CREATE TABLE indicator_target (
    strategy_id  TEXT NOT NULL,
    indicator_id TEXT NOT NULL,
    position     INTEGER NOT NULL,
    year         INTEGER NOT NULL,
    value        REAL NOT NULL,
    segment      TEXT,
    PRIMARY KEY (strategy_id, indicator_id, position),
    FOREIGN KEY (strategy_id, indicator_id) REFERENCES indicator(strategy_id, id)
) STRICT;

-- Every version of every plan item, as normalised JSON; NULL content marks a withdrawal.
-- This is what lets a plan be seen as it stood on any day.
CREATE TABLE plan_item_version (
    id          INTEGER PRIMARY KEY,
    revision_id INTEGER NOT NULL REFERENCES plan_revision(id),
    item_type   TEXT NOT NULL CHECK (item_type IN ('strategy', 'organisation', 'focus_area', 'initiative', 'indicator')),
    item_id     TEXT NOT NULL,
    content     TEXT
) STRICT;
CREATE INDEX plan_item_version_by_item ON plan_item_version(item_type, item_id);

-- The status history. Append only: a correction is a new row; triggers below refuse changes.
CREATE TABLE status_update (
    id              INTEGER PRIMARY KEY,
    strategy_id     TEXT NOT NULL,
    initiative_id   TEXT NOT NULL,
    reported_on     TEXT NOT NULL,   -- the day the status holds for, YYYY-MM-DD
    status          TEXT NOT NULL CHECK (status IN ('not-started', 'on-track', 'at-risk', 'delayed', 'completed', 'paused', 'cancelled')),
    progress        INTEGER CHECK (progress BETWEEN 0 AND 100),
    summary         TEXT,
    description     TEXT,
    success_factors TEXT,
    challenges      TEXT,
    lessons         TEXT,
    next_year       TEXT,
    respondent      TEXT,
    source_id       INTEGER NOT NULL REFERENCES source(id),
    fingerprint     TEXT NOT NULL,   -- hash of the content: the same update is stored once
    FOREIGN KEY (strategy_id, initiative_id) REFERENCES initiative(strategy_id, id)
) STRICT;
CREATE INDEX status_update_by_initiative ON status_update(strategy_id, initiative_id, reported_on);
CREATE INDEX status_update_by_date ON status_update(strategy_id, reported_on);
CREATE UNIQUE INDEX status_update_fingerprint ON status_update(strategy_id, fingerprint);

CREATE TRIGGER status_update_no_update BEFORE UPDATE ON status_update
BEGIN
    SELECT RAISE(ABORT, 'status history is append-only: record a correction as a new update');
END;
CREATE TRIGGER status_update_no_delete BEFORE DELETE ON status_update
BEGIN
    SELECT RAISE(ABORT, 'status history is append-only: updates are never deleted');
END;

-- Report narratives, one version per change; the latest for a year is the one used.
CREATE TABLE narrative (
    id          INTEGER PRIMARY KEY,
    strategy_id TEXT NOT NULL REFERENCES strategy(id),
    year        INTEGER NOT NULL,
    content     TEXT NOT NULL,      -- the narrative as JSON
    source_id   INTEGER NOT NULL REFERENCES source(id)
) STRICT;
CREATE INDEX narrative_by_year ON narrative(strategy_id, year);
