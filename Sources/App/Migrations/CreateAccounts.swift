import Fluent

struct CreateEnterprise: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(Enterprise.schema)
            .id()
            .field("credit_code", .string, .required)
            .field("name", .string, .required)
            .field("contact_name", .string, .required)
            .field("mobile", .string, .required)
            .field("city", .string)
            .field("county", .string)
            .field("zone", .string)
            .field("in_transformation_zone", .bool, .required)
            .field("ownership", .string)
            .field("industry_category", .string)
            .field("industry", .string)
            .field("independent_legal_person", .bool)
            .field("implemented_in_shanxi", .bool)
            .field("no_other_provincial_funds", .bool)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "credit_code")
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(Enterprise.schema).delete()
    }
}

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
