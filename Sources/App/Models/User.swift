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
    }
}
