import Fluent
import Foundation
import PolicyKit
import Vapor

/// The security administrator's duty (安全管理 under 三权分立): accounts locked after failed sign-ins, and the
/// staff's two-factor sign-in, with unlocking and resetting. Each change is audited in its own transaction.
struct SecurityAdministration {
    let environment: ServiceEnvironment

    struct LockedAccount {
        var user: User
        var lockedUntil: Date
    }

    /// The accounts whose sign-in lock is still in force.
    func lockedAccounts() async throws -> [LockedAccount] {
        let now = environment.clock()
        let prefix = LoginGuard.accountKeyPrefix
        // Keys sort as text: those of accounts run from the prefix up to the prefix with its colon raised to ';'.
        let locks = try await LoginThrottle.query(on: environment.database).filter(\.$id >= prefix).filter(\.$id < String(prefix.dropLast()) + ";").all()
            .compactMap { row -> (UUID, Date)? in
                guard let until = row.lockedUntil, until > now, let id = row.id.flatMap({ UUID(uuidString: String($0.dropFirst(prefix.count))) }) else { return nil }
                return (id, until)
            }
        let until = Dictionary(uniqueKeysWithValues: locks)
        return try await User.query(on: environment.database).filter(\.$id ~~ locks.map(\.0)).all()
            .compactMap { user in user.id.flatMap { until[$0] }.map { LockedAccount(user: user, lockedUntil: $0) } }
    }

    /// Every staff account, by role and name.
    func staff() async throws -> [User] {
        try await User.query(on: environment.database).filter(\.$role != .enterprise).sort(\.$role).sort(\.$displayName).all()
    }

    func unlock(_ id: UUID?) async throws {
        let user = try await Administration(environment: environment).account(id)
        let environment = environment
        try await environment.database.transaction { database in
            try await LoginThrottle.query(on: database).filter(\.$id == LoginGuard.accountKey(try user.requireID())).delete()
            try await environment.audit(.accountUnlocked, on: database, objectType: "账号", objectID: user.id?.uuidString, after: user.displayName)
        }
    }

    /// After a lost phone: the account enrols again at its next sign-in. One's own is reset by another administrator.
    func resetSecondFactor(_ id: UUID?) async throws {
        let user = try await Administration(environment: environment).account(id)
        guard user.id != environment.actor.user.id else { throw Abort(.forbidden, reason: "不能重置自己的双因素认证，请由另一位安全管理员办理") }
        try await SecondFactors(database: environment.database, cryptography: environment.settings.cryptography, address: environment.actor.address, clock: environment.clock)
            .remove(from: user, by: environment.actor.user)
    }
}
