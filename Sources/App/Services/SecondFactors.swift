import Cryptography
import Fluent
import Foundation
import PolicyKit

/// Two-factor sign-in with TOTP (RFC 6238, any authenticator app): enrolment, the code at sign-in, recovery codes,
/// turning it off, and the security administrator's reset. Each change is audited in its own transaction.
struct SecondFactors {
    let database: any Database
    let cryptography: CryptographySettings
    let address: String?
    var clock: @Sendable () -> Date = { Date() }

    enum Outcome: Equatable {
        case accepted
        /// A recovery code was used; this many are left.
        case acceptedRecoveryCode(remaining: Int)
        case refused
        /// Too many wrong codes or passwords: not checked until then.
        case locked(until: Date)
    }

    /// The secret of an enrolment in progress, made on first asking and kept until it is confirmed.
    func beginEnrolment(_ user: User) async throws -> Data {
        if !user.hasSecondFactor, let pending = user.totpSecret.flatMap(Base32.decode) { return pending }
        let secret = TOTP.generateSecret(using: cryptography.provider)
        user.totpSecret = Base32.encode(secret)
        user.secondFactorEnabledAt = nil
        user.totpLastStep = nil
        try await user.save(on: database)
        return secret
    }

    /// Turns two-factor sign-in on when `code` matches the pending secret; returns the recovery codes to show once.
    func confirmEnrolment(_ user: User, code: String) async throws -> [String]? {
        guard !user.hasSecondFactor, let secret = user.totpSecret.flatMap(Base32.decode),
              let step = TOTP.verify(code: code, secret: secret, at: clock()) else { return nil }
        let codes = RecoveryCodes.generate(using: cryptography.provider)
        user.totpLastStep = Int64(step)
        user.secondFactorEnabledAt = clock()
        user.recoveryCodes = try Self.encode(codes.compactMap { digest($0) })
        try await database.transaction { database in
            try await user.save(on: database)
            try await audit(.secondFactorEnabled, actor: user, subject: user, on: database)
        }
        return codes
    }

    /// The code at sign-in, held to the account's sign-in lock: a wrong code counts like a wrong password.
    func check(_ user: User, code: String) async throws -> Outcome {
        let guardian = LoginGuard(database: database, now: clock())
        let keys = LoginGuard.keys(account: user, login: "", address: address ?? "unknown")
        if let until = try await guardian.lockedUntil(keys) { return .locked(until: until) }
        let outcome = try await verify(user, code: code)
        if outcome == .refused { try await guardian.recordFailure(keys) } else { try await guardian.recordSuccess(user) }
        return outcome
    }

    /// A code typed at sign-in: the current TOTP code (each step once) or an unused recovery code (then spent).
    func verify(_ user: User, code: String) async throws -> Outcome {
        guard user.hasSecondFactor, let secret = user.totpSecret.flatMap(Base32.decode) else { return .refused }
        if let step = TOTP.verify(code: code, secret: secret, at: clock(), lastUsedCounter: user.totpLastStep.map(UInt64.init)) {
            user.totpLastStep = Int64(step)
            try await user.save(on: database)
            return .accepted
        }
        var remaining = try Self.decode(user.recoveryCodes)
        guard let typed = digest(code), let index = remaining.firstIndex(of: typed) else {
            try await audit(.secondFactorFailed, actor: nil, subject: user, on: database)
            return .refused
        }
        remaining.remove(at: index)
        user.recoveryCodes = try Self.encode(remaining)
        let left = remaining.count
        try await database.transaction { database in
            try await user.save(on: database)
            try await audit(.recoveryCodeUsed, actor: user, subject: user, detail: "剩余 \(left) 个", on: database)
        }
        return .acceptedRecoveryCode(remaining: left)
    }

    /// Turns it off: by the user (when the profile allows) or, as a reset after a lost phone, by the security
    /// administrator; the user enrols again at the next sign-in if the profile requires it.
    func remove(from user: User, by actor: User) async throws {
        user.totpSecret = nil
        user.totpLastStep = nil
        user.recoveryCodes = nil
        user.secondFactorEnabledAt = nil
        try await database.transaction { database in
            try await user.save(on: database)
            // A reset follows a lost phone: whoever holds it must not stay signed in.
            if actor.id != user.id { try await UserSession.query(on: database).filter(\.$user.$id == user.requireID()).delete() }
            try await audit(actor.id == user.id ? .secondFactorDisabled : .secondFactorReset, actor: actor, subject: user, on: database)
        }
    }

    func remainingRecoveryCodes(_ user: User) throws -> Int { try Self.decode(user.recoveryCodes).count }

    private func digest(_ code: String) -> String? {
        RecoveryCodes.digest(code, algorithm: cryptography.digest, using: cryptography.provider).map { $0.map { String(format: "%02x", $0) }.joined() }
    }

    private static func encode(_ digests: [String]) throws -> String { String(decoding: try JSONEncoder().encode(digests), as: UTF8.self) }
    private static func decode(_ text: String?) throws -> [String] {
        guard let text else { return [] }
        return try JSONDecoder().decode([String].self, from: Data(text.utf8))
    }

    private func audit(_ action: AuditLog.Action, actor: User?, subject: User, detail: String? = nil, on database: any Database) async throws {
        try await AuditLog(database: database, cryptography: cryptography).record(action, actor: actor, actorLabel: actor == nil ? "账号 \(subject.displayName)" : nil, objectType: "账号",
                                                      objectID: subject.id?.uuidString, after: detail, address: address)
    }
}
