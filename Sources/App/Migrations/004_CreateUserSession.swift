import Fluent

struct CreateUserSession: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(UserSession.schema)
            .field("id", .string, .identifier(auto: false))
            .field("user_id", .uuid, .required, .references(User.schema, .id, onDelete: .cascade))
            .field("created_at", .datetime, .required)
            .field("last_seen_at", .datetime, .required)
            .field("address", .string)
            .field("user_agent", .string)
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(UserSession.schema).delete()
    }
}
