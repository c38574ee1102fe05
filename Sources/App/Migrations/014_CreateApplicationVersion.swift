import Fluent
import Foundation
import PolicyKit

struct CreateApplicationVersion: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(ApplicationVersion.schema)
            .id()
            .field("application_id", .uuid, .required, .references(StoredApplication.schema, .id))
            .field("number", .int, .required)
            .field("document", .sql(.text), .required)
            .field("files", .sql(.text), .required)
            .field("submitted_by", .uuid, .required, .references(User.schema, .id))
            .field("submitted_at", .datetime)
            .unique(on: "application_id", "number")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(ApplicationVersion.schema).delete()
    }
}
