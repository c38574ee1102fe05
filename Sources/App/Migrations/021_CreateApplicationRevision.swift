import Fluent
import SQLKit

struct CreateApplicationRevision: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(ApplicationRevision.schema)
            .id()
            .field("application_id", .uuid, .required, .references(StoredApplication.schema, .id))
            .field("revision", .int, .required)
            .field("document", .sql(.text), .required)
            .field("saved_by", .uuid, .required, .references(User.schema, .id))
            .field("saved_at", .datetime)
            .unique(on: "application_id", "revision")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(ApplicationRevision.schema).delete()
    }
}
