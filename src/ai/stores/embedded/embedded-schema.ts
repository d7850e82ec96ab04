import type Database from 'better-sqlite3';

/**
 * Triggers keep the full-text index, the metadata index and the change log in step with
 * `chunks`, inside the writer's transaction, so a reader never sees one without the other.
 * The change log (`changes`) is what lets every process bring its in-memory ANN index up to
 * date by replaying only what it has not seen yet.
 */
const TRIGGERS = `
CREATE TRIGGER IF NOT EXISTS chunks_after_insert AFTER INSERT ON chunks BEGIN
  INSERT INTO chunks_fts(rowid, text) VALUES (new.rowid, new.text);
  INSERT INTO changes(chunk, added) VALUES (new.rowid, 1);
END;
CREATE TRIGGER IF NOT EXISTS chunks_after_delete AFTER DELETE ON chunks BEGIN
  INSERT INTO chunks_fts(chunks_fts, rowid, text) VALUES ('delete', old.rowid, old.text);
  INSERT INTO changes(chunk, added) VALUES (old.rowid, 0);
  DELETE FROM chunk_terms WHERE chunk = old.rowid;
END;`;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS chunks (
  rowid INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL,
  text TEXT NOT NULL,
  metadata TEXT NOT NULL,
  vector BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_by_source ON chunks (source);
CREATE TABLE IF NOT EXISTS sources (source TEXT PRIMARY KEY, hash TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS chunk_terms (
  key TEXT NOT NULL, value TEXT NOT NULL, chunk INTEGER NOT NULL,
  PRIMARY KEY (key, value, chunk)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS chunk_terms_by_chunk ON chunk_terms (chunk);
CREATE TABLE IF NOT EXISTS changes (seq INTEGER PRIMARY KEY AUTOINCREMENT, chunk INTEGER NOT NULL, added INTEGER NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
  text, content='chunks', content_rowid='rowid', tokenize='porter unicode61 remove_diacritics 2'
);
INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', '1'), ('epoch', '0');
${TRIGGERS}`;

/** Creates the tables when missing; safe to run from several processes at once. */
export function ensureSchema(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.transaction(() => db.exec(SCHEMA)).immediate();
}

/**
 * Empties the store in one transaction. The triggers are dropped meanwhile so that a drop
 * of a million chunks does not write a million change-log rows; readers notice the new
 * epoch instead and start a fresh index.
 */
export function dropAll(db: Database.Database): void {
  db.transaction(() => {
    db.exec(`
      DROP TRIGGER IF EXISTS chunks_after_insert;
      DROP TRIGGER IF EXISTS chunks_after_delete;
      DELETE FROM chunks;
      DELETE FROM chunk_terms;
      DELETE FROM sources;
      DELETE FROM changes;
      INSERT INTO chunks_fts(chunks_fts) VALUES ('delete-all');
      DELETE FROM meta WHERE key = 'dimension';
      UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'epoch';
      ${TRIGGERS}`);
  }).immediate();
}
