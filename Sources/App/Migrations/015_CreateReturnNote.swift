import Fluent
import Foundation
import PolicyKit

struct CreateReturnNote: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(ReturnNote.schema)
            .id()
            .field("application_id", .uuid, .required, .references(StoredApplication.schema, .id))
            .field("version", .int, .required)
            .field("target", .string, .required)
            .field("target_label", .string, .required)
            .field("text", .sql(.text), .required)
            .field("author_id", .uuid, .required, .references(User.schema, .id))
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(ReturnNote.schema).delete()
    }
}
