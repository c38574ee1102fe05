import Fluent

struct CreateRound: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(RoundRecord.schema)
            .id()
            .field("code", .string, .required)
            .field("notice_number", .string, .required)
            .field("title", .string, .required)
            .field("deadline", .datetime, .required)
            .field("opened_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(RoundRecord.schema).delete()
    }
}
