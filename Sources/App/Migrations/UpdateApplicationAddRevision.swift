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

struct CreateApplicationRevision: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(ApplicationRevision.schema)
            .id()
            .field("application_id", .uuid, .required, .references(StoredApplication.schema, .id))
            .field("revision", .int, .required)
            .field("document", .sql(.text), .required)
            .field("saved_by", .uuid, .required, .references(User.schema, .id))
            .field("saved_at", .datetime)
            .unique(on: "application_id", "revision")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(ApplicationRevision.schema).delete()
    }
}

struct CreateProcessedRequest: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(ProcessedRequest.schema)
            .id()
            .field("request_key", .string, .required)
            .field("action", .string, .required)
            .field("actor_id", .uuid, .required, .references(User.schema, .id))
            .field("created_at", .datetime)
            .unique(on: "request_key", "action")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(ProcessedRequest.schema).delete()
    }
}
