import Fluent
import Foundation

/// 汇总批次（市报省）: the applications a reviewing authority forwards together, with its 审核意见.
/// Once forwarded, the batch and its applications no longer change.
final class Forwarding: Model, @unchecked Sendable {
    static let schema = "forwardings"

    @ID(key: .id) var id: UUID?
    @Field(key: "authority") var authority: String
    @Field(key: "opinion") var opinion: String
    @Parent(key: "forwarded_by") var forwardedBy: User
    @Timestamp(key: "forwarded_at", on: .create) var forwardedAt: Date?

    init() {}

    init(authority: String, opinion: String, forwardedBy: UUID) {
        self.authority = authority
        self.opinion = opinion
        self.$forwardedBy.id = forwardedBy
    }
}
