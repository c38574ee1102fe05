import Fluent
import Foundation
import PolicyKit

/// Where an application goes: its 审核单位 (属地) and its 附件4 处室, kept as columns so that scoped lists are plain queries.
struct UpdateApplicationRouting: AsyncMigration {
    // One column per statement: SQLite's ALTER TABLE adds a single column at a time.
    func prepare(on database: Database) async throws {
        try await database.schema(StoredApplication.schema).field("authority", .string).update()
        try await database.schema(StoredApplication.schema).field("division", .string).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(StoredApplication.schema).deleteField("division").update()
        try await database.schema(StoredApplication.schema).deleteField("authority").update()
    }
}
