import Fluent
import Foundation
import PolicyKit
import Vapor

/// Who acts, from where, and what they may see: the signed-in user of a request, or the account a command acts as.
struct Actor: Sendable {
    let user: User
    let address: String?

    var id: UUID { user.id ?? UUID() }
    var role: Role { user.role }
    var scope: AccessScope { AccessScope.of(user) }
}

/// What every service takes instead of a request: the database, the acting user, a clock and the settings.
/// The pages, the JSON API and the commands build one and call the same services.
struct ServiceEnvironment: Sendable {
    var database: any Database
    var settings: Settings
    var actor: Actor
    var clock: @Sendable () -> Date = { Date() }
    /// Hashes passwords (the accounts service); Vapor's bcrypt outside tests.
    var passwords: AsyncPasswordHasher

    func engine(for round: Round) -> EligibilityEngine {
        settings.rounds.engine(for: round)
    }

    /// Appends to the audit chain on `database`: inside a change's transaction it commits or rolls back with the change.
    func audit(_ action: AuditLog.Action, on database: any Database, objectType: String, objectID: String?,
               before: String? = nil, after: String? = nil) async throws {
        try await AuditLog(database: database, cryptography: settings.cryptography).record(action, actor: actor.user, objectType: objectType, objectID: objectID,
                                                                                          before: before, after: after, address: actor.address)
    }

    /// An opened round by its id, closed or not.
    func openedRound(_ id: String) async throws -> (RoundRecord, Round) {
        guard let record = try await RoundRecord.query(on: database).filter(\.$code == id).first(), let round = settings.rounds[id] else {
            throw WorkflowError.notFound("批次“\(id)”尚未开启")
        }
        return (record, round)
    }

    /// The round open for applications; none open is refused with the reason.
    func openRound() async throws -> (RoundRecord, Round) {
        guard let current = try await RoundRegistry(database: database, catalog: settings.rounds).current() else {
            throw WorkflowError.unavailable("暂无开放的申报批次")
        }
        return current
    }
}
