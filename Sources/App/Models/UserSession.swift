import Fluent
import Foundation
import PolicyKit

/// A signed-in session. The id is the SHA-256 of the cookie's token, so a copy of the table cannot be replayed.
final class UserSession: Model, @unchecked Sendable {
    static let schema = "user_sessions"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Parent(key: "user_id") var user: User
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "last_seen_at") var lastSeenAt: Date
    @OptionalField(key: "address") var address: String?
    @OptionalField(key: "user_agent") var userAgent: String?
    /// What the session must still do before it is signed in completely; nil when it is.
    @OptionalField(key: "pending_step") var pendingStep: SignInStep?

    init() {}

    init(id: String, userID: UUID, now: Date, address: String?, userAgent: String?, pendingStep: SignInStep? = nil) {
        self.id = id
        self.$user.id = userID
        self.createdAt = now
        self.lastSeenAt = now
        self.address = address
        self.userAgent = userAgent
        self.pendingStep = pendingStep
    }
}

/// Failed sign-ins counted per account or per address.
final class LoginThrottle: Model, @unchecked Sendable {
    static let schema = "login_throttles"

    @ID(custom: "key", generatedBy: .user) var id: String?
    @Field(key: "failures") var failures: Int
    @Field(key: "last_failure_at") var lastFailureAt: Date
    @OptionalField(key: "locked_until") var lockedUntil: Date?

    init() {}

    init(key: String, now: Date) {
        self.id = key
        self.failures = 0
        self.lastFailureAt = now
    }
}
