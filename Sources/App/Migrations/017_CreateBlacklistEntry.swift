import Fluent
import Foundation
import PolicyKit
import SQLKit

struct CreateBlacklistEntry: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(BlacklistEntry.schema)
            .id()
            .field("import_id", .uuid, .required)
            .field("file_name", .string, .required)
            .field("credit_code", .string, .required)
            .field("name", .string)
            .field("source", .string, .required)
            .field("imported_at", .datetime, .required)
            .field("imported_by", .string, .required)
            .unique(on: "import_id", "credit_code")
            .create()
        // Flagging joins on the credit code for every listed application.
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "blacklist_entries_credit_code").on(BlacklistEntry.schema).column("credit_code").run()
    }

    func revert(on database: Database) async throws {
        try await database.schema(BlacklistEntry.schema).delete()
    }
}
