import Fluent

struct CreateAuditAnchor: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(AuditAnchor.schema)
            .id()
            .field("purged_through", .int, .required)
            .field("hash", .string, .required)
            .field("purged", .int, .required)
            .field("before", .datetime, .required)
            .field("at", .datetime, .required)
            .field("actor", .string, .required)
            .field("export_file", .sql(.text), .required)
            .field("export_algorithm", .string, .required)
            .field("export_digest", .string, .required)
            .unique(on: "purged_through")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(AuditAnchor.schema).delete()
    }
}
