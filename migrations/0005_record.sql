-- A record that a wrong date cannot bend (issue [1/8]) and that raw SQL cannot rewrite ([2/8]).

-- Plan revisions take effect on a day. Revisions recorded before this migration: a strategy's
-- first version from 1 January of its first year (as the contract reads a first version without
-- `revised`), every later one from the day it was loaded.
ALTER TABLE plan_revision ADD COLUMN effective_on TEXT NOT NULL DEFAULT '';
UPDATE plan_revision SET effective_on = CASE
    WHEN id = (SELECT min(r.id) FROM plan_revision r WHERE r.strategy_id = plan_revision.strategy_id)
        THEN (SELECT printf('%04d-01-01', s.period_start) FROM strategy s WHERE s.id = plan_revision.strategy_id)
    ELSE (SELECT substr(e.recorded_at, 1, 10) FROM source s JOIN load_event e ON e.id = s.load_event_id
          WHERE s.id = plan_revision.source_id)
END;
CREATE INDEX plan_revision_by_strategy ON plan_revision(strategy_id, effective_on, id);
-- The reason given when a revision takes effect inside a closed (frozen) period.
ALTER TABLE plan_revision ADD COLUMN correction TEXT;

-- What an update rests on (reported by its owner, or inferred by the programme office), and the
-- source it cites. Both are part of the update's fingerprint when given.
ALTER TABLE status_update ADD COLUMN basis TEXT CHECK (basis IN ('reported', 'inferred'));
ALTER TABLE status_update ADD COLUMN cited_source TEXT;

-- An indicator's weight in its goal's score (NULL: 1).
ALTER TABLE indicator ADD COLUMN weight REAL CHECK (weight > 0);

-- How a closed period's content hash was computed. Rule 1 (before this migration) hashed the
-- plan as it stood when read, in plan order; rule 2 hashes the plan in force on the period's
-- last day, in id order, and leaves retracted updates out, so that it can always be rebuilt.
ALTER TABLE closed_period ADD COLUMN hash_rule INTEGER NOT NULL DEFAULT 1 CHECK (hash_rule IN (1, 2));

-- Mistakes are retracted, not deleted: the update stays in the history, marked.
CREATE TABLE retraction (
    id            INTEGER PRIMARY KEY,
    update_id     INTEGER NOT NULL UNIQUE REFERENCES status_update(id),
    reason        TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    -- The reason given when the retracted update lies in a closed (frozen) period.
    correction    TEXT CHECK (correction IS NULL OR length(trim(correction)) > 0),
    load_event_id INTEGER NOT NULL REFERENCES load_event(id)
) STRICT;

-- Append only, everywhere history is kept. UPDATE and DELETE are refused; so is an INSERT that
-- would replace an existing row (`REPLACE INTO` and `INSERT OR REPLACE` delete the old row
-- without firing DELETE triggers). An insert of an update or measurement already stored (same
-- fingerprint) is skipped, as `ON CONFLICT DO NOTHING` would.
CREATE TRIGGER status_update_no_replace BEFORE INSERT ON status_update
WHEN EXISTS (SELECT 1 FROM status_update WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'status history is append-only: an update is never replaced');
END;
CREATE TRIGGER status_update_same_content BEFORE INSERT ON status_update
WHEN EXISTS (SELECT 1 FROM status_update WHERE strategy_id = NEW.strategy_id AND fingerprint = NEW.fingerprint)
BEGIN
    SELECT RAISE(IGNORE);
END;
CREATE TRIGGER measurement_no_replace BEFORE INSERT ON measurement
WHEN EXISTS (SELECT 1 FROM measurement WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'measurements are append-only: a measurement is never replaced');
END;
CREATE TRIGGER measurement_same_content BEFORE INSERT ON measurement
WHEN EXISTS (SELECT 1 FROM measurement WHERE strategy_id = NEW.strategy_id AND fingerprint = NEW.fingerprint)
BEGIN
    SELECT RAISE(IGNORE);
END;
CREATE TRIGGER closed_period_no_replace BEFORE INSERT ON closed_period
WHEN EXISTS (SELECT 1 FROM closed_period WHERE id = NEW.id
             OR (strategy_id = NEW.strategy_id AND period = NEW.period))
BEGIN
    SELECT RAISE(ABORT, 'a closed period is final');
END;

CREATE TRIGGER retraction_no_update BEFORE UPDATE ON retraction
BEGIN
    SELECT RAISE(ABORT, 'a retraction is final');
END;
CREATE TRIGGER retraction_no_delete BEFORE DELETE ON retraction
BEGIN
    SELECT RAISE(ABORT, 'a retraction is final');
END;
CREATE TRIGGER retraction_no_replace BEFORE INSERT ON retraction
WHEN EXISTS (SELECT 1 FROM retraction WHERE id = NEW.id OR update_id = NEW.update_id)
BEGIN
    SELECT RAISE(ABORT, 'an update is retracted once');
END;

CREATE TRIGGER plan_revision_no_update BEFORE UPDATE ON plan_revision
BEGIN
    SELECT RAISE(ABORT, 'plan history is append-only: a revision is never changed');
END;
CREATE TRIGGER plan_revision_no_delete BEFORE DELETE ON plan_revision
BEGIN
    SELECT RAISE(ABORT, 'plan history is append-only: a revision is never deleted');
END;
CREATE TRIGGER plan_revision_no_replace BEFORE INSERT ON plan_revision
WHEN EXISTS (SELECT 1 FROM plan_revision WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'plan history is append-only: a revision is never replaced');
END;
CREATE TRIGGER plan_item_version_no_update BEFORE UPDATE ON plan_item_version
BEGIN
    SELECT RAISE(ABORT, 'plan history is append-only: a version is never changed');
END;
CREATE TRIGGER plan_item_version_no_delete BEFORE DELETE ON plan_item_version
BEGIN
    SELECT RAISE(ABORT, 'plan history is append-only: a version is never deleted');
END;
CREATE TRIGGER plan_item_version_no_replace BEFORE INSERT ON plan_item_version
WHEN EXISTS (SELECT 1 FROM plan_item_version WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'plan history is append-only: a version is never replaced');
END;
CREATE TRIGGER narrative_no_update BEFORE UPDATE ON narrative
BEGIN
    SELECT RAISE(ABORT, 'narratives are append-only: load a new version instead');
END;
CREATE TRIGGER narrative_no_delete BEFORE DELETE ON narrative
BEGIN
    SELECT RAISE(ABORT, 'narratives are append-only: versions are never deleted');
END;
CREATE TRIGGER narrative_no_replace BEFORE INSERT ON narrative
WHEN EXISTS (SELECT 1 FROM narrative WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'narratives are append-only: a version is never replaced');
END;
CREATE TRIGGER source_no_update BEFORE UPDATE ON source
BEGIN
    SELECT RAISE(ABORT, 'the record of sources is append-only');
END;
CREATE TRIGGER source_no_delete BEFORE DELETE ON source
BEGIN
    SELECT RAISE(ABORT, 'the record of sources is append-only');
END;
CREATE TRIGGER source_no_replace BEFORE INSERT ON source
WHEN EXISTS (SELECT 1 FROM source WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'the record of sources is append-only');
END;
CREATE TRIGGER load_event_no_update BEFORE UPDATE ON load_event
BEGIN
    SELECT RAISE(ABORT, 'the record of loads is append-only');
END;
CREATE TRIGGER load_event_no_delete BEFORE DELETE ON load_event
BEGIN
    SELECT RAISE(ABORT, 'the record of loads is append-only');
END;
CREATE TRIGGER load_event_no_replace BEFORE INSERT ON load_event
WHEN EXISTS (SELECT 1 FROM load_event WHERE id = NEW.id)
BEGIN
    SELECT RAISE(ABORT, 'the record of loads is append-only');
END;
