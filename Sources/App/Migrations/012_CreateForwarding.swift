import Fluent
import Foundation

struct CreateForwarding: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Forwarding.schema)
            .id()
            .field("authority", .string, .required)
            .field("opinion", .sql(.text), .required)
            .field("forwarded_by", .uuid, .required, .references(User.schema, .id))
            .field("forwarded_at", .datetime)
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(Forwarding.schema).delete()
    }
}
