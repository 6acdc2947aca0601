import GRDB

/// The store's schema as an append-only list of migrations. Never edit a shipped migration: add
/// one. `schemas/store.sql` is the same schema for people and other tools; a test fails when the
/// two differ.
enum StoreSchema {
    static func migrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: event log, quarantine, projections, checkpoints") { db in
            for statement in version1 {
                try db.execute(sql: statement)
            }
        }
        migrator.registerMigration("v2: executions by end time; per-state duration sums in daily usage") { db in
            for statement in version2 {
                try db.execute(sql: statement)
            }
            // The new sums are projections: rebuild the rows from the executions to fill them.
            try DailyUsageProjection(db: db).rebuildAll()
        }
        migrator.registerMigration("v3: a version per job_path, for caches of per-job answers") { db in
            for statement in version3 {
                try db.execute(sql: statement)
            }
        }
        migrator.registerMigration("v4: daily usage per team, for usage by day and team") { db in
            for statement in version4 {
                try db.execute(sql: statement)
            }
        }
        migrator.registerMigration("v5: the event-id index's newest entries appended, moved into event_ids in bulk") { db in
            for statement in version5 {
                try db.execute(sql: statement)
            }
        }
        migrator.registerMigration("v6: the log as a row per execution and transaction (event_groups); events a view of it") { db in
            for statement in version6Tables {
                try db.execute(sql: statement)
            }
            try EventGroupMigration.moveEvents(db)
            for statement in version6View {
                try db.execute(sql: statement)
            }
        }
        migrator.registerMigration("v7: the event-id index in packed blocks (event_id_blocks) instead of a row per event") { db in
            for statement in version7 {
                try db.execute(sql: statement)
            }
            try EventIDBlockMigration.moveEntries(db)
            try db.execute(sql: "DROP TABLE event_ids")  // its triggers go with it
        }
        return migrator
    }

    /// Statements of the seventh version: the event-id index as blocks of up to 680 entries
    /// packed like `event_ids_recent`'s, each keyed by its first hash (`EventIDBlocks`). Moving
    /// 500,000 recent ids into a row per event cost a statement and a b-tree insert each (14 % of
    /// an ingest's writer instructions); into blocks it rewrites a row per ~500 entries. Rows are replaced,
    /// never updated, and only by that move (each replacement holds every entry of the old row):
    /// a DELETE is refused unless `event_id_block_moves` holds the row the move writes first and
    /// removes last, in its transaction.
    static let version7: [String] = [
        """
        CREATE TABLE event_id_blocks (
            first_hash INTEGER PRIMARY KEY,
            entries BLOB NOT NULL CHECK (length(entries) > 0 AND length(entries) % 24 = 0)
        )
        """,
        appendOnly("event_id_blocks"),
        "CREATE TABLE event_id_block_moves (id INTEGER PRIMARY KEY CHECK (id = 1))",
        """
        CREATE TRIGGER event_id_blocks_no_delete BEFORE DELETE ON event_id_blocks
        WHEN NOT EXISTS (SELECT 1 FROM event_id_block_moves)
        BEGIN SELECT RAISE(ABORT, 'event_id_blocks: a row is deleted only to be replaced by the move of event_ids_recent'); END
        """,
    ]

    /// Statements of the sixth version, before the events move: the log keeps each transaction's
    /// events of one execution as one row (`EventGroup` has the format and why). Per-event CHECKs
    /// cannot see inside the array (a trigger reading it with json_each cost ~5 µs an event,
    /// measured), so the validator is the one guard of an event's fields.
    static let version6Tables: [String] = [
        """
        CREATE TABLE event_groups (
            first_seq INTEGER PRIMARY KEY CHECK (first_seq >= 1),
            execution_key INTEGER NOT NULL,
            event_count INTEGER NOT NULL CHECK (event_count >= 1),
            events TEXT NOT NULL
        )
        """,
        "CREATE INDEX event_groups_by_execution ON event_groups (execution_key, first_seq)",
        appendOnly("event_groups"),
        forbidDelete("event_groups"),
    ]

    /// Statements of the sixth version, after the events moved: the old table goes, and a view of
    /// the same name and columns unpacks the groups, for SQL written against the log.
    static let version6View: [String] = [
        "DROP TRIGGER events_append_only",
        "DROP TRIGGER events_no_delete",
        "DROP TABLE events",
        """
        CREATE VIEW events (execution_key, seq, event_id, event_type, timestamp, source, schema_version, payload, extensions) AS
        SELECT g.execution_key, json_extract(e.value, '$[0]'), json_extract(e.value, '$[1]'), json_extract(e.value, '$[2]'),
            json_extract(e.value, '$[3]'), json_extract(e.value, '$[4]'), json_extract(e.value, '$[5]'),
            json_extract(e.value, '$[8]'), json_extract(e.value, '$[9]')
        FROM event_groups g, json_each(g.events) e
        """,
    ]

    /// Statements of the fifth version: each transaction stores its new event ids as one packed
    /// row of `event_ids_recent`, and the writer moves them into `event_ids` in hash order once
    /// many have gathered (`RecentEventIDs`). `event_ids` is keyed by a uniform hash, so every
    /// transaction that inserted into it rewrote nearly all its pages, a statement a row.
    static let version5: [String] = [
        """
        CREATE TABLE event_ids_recent (
            first_seq INTEGER PRIMARY KEY,
            entries BLOB NOT NULL CHECK (length(entries) % 24 = 0)
        )
        """,
        // Rows leave only by the move into event_ids, in the same transaction.
        appendOnly("event_ids_recent"),
    ]

    /// Statements of the fourth version: `daily_usage` summed per (day, team), a projection of
    /// it kept in the same transactions, so that usage by team over weeks reads a few hundred
    /// rows instead of every job's (measured: 158 ms → see docs/PERFORMANCE.md).
    static let version4: [String] = [
        """
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
        ) WITHOUT ROWID
        """,
        "INSERT INTO daily_team_usage " + DailyUsageProjection.teamRollUpSelect + " GROUP BY day, team",
    ]

    /// Statements of the third version: the log position of the last transaction that changed
    /// any execution of each job. Per-job caches (sizing recommendations) compare it instead of
    /// re-reading the job's history.
    static let version3: [String] = [
        "CREATE TABLE job_versions (job_path TEXT PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID",
        """
        INSERT INTO job_versions (job_path, version)
        SELECT job_path, (SELECT next_seq FROM log_position) FROM executions WHERE job_path IS NOT NULL GROUP BY job_path
        """,
    ]

    /// Statements of the second version: listing executions by end time (newest finished first)
    /// without sorting the table (writers touch end_time only when it changes: ExecutionRow), and
    /// the sum of each duration histogram, which the metrics' `_sum` series need per state.
    static let version2: [String] = [
        "CREATE INDEX executions_by_end_time ON executions (end_time)",
        "ALTER TABLE daily_usage ADD COLUMN succeeded_duration_ms_sum INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE daily_usage ADD COLUMN failed_duration_ms_sum INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE daily_usage ADD COLUMN cancelled_duration_ms_sum INTEGER NOT NULL DEFAULT 0",
    ]

    /// Statements of the first version, in order.
    static let version1: [String] = [
        // The log. Every accepted event, never changed, never removed, clustered by execution so
        // that an execution's history is one range and a replay one sequential scan. `seq` is the
        // global append order (it skips the numbers of duplicates turned away). `payload` and
        // `extensions` are canonical JSON objects written by the validator; a json_type() CHECK
        // would cost 2 µs an event, a third of the ingest budget.
        """
        CREATE TABLE events (
            execution_key INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            event_id TEXT NOT NULL CHECK (length(event_id) BETWEEN 1 AND 128),
            event_type TEXT NOT NULL CHECK (\(oneOf("event_type", ["SUBMIT", "RUNNING", "STATE", "METRICS_SUMMARY", "CANCEL", "TERMINAL"]))),
            timestamp INTEGER NOT NULL CHECK (timestamp >= 946684800000),
            source TEXT NOT NULL CHECK (\(oneOf("source", ["runner", "operator", "importer"]))),
            schema_version INTEGER NOT NULL CHECK (schema_version >= 1),
            payload TEXT NOT NULL,
            extensions TEXT,
            PRIMARY KEY (execution_key, seq)
        ) WITHOUT ROWID
        """,
        appendOnly("events"),
        forbidDelete("events"),

        // event_id → where the event is, keyed by the 64-bit FNV-1a hash of the event_id's UTF-8
        // bytes. A text UNIQUE index on random ids halves the ingest rate; the store confirms every
        // hash hit against the stored event's event_id, and ids whose hash is taken go to
        // event_id_collisions.
        "CREATE TABLE event_ids (event_hash INTEGER PRIMARY KEY, execution_key INTEGER NOT NULL, seq INTEGER NOT NULL)",
        appendOnly("event_ids"),
        forbidDelete("event_ids"),
        """
        CREATE TABLE event_id_collisions (
            event_id TEXT PRIMARY KEY, execution_key INTEGER NOT NULL, seq INTEGER NOT NULL
        ) WITHOUT ROWID
        """,
        appendOnly("event_id_collisions"),
        forbidDelete("event_id_collisions"),

        // Where the log continues: the next seq and execution key, advanced by every transaction.
        """
        CREATE TABLE log_position (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            next_seq INTEGER NOT NULL CHECK (next_seq >= 1),
            next_execution_key INTEGER NOT NULL CHECK (next_execution_key >= 1)
        )
        """,
        "INSERT INTO log_position (id, next_seq, next_execution_key) VALUES (1, 1, 1)",

        // Rejected input, kept with its raw bytes (the first MiB of a too_large one).
        """
        CREATE TABLE quarantine (
            id INTEGER PRIMARY KEY,
            reason TEXT NOT NULL CHECK (\(oneOf("reason", ["malformed", "invalid_envelope", "unknown_event_type", "unsupported_schema_version", "invalid_payload", "too_large", "invalid_timestamp", "conflicting_duplicate"]))),
            detail TEXT NOT NULL,
            origin TEXT NOT NULL,
            message_key BLOB,
            raw BLOB NOT NULL,
            raw_size INTEGER NOT NULL CHECK (raw_size >= length(raw)),
            event_id TEXT,
            execution_id TEXT,
            quarantined_at INTEGER NOT NULL
        )
        """,
        "CREATE INDEX quarantine_by_reason ON quarantine (reason)",
        appendOnly("quarantine"),
        forbidDelete("quarantine"),

        // Execution snapshots: the fold of each execution's events. Identity (key, id) is part
        // of the log and never changes; every other column is a projection that `replay`
        // recomputes. The usage columns are what the execution adds to its day's usage row.
        """
        CREATE TABLE executions (
            execution_key INTEGER PRIMARY KEY,
            execution_id TEXT NOT NULL UNIQUE,
            job_path TEXT,
            team TEXT,
            owner TEXT,
            namespace TEXT,
            vendor TEXT CHECK (\(oneOf("vendor", ["SK8", "EMR", "DBR"]))),
            vendor_run_id TEXT,
            idempotency_key TEXT,
            parent_execution_id TEXT,
            spark_version TEXT,
            resources TEXT,
            labels TEXT,
            spark_ui_url TEXT,
            logs_url TEXT,
            state TEXT NOT NULL CHECK (\(oneOf("state", ["SUBMITTED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"]))),
            operator_state TEXT,
            final_by TEXT NOT NULL CHECK (\(oneOf("final_by", ["none", "runner", "operator"]))),
            failure_kind TEXT CHECK (\(oneOf("failure_kind", ["APPLICATION", "INFRASTRUCTURE"]))),
            error_class TEXT CHECK (\(oneOf("error_class", ["USER", "SYSTEM", "UNKNOWN"]))),
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
        )
        """,
        "CREATE INDEX executions_by_submit_time ON executions (submit_time)",
        "CREATE INDEX executions_by_team ON executions (team, submit_time)",
        "CREATE INDEX executions_by_job ON executions (job_path, submit_time)",
        """
        CREATE TRIGGER executions_identity_is_fixed BEFORE UPDATE OF execution_key, execution_id ON executions
        BEGIN SELECT RAISE(ABORT, 'executions: execution_key and execution_id never change'); END
        """,
        forbidDelete("executions"),

        // The last METRICS_SUMMARY payload of each execution that has one (a projection too). Kept
        // apart from `executions` because every state change rewrites a snapshot's whole row, and
        // the payload is most of its bytes.
        "CREATE TABLE execution_metrics (execution_key INTEGER PRIMARY KEY, payload TEXT NOT NULL)",

        // Daily usage per (UTC day of submit_time, team, job_path, namespace, vendor); `usage`
        // rolls namespace and vendor up. Histogram columns hold JSON arrays of per-bucket counts
        // over the contract's bounds, +Inf last.
        """
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
        ) WITHOUT ROWID
        """,

        // How far each input has been ingested, advanced in the same transaction as its events:
        // `file:<path>` → next line, `kafka:<topic>/<partition>` → next offset.
        """
        CREATE TABLE ingest_checkpoints (
            source TEXT PRIMARY KEY,
            position INTEGER NOT NULL CHECK (position >= 0),
            detail TEXT,
            updated_at INTEGER NOT NULL
        ) WITHOUT ROWID
        """,
    ]

    /// `column = 'a' OR column = 'b' …`: SQLite evaluates a `CHECK (column IN (…))` by building a
    /// temporary index on every INSERT (5 µs a row, measured); comparisons cost almost nothing.
    private static func oneOf(_ column: String, _ values: [String]) -> String {
        values.map { "\(column) = '\($0)'" }.joined(separator: " OR ")
    }

    private static func appendOnly(_ table: String) -> String {
        """
        CREATE TRIGGER \(table)_append_only BEFORE UPDATE ON \(table)
        BEGIN SELECT RAISE(ABORT, '\(table) is append-only: UPDATE is not allowed'); END
        """
    }

    private static func forbidDelete(_ table: String) -> String {
        """
        CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table)
        BEGIN SELECT RAISE(ABORT, '\(table) is append-only: DELETE is not allowed'); END
        """
    }
}
