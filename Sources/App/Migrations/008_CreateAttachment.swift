import Fluent
import Foundation
import PolicyKit

struct CreateAttachment: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(StoredAttachment.schema)
            .id()
            .field("application_id", .uuid, .required, .references(StoredApplication.schema, .id))
            .field("item", .string, .required)
            .field("sha256", .string, .required)
            .field("size", .int64, .required)
            .field("kind", .string, .required)
            .field("page_count", .int)
            .field("original_name", .string, .required)
            .field("uploaded_by", .uuid, .required, .references(User.schema, .id))
            .field("uploaded_at", .datetime)
            .field("removed_at", .datetime)
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(StoredAttachment.schema).delete()
    }
}
