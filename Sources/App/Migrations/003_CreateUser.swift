import Fluent

struct CreateUser: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(User.schema)
            .id()
            .field("role", .string, .required)
            .field("enterprise_id", .uuid, .references(Enterprise.schema, .id))
            .field("organisation", .string)
            .field("login", .string)
            .field("mobile", .string)
            .field("display_name", .string, .required)
            .field("password_hash", .string, .required)
            .field("password_changed_at", .datetime)
            .field("disabled_at", .datetime)
            .field("created_at", .datetime)
            .unique(on: "login")
            .unique(on: "mobile")
            .unique(on: "enterprise_id")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(User.schema).delete()
    }
}
