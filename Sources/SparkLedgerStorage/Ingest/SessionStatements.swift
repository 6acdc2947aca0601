import GRDB

/// The statements of a write session, prepared once per transaction: looking a statement up in
/// GRDB's cache hashes its SQL text, which for the 50-column snapshot update costs more than
/// running it.
struct SessionStatements {
    let insertEventGroup: RawStatement
    let eventIDBlocks: EventIDBlocks
    let insertRecentEventIDs: RawStatement
    let clearRecentEventIDs: RawStatement
    let lookupCollision: RawStatement
    let insertCollision: RawStatement
    let insertQuarantine: RawStatement
    let upsertCheckpoint: RawStatement
    let selectCheckpoint: RawStatement
    let readPosition: RawStatement
    let writePosition: RawStatement
    let upsertJobVersion: RawStatement
    let events: StoredEventReader
    let executions: ExecutionProjector
    let usage: DailyUsageProjection

    init(_ db: Database, projector: ExecutionProjector, usage: DailyUsageProjection) throws {
        insertEventGroup = try RawStatement(db, EventGroup.insertSQL)
        eventIDBlocks = try EventIDBlocks(db)
        insertRecentEventIDs = try RawStatement(db, "INSERT INTO event_ids_recent (first_seq, entries) VALUES (?1, ?2)")
        clearRecentEventIDs = try RawStatement(db, "DELETE FROM event_ids_recent")
        lookupCollision = try RawStatement(db, "SELECT execution_key, seq FROM event_id_collisions WHERE event_id = ?1")
        insertCollision = try RawStatement(db, "INSERT INTO event_id_collisions (event_id, execution_key, seq) VALUES (?1, ?2, ?3)")
        insertQuarantine = try RawStatement(db, """
            INSERT INTO quarantine (reason, detail, origin, message_key, raw, raw_size, event_id, execution_id, quarantined_at)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            """)
        upsertCheckpoint = try RawStatement(db, """
            INSERT INTO ingest_checkpoints (source, position, detail, updated_at) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (source) DO UPDATE SET position = excluded.position, detail = excluded.detail, updated_at = excluded.updated_at
            """)
        selectCheckpoint = try RawStatement(db, "SELECT position FROM ingest_checkpoints WHERE source = ?1")
        readPosition = try RawStatement(db, "SELECT next_seq, next_execution_key FROM log_position WHERE id = 1")
        writePosition = try RawStatement(db, "UPDATE log_position SET next_seq = ?1, next_execution_key = ?2 WHERE id = 1")
        upsertJobVersion = try RawStatement(db, """
            INSERT INTO job_versions (job_path, version) VALUES (?1, ?2)
            ON CONFLICT (job_path) DO UPDATE SET version = excluded.version
            """)
        events = try StoredEventReader(db: db)
        executions = projector
        self.usage = usage
    }
}
