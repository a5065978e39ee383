-- Issue [6/8], second round: today's statuses from a table of their own, the plan's child
-- tables keyed by their primary key, and copies of an update kept out without an index of
-- their own.
--
-- Each initiative's latest status as the record stands (its last update by day, then by when it
-- was recorded, leaving out retracted ones): what `graph impact`, `graph export` and the other
-- readers of "the status today" need. Read from the history, that is a seek per initiative into
-- an index as big as the history (about 7,500 pages at 10,000 initiatives); this table is about
-- 150.
-- It is derived: writes keep it (one upsert per initiative a write touches, and a recomputation
-- when an update is retracted), and `period verify` checks it against the history.
CREATE TABLE latest_status (
    strategy_id   TEXT NOT NULL,
    initiative_id TEXT NOT NULL,
    reported_on   TEXT NOT NULL,
    update_id     INTEGER NOT NULL REFERENCES status_update(id),
    status        TEXT NOT NULL,
    PRIMARY KEY (strategy_id, initiative_id)
) STRICT, WITHOUT ROWID;

INSERT INTO latest_status (strategy_id, initiative_id, reported_on, update_id, status)
SELECT u.strategy_id, u.initiative_id, u.reported_on, u.id, u.status
FROM initiative i JOIN status_update u ON u.id = (
    SELECT l.id FROM status_update l
    WHERE l.strategy_id = i.strategy_id AND l.initiative_id = i.id
      AND NOT EXISTS (SELECT 1 FROM retraction x WHERE x.update_id = l.id)
    ORDER BY l.reported_on DESC, l.id DESC LIMIT 1);

-- A retraction takes an update out of the record: its initiative's latest is found again.
CREATE TRIGGER retraction_latest_status AFTER INSERT ON retraction
BEGIN
    DELETE FROM latest_status WHERE (strategy_id, initiative_id) =
        (SELECT strategy_id, initiative_id FROM status_update WHERE id = NEW.update_id);
    INSERT INTO latest_status (strategy_id, initiative_id, reported_on, update_id, status)
    SELECT l.strategy_id, l.initiative_id, l.reported_on, l.id, l.status
    FROM status_update r JOIN status_update l
      ON l.strategy_id = r.strategy_id AND l.initiative_id = r.initiative_id
    WHERE r.id = NEW.update_id
      AND NOT EXISTS (SELECT 1 FROM retraction x WHERE x.update_id = l.id)
    ORDER BY l.reported_on DESC, l.id DESC LIMIT 1;
END;

-- An initiative's dependencies, participants, tags and milestones, and an indicator's segments
-- and targets, are read per parent in order. As tables keyed by rowid, that walk went through
-- the primary key's index and looked every row up in the table; keyed by their primary key
-- (WITHOUT ROWID) the walk is the table itself, and the separate index is gone.
CREATE TABLE dependency_0008 (
    strategy_id   TEXT NOT NULL,
    initiative_id TEXT NOT NULL,
    position      INTEGER NOT NULL,
    depends_on    TEXT NOT NULL,
    PRIMARY KEY (strategy_id, initiative_id, position),
    FOREIGN KEY (strategy_id, initiative_id) REFERENCES initiative(strategy_id, id),
    FOREIGN KEY (strategy_id, depends_on) REFERENCES initiative(strategy_id, id)
) STRICT, WITHOUT ROWID;
INSERT INTO dependency_0008 SELECT strategy_id, initiative_id, position, depends_on FROM dependency;
DROP TABLE dependency;
ALTER TABLE dependency_0008 RENAME TO dependency;
CREATE INDEX dependency_by_target ON dependency(strategy_id, depends_on);

CREATE TABLE milestone_0008 (
    strategy_id   TEXT NOT NULL,
    initiative_id TEXT NOT NULL,
    position      INTEGER NOT NULL,
    title         TEXT NOT NULL,
    due           TEXT NOT NULL,
    done          TEXT,
    PRIMARY KEY (strategy_id, initiative_id, position),
    FOREIGN KEY (strategy_id, initiative_id) REFERENCES initiative(strategy_id, id)
) STRICT, WITHOUT ROWID;
INSERT INTO milestone_0008 SELECT strategy_id, initiative_id, position, title, due, done FROM milestone;
DROP TABLE milestone;
ALTER TABLE milestone_0008 RENAME TO milestone;

CREATE TABLE initiative_participant_0008 (
    strategy_id   TEXT NOT NULL,
    initiative_id TEXT NOT NULL,
    position      INTEGER NOT NULL,
    organisation  TEXT NOT NULL,
    PRIMARY KEY (strategy_id, initiative_id, position),
    FOREIGN KEY (strategy_id, initiative_id) REFERENCES initiative(strategy_id, id),
    FOREIGN KEY (strategy_id, organisation) REFERENCES organisation(strategy_id, id)
) STRICT, WITHOUT ROWID;
INSERT INTO initiative_participant_0008
    SELECT strategy_id, initiative_id, position, organisation FROM initiative_participant;
DROP TABLE initiative_participant;
ALTER TABLE initiative_participant_0008 RENAME TO initiative_participant;

CREATE TABLE initiative_tag_0008 (
    strategy_id   TEXT NOT NULL,
    initiative_id TEXT NOT NULL,
    position      INTEGER NOT NULL,
    tag           TEXT NOT NULL,
    PRIMARY KEY (strategy_id, initiative_id, position),
    FOREIGN KEY (strategy_id, initiative_id) REFERENCES initiative(strategy_id, id)
) STRICT, WITHOUT ROWID;
INSERT INTO initiative_tag_0008 SELECT strategy_id, initiative_id, position, tag FROM initiative_tag;
DROP TABLE initiative_tag;
ALTER TABLE initiative_tag_0008 RENAME TO initiative_tag;

CREATE TABLE indicator_segment_0008 (
    strategy_id  TEXT NOT NULL,
    indicator_id TEXT NOT NULL,
    position     INTEGER NOT NULL,
    segment      TEXT NOT NULL,
    PRIMARY KEY (strategy_id, indicator_id, position),
    FOREIGN KEY (strategy_id, indicator_id) REFERENCES indicator(strategy_id, id)
) STRICT, WITHOUT ROWID;
INSERT INTO indicator_segment_0008 SELECT strategy_id, indicator_id, position, segment FROM indicator_segment;
DROP TABLE indicator_segment;
ALTER TABLE indicator_segment_0008 RENAME TO indicator_segment;

CREATE TABLE indicator_target_0008 (
    strategy_id  TEXT NOT NULL,
    indicator_id TEXT NOT NULL,
    position     INTEGER NOT NULL,
    year         INTEGER NOT NULL,
    value        REAL NOT NULL,
    segment      TEXT,
    PRIMARY KEY (strategy_id, indicator_id, position),
    FOREIGN KEY (strategy_id, indicator_id) REFERENCES indicator(strategy_id, id)
) STRICT, WITHOUT ROWID;
INSERT INTO indicator_target_0008
    SELECT strategy_id, indicator_id, position, year, value, segment FROM indicator_target;
DROP TABLE indicator_target;
ALTER TABLE indicator_target_0008 RENAME TO indicator_target;

-- The same update is stored once: the trigger that ignores a second copy now looks for its
-- fingerprint among its initiative's updates, in the by-initiative index (which carries the
-- fingerprint), and the unique index on the fingerprint goes. A fingerprint is the SHA-256 of
-- the update's content, its initiative included, so the same fingerprint under another
-- initiative is not a copy. The unique index was one more B-tree to write at a random place on
-- every insert (a fifth of an insert's time, measured) and 11 % of the database.
DROP TRIGGER status_update_same_content;
DROP INDEX status_update_fingerprint;
CREATE TRIGGER status_update_same_content BEFORE INSERT ON status_update
WHEN EXISTS (SELECT 1 FROM status_update WHERE strategy_id = NEW.strategy_id
             AND initiative_id = NEW.initiative_id AND fingerprint = NEW.fingerprint)
BEGIN
    SELECT RAISE(IGNORE);
END;
