import Fluent
import Foundation
import PolicyKit
import Vapor

/// Counts failed sign-ins per account and per address and locks them progressively (`LoginThrottlePolicy`).
struct LoginGuard {
    let database: Database
    let now: Date

    struct Key {
        var id: String
        var policy: LoginThrottlePolicy
    }

    /// The account's counter is keyed on the account, not on what was typed, so that its credit code, its mobile
    /// written with dashes or +86, and its sign-in name all count against one lock. Text naming no account is
    /// counted as typed, letters and digits only.
    static func keys(account: User?, login: String, address: String) -> [Key] {
        var keys = [Key(id: "address:" + address, policy: .perAddress)]
        if let id = account?.id {
            keys.append(Key(id: accountKey(id), policy: .perAccount))
        } else if !login.isEmpty {
            keys.append(Key(id: "login:" + String(login.uppercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init)), policy: .perAccount))
        }
        return keys
    }

    static let accountKeyPrefix = "account:"
    static func accountKey(_ id: UUID) -> String { accountKeyPrefix + id.uuidString }

    /// The latest time any of the keys is locked until, if still in the future.
    func lockedUntil(_ keys: [Key]) async throws -> Date? {
        let rows = try await LoginThrottle.query(on: database).filter(\.$id ~~ keys.map(\.id)).all()
        return rows.compactMap(\.lockedUntil).filter { $0 > now }.max()
    }

    func recordFailure(_ keys: [Key]) async throws {
        for key in keys {
            let row = try await LoginThrottle.find(key.id, on: database) ?? LoginThrottle(key: key.id, now: now)
            if now.timeIntervalSince(row.lastFailureAt) > key.policy.window { row.failures = 0 }
            row.failures += 1
            row.lastFailureAt = now
            row.lockedUntil = key.policy.lockDuration(afterFailures: row.failures).map { now.addingTimeInterval($0) }
            try await row.save(on: database)
        }
    }

    func recordSuccess(_ user: User) async throws {
        try await LoginThrottle.query(on: database).filter(\.$id == Self.accountKey(try user.requireID())).delete()
    }
}

extension Vapor.Application {
    private struct UnknownAccountHashKey: StorageKey {
        typealias Value = String
    }

    /// A hash of a random password at the configured cost, made once at start-up, for sign-ins naming no account.
    var unknownAccountHash: String {
        get { storage[UnknownAccountHashKey.self] ?? "" }
        set { storage[UnknownAccountHashKey.self] = newValue }
    }
}
