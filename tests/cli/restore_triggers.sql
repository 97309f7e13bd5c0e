CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries
BEGIN
    SELECT RAISE(ABORT, 'sitrep: entries are append-only; record a correction instead');
END;
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
BEGIN
    SELECT RAISE(ABORT, 'sitrep: entries are append-only; nothing can be deleted');
END;
CREATE TRIGGER entries_in_sequence BEFORE INSERT ON entries
WHEN NEW.n IS NOT (SELECT COALESCE(MAX(n), 0) + 1 FROM entries WHERE incident = NEW.incident)
  OR NEW.seq IS NOT (SELECT COALESCE(MAX(seq), 0) + 1 FROM entries)
  OR NEW.prev IS NOT COALESCE((SELECT hash FROM entries ORDER BY seq DESC LIMIT 1),
                              '0000000000000000000000000000000000000000000000000000000000000000')
BEGIN
    SELECT RAISE(ABORT, 'sitrep: an entry must follow the last one: next number, next position, previous hash');
END;
