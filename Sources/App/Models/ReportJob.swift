import Fluent
import Foundation

/// One request to build an application's 申请报告: who asked, whether the child process is still at work, and how it
/// ended. The PDF lives under data/reports by the job's id; a job is seen only by the user who started it.
final class ReportJob: Model, @unchecked Sendable {
    static let schema = "report_jobs"

    enum Status: String, Codable {
        case building, done, failed
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "application_id") var application: StoredApplication
    @Parent(key: "requested_by") var requestedBy: User
    @Field(key: "status") var status: Status
    /// Why building failed, in Chinese.
    @OptionalField(key: "message") var message: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @OptionalField(key: "finished_at") var finishedAt: Date?

    init() {}

    /// The jobs one user started for one application: a user sees, reuses and replaces only their own.
    static func of(application applicationID: UUID, requestedBy userID: UUID, on database: any Database) -> QueryBuilder<ReportJob> {
        query(on: database).filter(\.$application.$id == applicationID).filter(\.$requestedBy.$id == userID)
    }

    /// Still marked as building after the child's wall-clock limit (and a margin) has passed: the server that ran it
    /// stopped before it could record the end.
    func wasInterrupted(limitSeconds: Int, now: Date = Date()) -> Bool {
        status == .building && (createdAt ?? now) < now.addingTimeInterval(-Double(limitSeconds + Self.margin))
    }

    static let margin = 30
    static let interruptedMessage = "申请报告的生成因服务重启而中断，请重新生成"

    /// Records the interruption, so that the status page stops waiting and a new report can be started.
    func markInterrupted(on database: any Database) async throws {
        status = .failed
        message = Self.interruptedMessage
        finishedAt = Date()
        try await save(on: database)
    }

    init(applicationID: UUID, requestedBy: UUID) {
        self.$application.id = applicationID
        self.$requestedBy.id = requestedBy
        self.status = .building
    }
}
