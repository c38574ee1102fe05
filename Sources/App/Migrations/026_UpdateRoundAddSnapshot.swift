import Fluent

/// A round keeps the file it was opened with (`policy`, its digest) so that its applications stay readable when the file
/// is retired, and knows when it was closed.
struct UpdateRoundAddSnapshot: AsyncMigration {
    // One column per statement: SQLite's ALTER TABLE adds a single column at a time.
    func prepare(on database: Database) async throws {
        try await database.schema(RoundRecord.schema).field("policy", .string).update()
        try await database.schema(RoundRecord.schema).field("policy_digest", .string).update()
        try await database.schema(RoundRecord.schema).field("closed_at", .datetime).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(RoundRecord.schema).deleteField("closed_at").update()
        try await database.schema(RoundRecord.schema).deleteField("policy_digest").update()
        try await database.schema(RoundRecord.schema).deleteField("policy").update()
    }
}
