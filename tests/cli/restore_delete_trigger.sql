CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
BEGIN
    SELECT RAISE(ABORT, 'sitrep: entries are append-only; nothing can be deleted');
END;
