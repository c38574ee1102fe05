import Fluent
import Foundation
import SQLKit

struct CreateAuditEvent: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(AuditEvent.schema)
            .id()
            .field("sequence", .int, .required)
            .field("at", .datetime, .required)
            .field("actor_id", .uuid)
            .field("actor", .string, .required)
            .field("action", .string, .required)
            .field("object_type", .string, .required)
            .field("object_id", .string)
            .field("before", .sql(.text))
            .field("after", .sql(.text))
            .field("address", .string)
            .field("previous_hash", .string, .required)
            .field("hash", .string, .required)
            .unique(on: "sequence")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(AuditEvent.schema).delete()
    }
}
