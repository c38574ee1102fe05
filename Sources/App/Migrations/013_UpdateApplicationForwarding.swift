import Fluent
import Foundation

struct UpdateApplicationForwarding: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(StoredApplication.schema).field("forwarding_id", .uuid).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(StoredApplication.schema).deleteField("forwarding_id").update()
    }
}
