import Fluent
import Foundation

/// A round opened for applications, with the round file it was opened with. The deadline here may be extended by the
/// admin; a closed round takes no new applications or submissions, and its applications are still reviewed.
final class RoundRecord: Model, @unchecked Sendable {
    static let schema = "rounds"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "notice_number") var noticeNumber: String
    @Field(key: "title") var title: String
    @Field(key: "deadline") var deadline: Date
    /// The merged round file (JSON) as opened: what the round's applications are read and checked with.
    @OptionalField(key: "policy") var policy: String?
    @OptionalField(key: "policy_digest") var policyDigest: String?
    @OptionalField(key: "closed_at") var closedAt: Date?
    @Timestamp(key: "opened_at", on: .create) var openedAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    /// Applications and submissions end at the deadline, or earlier when the round was closed.
    var effectiveDeadline: Date {
        closedAt.map { min($0, deadline) } ?? deadline
    }

    init(code: String, noticeNumber: String, title: String, deadline: Date) {
        self.code = code
        self.noticeNumber = noticeNumber
        self.title = title
        self.deadline = deadline
    }
}
