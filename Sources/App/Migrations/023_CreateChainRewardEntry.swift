import Fluent
import Foundation
import SQLKit

struct CreateChainRewardEntry: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(ChainRewardEntry.schema)
            .id()
            .field("import_id", .uuid, .required)
            .field("file_name", .string, .required)
            .field("credit_code", .string, .required)
            .field("year", .int, .required)
            .field("name", .string)
            .field("category", .string)
            .field("imported_at", .datetime, .required)
            .field("imported_by", .string, .required)
            .unique(on: "import_id", "credit_code", "year")
            .create()
        // The reviewers' page looks an enterprise up by its credit code.
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.create(index: "chain_reward_entries_credit_code").on(ChainRewardEntry.schema).column("credit_code").run()
    }

    func revert(on database: Database) async throws {
        try await database.schema(ChainRewardEntry.schema).delete()
    }
}
