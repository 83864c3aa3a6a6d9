// Versioned migrations of a team case: one PostgreSQL database per case (the SQLite twin is
// case/schema.ts). Tables hold what indexing workers and search need; `meta.schema_version` records
// where a database stands. Migrations run under an advisory lock, so two processes never race them.

export const PG_MIGRATIONS: string[] = [
  // 1: case, videos, chunks (the unit of work of one queue job), detections with their vectors and
  // evidence, sightings (stitched per video once every chunk is done), the hash-chained audit log.
  `
  CREATE TABLE meta (key text PRIMARY KEY, value text NOT NULL);
  CREATE SEQUENCE stitch_seq;
  CREATE TABLE videos (
    id          bigserial PRIMARY KEY,
    path        text NOT NULL,
    file_name   text NOT NULL,
    sha256      text NOT NULL UNIQUE,
    size_bytes  bigint NOT NULL,
    duration_s  double precision NOT NULL,
    fps         double precision NOT NULL,
    width       integer NOT NULL,
    height      integer NOT NULL,
    codec       text NOT NULL,
    probe_json  text NOT NULL,
    camera      text NOT NULL DEFAULT '',
    sample_fps  double precision NOT NULL,
    chunk_s     double precision NOT NULL,
    status      text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','indexing','done','failed')),
    error       text,
    -- Everything that shaped the index (job.ts model key); chunks of two keys are never stitched together.
    index_models text,
    -- Bumped by every stitch pass: search reloads a video's vectors when it changes.
    stitch_seq  bigint,
    imported_at timestamptz NOT NULL DEFAULT now(),
    imported_by text NOT NULL DEFAULT current_user
  );
  CREATE TABLE chunks (
    video_id    bigint NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
    idx         integer NOT NULL,
    start_s     double precision NOT NULL,
    end_s       double precision NOT NULL,
    status      text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued','running','done','failed')),
    attempts    integer NOT NULL DEFAULT 0,
    worker      text,
    started_at  timestamptz,
    finished_at timestamptz,
    frames      integer NOT NULL DEFAULT 0,
    cpu_s       double precision NOT NULL DEFAULT 0,
    error       text,
    PRIMARY KEY (video_id, idx)
  );
  CREATE TABLE sightings (
    id              bigserial PRIMARY KEY,
    video_id        bigint NOT NULL REFERENCES videos(id) ON DELETE CASCADE,
    start_s         double precision NOT NULL,
    end_s           double precision NOT NULL,
    best_s          double precision NOT NULL,
    best_x double precision NOT NULL, best_y double precision NOT NULL, best_w double precision NOT NULL, best_h double precision NOT NULL,
    best_quality    double precision NOT NULL,
    detection_count integer NOT NULL
  );
  CREATE INDEX sightings_video ON sightings(video_id, start_s);
  -- Every detection a chunk found, in detector order within its frame (rank): the stitch pass replays
  -- them through the tracker in exactly the order a single-process run saw them. sighting_id stays
  -- NULL for a weak detection no track took (a single-process run does not store those at all).
  CREATE TABLE detections (
    id          bigserial PRIMARY KEY,
    video_id    bigint NOT NULL,
    chunk_idx   integer NOT NULL,
    t_s         double precision NOT NULL,
    rank        integer NOT NULL,
    x double precision NOT NULL, y double precision NOT NULL, w double precision NOT NULL, h double precision NOT NULL,
    score       double precision NOT NULL,
    sighting_id bigint REFERENCES sightings(id) ON DELETE SET NULL,
    FOREIGN KEY (video_id, chunk_idx) REFERENCES chunks(video_id, idx) ON DELETE CASCADE
  );
  CREATE INDEX detections_video_t ON detections(video_id, t_s, rank);
  CREATE INDEX detections_sighting ON detections(sighting_id);
  -- Vectors as float32 little-endian bytea, keyed by model id@version (never compared across models).
  CREATE TABLE embeddings (
    detection_id bigint PRIMARY KEY REFERENCES detections(id) ON DELETE CASCADE,
    model_id     text NOT NULL,
    vector       bytea NOT NULL
  );
  CREATE TABLE reid_vectors (
    detection_id bigint PRIMARY KEY REFERENCES detections(id) ON DELETE CASCADE,
    model_id     text NOT NULL,
    vector       bytea NOT NULL
  );
  CREATE TABLE detection_evidence (
    detection_id bigint PRIMARY KEY REFERENCES detections(id) ON DELETE CASCADE,
    model_id     text NOT NULL,
    evidence     text NOT NULL
  );
  -- Append-only, hash-chained (case/audit.ts computes and checks the same chain). actor is the
  -- database role that appended the entry: one role per investigator.
  CREATE TABLE audit_log (
    seq       bigint PRIMARY KEY,
    at        text NOT NULL,
    actor     text NOT NULL,
    action    text NOT NULL,
    details   text NOT NULL,
    prev_hash text NOT NULL,
    hash      text NOT NULL
  );
  CREATE FUNCTION audit_log_refuse() RETURNS trigger LANGUAGE plpgsql AS
    $$ BEGIN RAISE EXCEPTION 'audit log is append-only'; END $$;
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse();
  CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse();
  `,
  // 2 (the investigator's side on a team case, as on a case file): a video's modification time and
  // rotation as imported, the container's creation time and the investigator's clock correction
  // (wall-clock times), each sighting's thumbnail (made
  // by the stitch pass), bookmarks and rejected results. A bookmark keeps its sighting: a re-stitch
  // that would drop a bookmarked sighting fails instead of losing it (no ON DELETE).
  `
  ALTER TABLE videos ADD COLUMN mtime_ms double precision NOT NULL DEFAULT 0;
  ALTER TABLE videos ADD COLUMN rotation integer NOT NULL DEFAULT 0;
  ALTER TABLE videos ADD COLUMN creation_time text;
  ALTER TABLE videos ADD COLUMN true_start_time text;
  ALTER TABLE sightings ADD COLUMN thumbnail bytea;
  CREATE TABLE bookmarks (
    id          bigserial PRIMARY KEY,
    sighting_id bigint NOT NULL REFERENCES sightings(id),
    note        text NOT NULL DEFAULT '',
    query       text,
    score       double precision,
    created_at  text NOT NULL,
    updated_at  text NOT NULL,
    created_by  text NOT NULL DEFAULT current_user
  );
  CREATE TABLE rejections (
    sighting_id bigint PRIMARY KEY REFERENCES sightings(id) ON DELETE CASCADE,
    reason      text NOT NULL CHECK (reason IN ('not a person','not relevant')),
    at          text NOT NULL,
    by          text NOT NULL DEFAULT current_user
  );
  `,
  // 3 (IVT ensemble, as case/schema.ts 6): embeddings keyed by (detection, model), so a detection holds
  // one embedding per member of an ensemble (vision/manifest.ts IvtModel). Only the key changes: every
  // row stays where it is (migrate() runs this in the same transaction as the version it records).
  `
  ALTER TABLE embeddings DROP CONSTRAINT embeddings_pkey;
  ALTER TABLE embeddings ADD PRIMARY KEY (detection_id, model_id);
  `,
];

export const PG_SCHEMA_VERSION = PG_MIGRATIONS.length;

/** Advisory lock keys (any constants unique to Sightline): migrations, and the audit chain's head. */
export const LOCK_MIGRATE = 0x53474c01;
export const LOCK_AUDIT = 0x53474c02;
