import Fluent

/// A session whose password was right but which must still pass a step (`SignInStep`) before anything else.
struct UpdateUserSessionAddPendingStep: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(UserSession.schema).field("pending_step", .string).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(UserSession.schema).deleteField("pending_step").update()
    }
}
