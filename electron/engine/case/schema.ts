// Versioned migrations of the SQLite case file. Each entry moves the schema one version up;
// PRAGMA user_version records where a file stands, so an older case opens and upgrades in place.

export const MIGRATIONS: string[] = [
  // 1: the case, its videos and everything indexing derives from them.
  `
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE videos (
    id              INTEGER PRIMARY KEY,
    path            TEXT NOT NULL,
    file_name       TEXT NOT NULL,
    sha256          TEXT NOT NULL UNIQUE,
    size_bytes      INTEGER NOT NULL,
    mtime_ms        REAL NOT NULL,
    duration_s      REAL NOT NULL,
    fps             REAL NOT NULL,
    width           INTEGER NOT NULL,
    height          INTEGER NOT NULL,
    codec           TEXT NOT NULL,
    rotation        INTEGER NOT NULL DEFAULT 0,
    creation_time   TEXT,
    probe_json      TEXT NOT NULL,
    camera          TEXT NOT NULL DEFAULT '',
    true_start_time TEXT,
    sample_fps      REAL NOT NULL,
    status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','indexing','done','failed')),
    progress        REAL NOT NULL DEFAULT 0,
    error           TEXT,
    -- Resume point: source time of the last frame whose results are committed (-1 = none).
    indexed_until_s REAL NOT NULL DEFAULT -1,
    -- detector id + IVT id that produced this video's index; a different pair means re-index.
    index_models    TEXT,
    imported_at     TEXT NOT NULL
  );
  CREATE TABLE import_failures (
    id     INTEGER PRIMARY KEY,
    path   TEXT NOT NULL,
    reason TEXT NOT NULL,
    at     TEXT NOT NULL
  );
  CREATE TABLE jobs (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    video_id    INTEGER REFERENCES videos(id) ON DELETE CASCADE,
    status      TEXT NOT NULL CHECK (status IN ('running','done','failed','interrupted')),
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    frames      INTEGER NOT NULL DEFAULT 0,
    error       TEXT
  );
  CREATE TABLE sightings (
    id              INTEGER PRIMARY KEY,
    video_id        INTEGER NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
    start_s         REAL NOT NULL,
    end_s           REAL NOT NULL,
    -- representative frame
    best_s          REAL NOT NULL,
    best_x REAL NOT NULL, best_y REAL NOT NULL, best_w REAL NOT NULL, best_h REAL NOT NULL,
    best_quality    REAL NOT NULL,
    detection_count INTEGER NOT NULL,
    -- tracker state, so a resumed job continues an open track instead of splitting it
    open            INTEGER NOT NULL DEFAULT 1,
    last_x REAL NOT NULL, last_y REAL NOT NULL, last_w REAL NOT NULL, last_h REAL NOT NULL,
    thumbnail       BLOB
  );
  CREATE INDEX sightings_video ON sightings(video_id, start_s);
  CREATE TABLE detections (
    id          INTEGER PRIMARY KEY,
    video_id    INTEGER NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
    sighting_id INTEGER NOT NULL REFERENCES sightings(id) ON DELETE CASCADE,
    t_s         REAL NOT NULL,
    x REAL NOT NULL, y REAL NOT NULL, w REAL NOT NULL, h REAL NOT NULL,
    score       REAL NOT NULL
  );
  CREATE INDEX detections_sighting ON detections(sighting_id);
  CREATE INDEX detections_video_t ON detections(video_id, t_s);
  CREATE TABLE embeddings (
    detection_id INTEGER PRIMARY KEY REFERENCES detections(id) ON DELETE CASCADE,
    sighting_id  INTEGER NOT NULL REFERENCES sightings(id) ON DELETE CASCADE,
    model_id     TEXT NOT NULL,
    vector       BLOB NOT NULL
  );
  CREATE INDEX embeddings_model ON embeddings(model_id);
  CREATE TABLE bookmarks (
    id          INTEGER PRIMARY KEY,
    sighting_id INTEGER NOT NULL REFERENCES sightings(id),
    note        TEXT NOT NULL DEFAULT '',
    query       TEXT,
    score       REAL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
  );
  -- Append-only, hash-chained: hash = sha256(prev_hash || canonical entry). Triggers refuse edits.
  CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    user      TEXT NOT NULL,
    action    TEXT NOT NULL,
    details   TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
  );
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
  `,
  // 2: one writer per case (the lock row, with owner and heartbeat), and the file identity
  // (device:inode) of each original, so a file replaced under the same name is noticed.
  `
  CREATE TABLE writer_lock (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    token        TEXT NOT NULL,
    pid          INTEGER NOT NULL,
    host         TEXT NOT NULL,
    since        TEXT NOT NULL,
    heartbeat_at TEXT NOT NULL
  );
  ALTER TABLE videos ADD COLUMN file_id TEXT;
  `,
  // 3 (sightings): a person re-identification vector per detection (float32 BLOB, keyed by ReID model
  // id@version), what the tracker matched on and what "same person" search compares.
  `
  CREATE TABLE reid_vectors (
    detection_id INTEGER PRIMARY KEY REFERENCES detections(id) ON DELETE CASCADE,
    sighting_id  INTEGER NOT NULL REFERENCES sightings(id) ON DELETE CASCADE,
    model_id     TEXT NOT NULL,
    vector       BLOB NOT NULL
  );
  CREATE INDEX reid_vectors_sighting ON reid_vectors(sighting_id);
  `,
  // 4 (playback + review): playable proxies of videos Chromium cannot play (video/proxy.ts; no row =
  // none made yet or none needed), and results the investigator rejected (hidden from later searches).
  `
  CREATE TABLE proxies (
    video_id   INTEGER PRIMARY KEY REFERENCES videos(id) ON DELETE CASCADE,
    state      TEXT NOT NULL CHECK (state IN ('making','ready','failed')),
    path       TEXT NOT NULL,
    size_bytes INTEGER,
    recipe     TEXT NOT NULL,
    error      TEXT,
    updated_at TEXT NOT NULL
  );
  CREATE TABLE rejections (
    sighting_id INTEGER PRIMARY KEY REFERENCES sightings(id) ON DELETE CASCADE,
    reason      TEXT NOT NULL CHECK (reason IN ('not a person','not relevant')),
    at          TEXT NOT NULL
  );
  `,
  // 5: evidence per detection for fused search: attribute probabilities and garment colour words
  // (vision/evidence.ts CropEvidence as JSON), with the attribute model that produced it.
  `
  CREATE TABLE detection_evidence (
    detection_id INTEGER PRIMARY KEY REFERENCES detections(id) ON DELETE CASCADE,
    sighting_id  INTEGER NOT NULL REFERENCES sightings(id) ON DELETE CASCADE,
    model_id     TEXT NOT NULL,
    evidence     TEXT NOT NULL
  );
  CREATE INDEX detection_evidence_sighting ON detection_evidence(sighting_id);
  `,
  // 6 (IVT ensemble): embeddings keyed by (detection, model), so a detection holds one embedding per
  // member of an ensemble (vision/manifest.ts IvtModel). Existing rows are copied as they are.
  `
  CREATE TABLE embeddings_v6 (
    detection_id INTEGER NOT NULL REFERENCES detections(id) ON DELETE CASCADE,
    sighting_id  INTEGER NOT NULL REFERENCES sightings(id) ON DELETE CASCADE,
    model_id     TEXT NOT NULL,
    vector       BLOB NOT NULL,
    PRIMARY KEY (detection_id, model_id)
  );
  INSERT INTO embeddings_v6(detection_id, sighting_id, model_id, vector) SELECT detection_id, sighting_id, model_id, vector FROM embeddings;
  DROP TABLE embeddings;
  ALTER TABLE embeddings_v6 RENAME TO embeddings;
  CREATE INDEX embeddings_model ON embeddings(model_id);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** PRAGMA application_id of a Sightline case ("SGLN"): tells a case from any other SQLite file. */
export const APPLICATION_ID = 0x53474c4e;
