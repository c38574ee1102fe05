import Fluent

/// Two-factor sign-in (a TOTP secret, the last step used, hashed recovery codes), the first-sign-in change of an
/// issued password, and the hashes of earlier passwords that a new one may not repeat.
struct UpdateUserAddSecondFactor: AsyncMigration {
    // One column per statement: SQLite's ALTER TABLE adds a single column at a time.
    func prepare(on database: Database) async throws {
        try await database.schema(User.schema).field("totp_secret", .string).update()
        try await database.schema(User.schema).field("totp_last_step", .int64).update()
        try await database.schema(User.schema).field("recovery_codes", .string).update()
        try await database.schema(User.schema).field("second_factor_enabled_at", .datetime).update()
        try await database.schema(User.schema).field("must_change_password", .bool, .required, .sql(.default(false))).update()
        try await database.schema(User.schema).field("password_history", .string).update()
    }

    func revert(on database: Database) async throws {
        for field in ["password_history", "must_change_password", "second_factor_enabled_at", "recovery_codes", "totp_last_step", "totp_secret"] {
            try await database.schema(User.schema).deleteField(.string(field)).update()
        }
    }
}
