import Fluent
import Foundation

/// A round opened for applications. The catalogue lives in the policy file; the deadline here may be extended by the admin.
final class RoundRecord: Model, @unchecked Sendable {
    static let schema = "rounds"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "notice_number") var noticeNumber: String
    @Field(key: "title") var title: String
    @Field(key: "deadline") var deadline: Date
    @Timestamp(key: "opened_at", on: .create) var openedAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(code: String, noticeNumber: String, title: String, deadline: Date) {
        self.code = code
        self.noticeNumber = noticeNumber
        self.title = title
        self.deadline = deadline
    }
}
