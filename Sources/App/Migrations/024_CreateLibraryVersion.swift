import Fluent
import Foundation
import SQLKit

struct CreateLibraryVersion: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(LibraryVersion.schema)
            .id()
            .field("enterprise_id", .uuid, .required, .references(Enterprise.schema, "id"))
            .field("content", .string, .required)
            .field("files", .string, .required)
            .field("source_application_id", .uuid)
            .field("saved_at", .datetime, .required)
            .field("saved_by", .uuid, .required, .references(User.schema, "id"))
            .create()
        // Every save of an application looks up the enterprise's newest version.
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "library_versions_enterprise_saved").on(LibraryVersion.schema).column("enterprise_id").column("saved_at").run()
    }

    func revert(on database: Database) async throws {
        try await database.schema(LibraryVersion.schema).delete()
    }
}
