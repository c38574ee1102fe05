import Fluent
import Foundation
import PolicyKit
import Vapor

/// Accounts' own changes and the events around them: registration, sign-in and sign-out, password changes, the
/// enterprise profile, and exports. The actor may be nobody yet (registering, a failed sign-in), so this takes the
/// database and the address rather than a `ServiceEnvironment`.
struct Accounts {
    let database: any Database
    let cryptography: CryptographySettings
    let address: String?
    var clock: @Sendable () -> Date = { Date() }

    private func audit(_ action: AuditLog.Action, actor: User?, actorLabel: String? = nil, objectType: String, objectID: String?,
                       before: String? = nil, after: String? = nil, on database: any Database) async throws {
        try await AuditLog(database: database, cryptography: cryptography).record(action, actor: actor, actorLabel: actorLabel, objectType: objectType, objectID: objectID,
                                                                                  before: before, after: after, address: address)
    }

    /// A new enterprise and its administrator account, already checked by the caller.
    func register(creditCode: String, name: String, contactName: String, mobile: String, passwordHash: String) async throws -> User {
        try await database.transaction { database in
            let enterprise = Enterprise(creditCode: creditCode, name: name, contactName: contactName, mobile: mobile)
            try await enterprise.create(on: database)
            let user = User(role: .enterprise, enterpriseID: try enterprise.requireID(), mobile: mobile, displayName: contactName, passwordHash: passwordHash)
            try await user.create(on: database)
            try await audit(.register, actor: user, objectType: "企业", objectID: creditCode, after: name, on: database)
            return user
        }
    }

    func signedIn(_ user: User) async throws {
        try await audit(.signIn, actor: user, objectType: "账号", objectID: user.id?.uuidString, on: database)
    }

    /// A wrong password; `account` when the text named one (its id is recorded, so the log can be filtered by it).
    func signInFailed(login: String, account: User?) async throws {
        try await audit(.signInFailed, actor: nil, actorLabel: "账号 \(String(login.prefix(40)))", objectType: "账号", objectID: account?.id?.uuidString, on: database)
    }

    /// A sign-in refused without checking the password, because the account or the address is locked.
    func signInLocked(login: String, account: User?) async throws {
        try await audit(.signInLocked, actor: nil, actorLabel: "账号 \(String(login.prefix(40)))", objectType: "账号", objectID: account?.id?.uuidString, on: database)
    }

    /// The right password for a disabled account.
    func signInToDisabled(_ user: User) async throws {
        try await audit(.signInDisabled, actor: nil, actorLabel: "账号 \(user.displayName)", objectType: "账号", objectID: user.id?.uuidString, on: database)
    }

    func signedOut(_ user: User) async throws {
        try await audit(.signOut, actor: user, objectType: "账号", objectID: user.id?.uuidString, on: database)
    }

    /// Whether `password` is one of the account's current and `keeping` earlier passwords.
    func repeatsHistory(_ password: String, of user: User, keeping: Int, verifier: AsyncPasswordHasher) async throws -> Bool {
        guard keeping > 0 else { return false }
        for hash in try Self.history(user).prefix(keeping) where try await verifier.verify(password, created: hash) {
            return true
        }
        return false
    }

    /// Stores the new hash (the old one joins the history, `keeping` long), lifts a required change, and ends every
    /// session of the account (the caller starts a new one for this device).
    func changePassword(of user: User, to passwordHash: String, keeping: Int = 0) async throws {
        if keeping > 0 {
            let history = [user.passwordHash] + (try Self.history(user))
            user.passwordHistory = String(decoding: try JSONEncoder().encode(Array(history.prefix(keeping))), as: UTF8.self)
        }
        user.passwordHash = passwordHash
        user.passwordChangedAt = clock()
        user.mustChangePassword = false
        try await database.transaction { database in
            try await user.save(on: database)
            try await UserSession.query(on: database).filter(\.$user.$id == user.requireID()).delete()
            try await audit(.passwordChanged, actor: user, objectType: "账号", objectID: user.id?.uuidString, on: database)
        }
    }

    static func history(_ user: User) throws -> [String] {
        guard let text = user.passwordHistory else { return [] }
        return try JSONDecoder().decode([String].self, from: Data(text.utf8))
    }

    /// Saves the 企业信息 with its contact, who is also the account's name and mobile.
    func saveProfile(_ enterprise: Enterprise, of user: User) async throws {
        try await database.transaction { database in
            try await enterprise.save(on: database)
            user.mobile = enterprise.mobile
            user.displayName = enterprise.contactName
            try await user.save(on: database)
            try await audit(.profileSaved, actor: user, objectType: "企业", objectID: enterprise.creditCode, on: database)
        }
    }

    /// An export (申请报告, 汇总表, 操作日志) by `user`.
    func exported(by user: User, objectType: String, objectID: String?, detail: String? = nil) async throws {
        try await audit(.export, actor: user, objectType: objectType, objectID: objectID, after: detail, on: database)
    }
}
