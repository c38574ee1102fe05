import Fluent

struct CreateLoginThrottle: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(LoginThrottle.schema)
            .field("key", .string, .identifier(auto: false))
            .field("failures", .int, .required)
            .field("last_failure_at", .datetime, .required)
            .field("locked_until", .datetime)
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(LoginThrottle.schema).delete()
    }
}
