import Fluent
import SQLKit

struct UpdateApplicationAddRevision: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(StoredApplication.schema)
            .field("revision", .int, .required, .sql(.default(0)))
            .update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(StoredApplication.schema).deleteField("revision").update()
    }
}
