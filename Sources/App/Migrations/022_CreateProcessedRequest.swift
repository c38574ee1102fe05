import Fluent
import SQLKit

struct CreateProcessedRequest: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(ProcessedRequest.schema)
            .id()
            .field("request_key", .string, .required)
            .field("action", .string, .required)
            .field("actor_id", .uuid, .required, .references(User.schema, .id))
            .field("created_at", .datetime)
            .unique(on: "request_key", "action")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(ProcessedRequest.schema).delete()
    }
}
