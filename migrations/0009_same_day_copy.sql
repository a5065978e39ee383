-- A copy of an update is looked for among its initiative's updates of the same day. The
-- fingerprint is the SHA-256 of the update's content, its initiative and its day included, so an
-- update of another day is never a copy; the trigger had scanned every update of the initiative
-- (about 30 at 10k initiatives) on each insert, the day is a prefix of the by-initiative index
-- and finds the one or two of that day directly. An insert of 303,547 updates in the sqlite3
-- shell took 4.9-5.2 s with the old trigger and 3.5-4.1 s with this one (4 runs each); 2.7-3.0 s
-- with no trigger at all.
DROP TRIGGER status_update_same_content;
CREATE TRIGGER status_update_same_content BEFORE INSERT ON status_update
WHEN EXISTS (SELECT 1 FROM status_update WHERE strategy_id = NEW.strategy_id
             AND initiative_id = NEW.initiative_id AND reported_on = NEW.reported_on
             AND fingerprint = NEW.fingerprint)
BEGIN
    SELECT RAISE(IGNORE);
END;
