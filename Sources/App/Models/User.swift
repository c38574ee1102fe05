import Fluent
import Foundation
import PolicyKit

/// A person who signs in: an enterprise's account, a reviewer of an authority or division, or the provincial admin.
final class User: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "role") var role: Role
    @OptionalParent(key: "enterprise_id") var enterprise: Enterprise?
    /// The reviewing authority (city code or special authority id) or division id a reviewer belongs to.
    @OptionalField(key: "organisation") var organisation: String?
    /// Sign-in name for staff accounts; enterprises sign in with their credit code or mobile.
    @OptionalField(key: "login") var login: String?
    @OptionalField(key: "mobile") var mobile: String?
    @Field(key: "display_name") var displayName: String
    @Field(key: "password_hash") var passwordHash: String
    @OptionalField(key: "password_changed_at") var passwordChangedAt: Date?
    @OptionalField(key: "disabled_at") var disabledAt: Date?
    /// The TOTP secret (Base32); in force once `secondFactorEnabledAt` is set, before that an enrolment in progress.
    @OptionalField(key: "totp_secret") var totpSecret: String?
    /// The last 30-second step whose code was accepted: the same code cannot be used twice.
    @OptionalField(key: "totp_last_step") var totpLastStep: Int64?
    /// The SHA-256 digests of the unused recovery codes, as a JSON array.
    @OptionalField(key: "recovery_codes") var recoveryCodes: String?
    @OptionalField(key: "second_factor_enabled_at") var secondFactorEnabledAt: Date?
    /// Set when an administrator issued the password: it must be changed at the next sign-in.
    @Field(key: "must_change_password") var mustChangePassword: Bool
    /// The hashes of the passwords before the current one, newest first, as a JSON array.
    @OptionalField(key: "password_history") var passwordHistory: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(role: Role, enterpriseID: UUID? = nil, organisation: String? = nil, login: String? = nil, mobile: String?, displayName: String, passwordHash: String) {
        self.role = role
        self.$enterprise.id = enterpriseID
        self.organisation = organisation
        self.login = login
        self.mobile = mobile
        self.displayName = displayName
        self.passwordHash = passwordHash
        self.passwordChangedAt = Date()
        self.mustChangePassword = false
    }

    var hasSecondFactor: Bool { secondFactorEnabledAt != nil && totpSecret != nil }
}
