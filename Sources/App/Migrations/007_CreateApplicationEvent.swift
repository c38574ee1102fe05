import Fluent

struct CreateApplicationEvent: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(ApplicationEvent.schema)
            .id()
            .field("application_id", .uuid, .required, .references(StoredApplication.schema, .id))
            .field("actor_id", .uuid, .required, .references(User.schema, .id))
            .field("from_status", .string)
            .field("to_status", .string, .required)
            .field("comment", .sql(.text))
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(ApplicationEvent.schema).delete()
    }
}
