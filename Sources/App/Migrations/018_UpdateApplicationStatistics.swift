import Fluent
import Foundation
import PolicyKit
import SQLKit

/// Adds the columns statistics group and sum by, and fills them for applications saved before.
struct UpdateApplicationStatistics: AsyncMigration {
    // One column per statement: SQLite's ALTER TABLE adds a single column at a time.
    func prepare(on database: Database) async throws {
        try await database.schema(StoredApplication.schema).field("industry", .string).update()
        try await database.schema(StoredApplication.schema).field("requested_amount", .int64).update()
        try await Self.fill(on: database)
    }

    /// Fills both columns from the stored documents.
    static func fill(on database: Database) async throws {
        // Written with SQL so that the backfill leaves updated_at alone.
        guard let sql = database as? any SQLDatabase else { return }
        // Only the columns that existed when this migration was written: later ones are not there yet.
        struct Row: Decodable {
            var id: UUID
            var document: String
        }
        for row in try await sql.select().columns("id", "document").from(StoredApplication.schema).all(decoding: Row.self) {
            guard let document = try? JSONDecoder().decode(Document.self, from: Data(row.document.utf8)) else { continue }
            let id = row.id
            try await sql.update(StoredApplication.schema)
                .set("industry", to: SQLBind(document.enterprise?.industry))
                .set("requested_amount", to: SQLBind(document.performanceTargets?.requestedAmount?.units))
                .where("id", .equal, SQLBind(id)).run()
        }
    }

    func revert(on database: Database) async throws {
        try await database.schema(StoredApplication.schema).deleteField("requested_amount").update()
        try await database.schema(StoredApplication.schema).deleteField("industry").update()
    }

    /// The two parts of a stored application document the columns come from.
    struct Document: Decodable {
        struct Enterprise: Decodable {
            var industry: String?
        }
        var enterprise: Enterprise?
        var performanceTargets: PerformanceTargets?
    }
}
