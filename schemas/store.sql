-- SparkLedger store schema (SQLite), version 6.
-- The code's migrations (Sources/SparkLedgerStorage/Schema/StoreSchema.swift) create exactly
-- this; StoreSchemaTests fails when the two differ. Columns are snake_case so that SQLite and
-- PostgreSQL can share the schema.

-- The log: every accepted event, never changed, never removed. Since version 6 a row holds the
-- events one transaction appended to one execution (a 50,000-event transaction touches ~5,200
-- executions: a tenth of the b-tree inserts of a row per event), keyed by the seq of its first
-- event, so that rows are only ever appended at the end of the table; the index finds an
-- execution's rows. seq is the global append order (numbers of duplicates turned away are
-- skipped); an execution's groups never interleave, so an event is in the last group of its
-- execution_key whose first_seq is at most its seq.
-- events is a JSON array, an element per event in seq order:
--   [seq,"event_id","EVENT_TYPE",timestamp,"source",schema_version,payload_length,extensions_length,payload,extensions]
-- payload and extensions are canonical JSON objects (keys sorted by UTF-8 bytes, no whitespace)
-- written by the validator, extensions null when there are none (length 0); the lengths are
-- their UTF-8 bytes, so that a reader takes them out without scanning them. The validator is
-- the guard of each event's fields: a CHECK cannot look inside the array, and a trigger reading
-- it with json_each cost ~5 us an event.
CREATE TABLE event_groups (
    first_seq INTEGER PRIMARY KEY CHECK (first_seq >= 1),
    execution_key INTEGER NOT NULL,
    event_count INTEGER NOT NULL CHECK (event_count >= 1),
    events TEXT NOT NULL
);

CREATE INDEX event_groups_by_execution ON event_groups (execution_key, first_seq);

CREATE TRIGGER event_groups_append_only BEFORE UPDATE ON event_groups
BEGIN SELECT RAISE(ABORT, 'event_groups is append-only: UPDATE is not allowed'); END;

CREATE TRIGGER event_groups_no_delete BEFORE DELETE ON event_groups
BEGIN SELECT RAISE(ABORT, 'event_groups is append-only: DELETE is not allowed'); END;

-- The log a row per event, as versions 1-5 stored it (a view: it cannot be written).
CREATE VIEW events (execution_key, seq, event_id, event_type, timestamp, source, schema_version, payload, extensions) AS
SELECT g.execution_key, json_extract(e.value, '$[0]'), json_extract(e.value, '$[1]'), json_extract(e.value, '$[2]'),
    json_extract(e.value, '$[3]'), json_extract(e.value, '$[4]'), json_extract(e.value, '$[5]'),
    json_extract(e.value, '$[8]'), json_extract(e.value, '$[9]')
FROM event_groups g, json_each(g.events) e;

-- Event ids whose 64-bit FNV-1a hash (the event-id index's key, below) is taken by another id.
CREATE TABLE event_id_collisions (
    event_id TEXT PRIMARY KEY, execution_key INTEGER NOT NULL, seq INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER event_id_collisions_append_only BEFORE UPDATE ON event_id_collisions
BEGIN SELECT RAISE(ABORT, 'event_id_collisions is append-only: UPDATE is not allowed'); END;

CREATE TRIGGER event_id_collisions_no_delete BEFORE DELETE ON event_id_collisions
BEGIN SELECT RAISE(ABORT, 'event_id_collisions is append-only: DELETE is not allowed'); END;

-- Where the log continues: the next seq and execution key, advanced by every transaction.
CREATE TABLE log_position (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    next_seq INTEGER NOT NULL CHECK (next_seq >= 1),
    next_execution_key INTEGER NOT NULL CHECK (next_execution_key >= 1)
);
INSERT INTO log_position (id, next_seq, next_execution_key) VALUES (1, 1, 1);

-- Rejected input with its raw bytes (the first MiB of a too_large record; raw_size is the whole).
CREATE TABLE quarantine (
    id INTEGER PRIMARY KEY,
    reason TEXT NOT NULL CHECK (reason = 'malformed' OR reason = 'invalid_envelope' OR reason = 'unknown_event_type' OR reason = 'unsupported_schema_version' OR reason = 'invalid_payload' OR reason = 'too_large' OR reason = 'invalid_timestamp' OR reason = 'conflicting_duplicate'),
    detail TEXT NOT NULL,
    origin TEXT NOT NULL,
    message_key BLOB,
    raw BLOB NOT NULL,
    raw_size INTEGER NOT NULL CHECK (raw_size >= length(raw)),
    event_id TEXT,
    execution_id TEXT,
    quarantined_at INTEGER NOT NULL
);

CREATE INDEX quarantine_by_reason ON quarantine (reason);

CREATE TRIGGER quarantine_append_only BEFORE UPDATE ON quarantine
BEGIN SELECT RAISE(ABORT, 'quarantine is append-only: UPDATE is not allowed'); END;

CREATE TRIGGER quarantine_no_delete BEFORE DELETE ON quarantine
BEGIN SELECT RAISE(ABORT, 'quarantine is append-only: DELETE is not allowed'); END;

-- Execution snapshots: the fold of each execution's events. execution_key (handed out in
-- first-seen order) and execution_id never change; every other column is a projection that
-- `sparkledger replay` recomputes from the log. core_seconds … executors_removed are what the
-- execution adds to its day's usage; fold_* is the last event folded in.
CREATE TABLE executions (
    execution_key INTEGER PRIMARY KEY,
    execution_id TEXT NOT NULL UNIQUE,
    job_path TEXT,
    team TEXT,
    owner TEXT,
    namespace TEXT,
    vendor TEXT CHECK (vendor = 'SK8' OR vendor = 'EMR' OR vendor = 'DBR'),
    vendor_run_id TEXT,
    idempotency_key TEXT,
    parent_execution_id TEXT,
    spark_version TEXT,
    resources TEXT,
    labels TEXT,
    spark_ui_url TEXT,
    logs_url TEXT,
    state TEXT NOT NULL CHECK (state = 'SUBMITTED' OR state = 'RUNNING' OR state = 'SUCCEEDED' OR state = 'FAILED' OR state = 'CANCELLED'),
    operator_state TEXT,
    final_by TEXT NOT NULL CHECK (final_by = 'none' OR final_by = 'runner' OR final_by = 'operator'),
    failure_kind TEXT CHECK (failure_kind = 'APPLICATION' OR failure_kind = 'INFRASTRUCTURE'),
    error_class TEXT CHECK (error_class = 'USER' OR error_class = 'SYSTEM' OR error_class = 'UNKNOWN'),
    error_message TEXT,
    exit_code INTEGER,
    base_attempt INTEGER NOT NULL CHECK (base_attempt >= 1),
    restarts INTEGER NOT NULL CHECK (restarts >= 0),
    attempt INTEGER NOT NULL,
    submit_time INTEGER,
    start_time INTEGER,
    end_time INTEGER,
    cancel_requested_time INTEGER,
    resources_released_time INTEGER,
    queue_ms INTEGER,
    duration_ms INTEGER,
    event_count INTEGER NOT NULL CHECK (event_count >= 1),
    last_event_time INTEGER NOT NULL,
    incomplete INTEGER NOT NULL CHECK (incomplete = 0 OR incomplete = 1),
    cost_usd REAL,
    core_seconds REAL NOT NULL,
    memory_gib_seconds REAL NOT NULL,
    shuffle_read_bytes INTEGER NOT NULL,
    shuffle_write_bytes INTEGER NOT NULL,
    shuffle_fetch_failures INTEGER NOT NULL,
    spill_bytes INTEGER NOT NULL,
    tasks INTEGER NOT NULL,
    failed_tasks INTEGER NOT NULL,
    executors_added INTEGER NOT NULL,
    executors_removed INTEGER NOT NULL,
    fold_timestamp INTEGER NOT NULL,
    fold_rank INTEGER NOT NULL,
    fold_event_id TEXT NOT NULL
);

CREATE INDEX executions_by_submit_time ON executions (submit_time);

CREATE INDEX executions_by_team ON executions (team, submit_time);

CREATE INDEX executions_by_job ON executions (job_path, submit_time);


CREATE TRIGGER executions_identity_is_fixed BEFORE UPDATE OF execution_key, execution_id ON executions
BEGIN SELECT RAISE(ABORT, 'executions: execution_key and execution_id never change'); END;

CREATE TRIGGER executions_no_delete BEFORE DELETE ON executions
BEGIN SELECT RAISE(ABORT, 'executions is append-only: DELETE is not allowed'); END;

-- The last METRICS_SUMMARY payload of each execution that has one (a projection). Apart from
-- executions because a state change rewrites a snapshot's whole row.
CREATE TABLE execution_metrics (execution_key INTEGER PRIMARY KEY, payload TEXT NOT NULL);

-- Daily usage per (UTC day of submit_time, team, job_path, namespace, vendor); `usage` rolls
-- namespace and vendor up. *_buckets are JSON arrays of per-bucket counts over the contract's
-- histogram bounds (seconds), +Inf last.
CREATE TABLE daily_usage (
    day TEXT NOT NULL,
    team TEXT NOT NULL,
    job_path TEXT NOT NULL,
    namespace TEXT NOT NULL,
    vendor TEXT NOT NULL,
    executions INTEGER NOT NULL CHECK (executions >= 1),
    succeeded INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    cancelled INTEGER NOT NULL,
    active_submitted INTEGER NOT NULL,
    active_running INTEGER NOT NULL,
    cost_usd REAL NOT NULL,
    core_seconds REAL NOT NULL,
    memory_gib_seconds REAL NOT NULL,
    shuffle_read_bytes INTEGER NOT NULL,
    shuffle_write_bytes INTEGER NOT NULL,
    shuffle_fetch_failures INTEGER NOT NULL,
    spill_bytes INTEGER NOT NULL,
    tasks INTEGER NOT NULL,
    failed_tasks INTEGER NOT NULL,
    executors_added INTEGER NOT NULL,
    executors_removed INTEGER NOT NULL,
    duration_ms_sum INTEGER NOT NULL,
    duration_count INTEGER NOT NULL,
    queue_ms_sum INTEGER NOT NULL,
    queue_count INTEGER NOT NULL,
    succeeded_duration_buckets TEXT NOT NULL,
    failed_duration_buckets TEXT NOT NULL,
    cancelled_duration_buckets TEXT NOT NULL,
    queue_time_buckets TEXT NOT NULL,
    PRIMARY KEY (day, team, job_path, namespace, vendor)
) WITHOUT ROWID;

-- How far each input was ingested, advanced in the same transaction as its events:
-- file:<path> -> next line, kafka:<topic>/<partition> -> next offset.
CREATE TABLE ingest_checkpoints (
    source TEXT PRIMARY KEY,
    position INTEGER NOT NULL CHECK (position >= 0),
    detail TEXT,
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Version 2. Listing by end time (newest finished first) without sorting the table; writers
-- touch job_path, team, submit_time and end_time only when they change, to spare the indexes.
-- And the sum of each duration histogram (the metrics' _sum series, per state); the migration
-- rebuilds daily_usage from the executions to fill them.
CREATE INDEX executions_by_end_time ON executions (end_time);
ALTER TABLE daily_usage ADD COLUMN succeeded_duration_ms_sum INTEGER NOT NULL DEFAULT 0;
ALTER TABLE daily_usage ADD COLUMN failed_duration_ms_sum INTEGER NOT NULL DEFAULT 0;
ALTER TABLE daily_usage ADD COLUMN cancelled_duration_ms_sum INTEGER NOT NULL DEFAULT 0;

-- Version 3. The log position of the last transaction that changed any execution of each job:
-- per-job caches (sizing recommendations) compare it instead of re-reading the job's history.
CREATE TABLE job_versions (job_path TEXT PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID;

-- Version 4. daily_usage summed per (day, team), kept in the same transactions (and rebuilt by
-- replay), so that usage by team over weeks reads a few hundred rows instead of every job's.
CREATE TABLE daily_team_usage (
    day TEXT NOT NULL,
    team TEXT NOT NULL,
    executions INTEGER NOT NULL,
    succeeded INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    cancelled INTEGER NOT NULL,
    cost_usd REAL NOT NULL,
    core_seconds REAL NOT NULL,
    memory_gib_seconds REAL NOT NULL,
    shuffle_read_bytes INTEGER NOT NULL,
    shuffle_write_bytes INTEGER NOT NULL,
    shuffle_fetch_failures INTEGER NOT NULL,
    spill_bytes INTEGER NOT NULL,
    tasks INTEGER NOT NULL,
    failed_tasks INTEGER NOT NULL,
    duration_ms_sum INTEGER NOT NULL,
    duration_count INTEGER NOT NULL,
    PRIMARY KEY (day, team)
) WITHOUT ROWID;

-- Version 5. The event-id index's newest entries: each transaction stores its new event ids as
-- one row here, keyed by the first of their seqs, entries packed as (event_hash, execution_key,
-- seq) little-endian 64-bit integers sorted by event_hash. Once 500,000 have gathered, the writer
-- moves them into the event-id index and empties this table, in one transaction. The index is
-- keyed by a uniform hash, so adding to it rewrites nearly every page of it; this does that once
-- per 500,000 events instead of once per transaction. The writer keeps
-- these entries in memory to look them up. Rows leave only by that move.
CREATE TABLE event_ids_recent (
    first_seq INTEGER PRIMARY KEY,
    entries BLOB NOT NULL CHECK (length(entries) % 24 = 0)
);

CREATE TRIGGER event_ids_recent_append_only BEFORE UPDATE ON event_ids_recent
BEGIN SELECT RAISE(ABORT, 'event_ids_recent is append-only: UPDATE is not allowed'); END;

-- Version 7. The event-id index: event_id -> where the event is, keyed by the 64-bit FNV-1a hash
-- of the event_id's UTF-8 bytes (as a signed integer). The store confirms every hash hit against
-- the stored event_id; ids whose hash is taken go to event_id_collisions. (A text UNIQUE index on
-- random ids would halve the ingest rate.) Entries are packed like event_ids_recent's, up to 680 a
-- row sorted by event_hash; a row holds the hashes from its first_hash up to the next row's (the
-- first row also any smaller one). The move of event_ids_recent rewrites the rows that take new
-- entries (deletes each and inserts it again, split when it grows past 680); rows are never
-- updated, and a DELETE is refused unless event_id_block_moves holds the row that the move
-- writes first and removes last, in its transaction. Versions 1-6 kept a row per event
-- (event_ids): a statement and a b-tree insert each.
CREATE TABLE event_id_blocks (
    first_hash INTEGER PRIMARY KEY,
    entries BLOB NOT NULL CHECK (length(entries) > 0 AND length(entries) % 24 = 0)
);

CREATE TRIGGER event_id_blocks_append_only BEFORE UPDATE ON event_id_blocks
BEGIN SELECT RAISE(ABORT, 'event_id_blocks is append-only: UPDATE is not allowed'); END;

CREATE TABLE event_id_block_moves (id INTEGER PRIMARY KEY CHECK (id = 1));

CREATE TRIGGER event_id_blocks_no_delete BEFORE DELETE ON event_id_blocks
WHEN NOT EXISTS (SELECT 1 FROM event_id_block_moves)
BEGIN SELECT RAISE(ABORT, 'event_id_blocks: a row is deleted only to be replaced by the move of event_ids_recent'); END;
