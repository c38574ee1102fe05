import Fluent

struct CreateApplication: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(StoredApplication.schema)
            .id()
            .field("enterprise_id", .uuid, .required, .references(Enterprise.schema, .id))
            .field("round_code", .string, .required)
            .field("direction", .string, .required)
            .field("sub_direction", .string)
            .field("project_name", .string)
            .field("status", .string, .required)
            .field("verdict", .string)
            .field("document", .sql(.text), .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .field("submitted_at", .datetime)
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(StoredApplication.schema).delete()
    }
}
