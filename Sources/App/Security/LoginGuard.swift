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

    static func keys(login: String, address: String) -> [Key] {
        var keys = [Key(id: "address:" + address, policy: .perAddress)]
        if !login.isEmpty { keys.append(Key(id: "account:" + login.uppercased(), policy: .perAccount)) }
        return keys
    }

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

    func recordSuccess(login: String) async throws {
        try await LoginThrottle.query(on: database).filter(\.$id == "account:" + login.uppercased()).delete()
    }
}
