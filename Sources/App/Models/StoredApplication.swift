import Fluent
import Foundation
import PolicyKit

/// 申报（一份）as stored: the application document (the `jigai check` JSON shape) plus what lists filter and sort by.
final class StoredApplication: Model, @unchecked Sendable {
    static let schema = "applications"

    @ID(key: .id) var id: UUID?
    @Parent(key: "enterprise_id") var enterprise: Enterprise
    @Field(key: "round_code") var roundCode: String
    @Field(key: "direction") var direction: String
    @OptionalField(key: "sub_direction") var subDirection: String?
    @OptionalField(key: "project_name") var projectName: String?
    @Field(key: "status") var status: ApplicationStatus
    @OptionalField(key: "verdict") var verdict: Verdict.Status?
    @Field(key: "document") var document: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @OptionalField(key: "submitted_at") var submittedAt: Date?
    /// 审核单位 id (city code or special authority), from the profile at the last save or submission.
    @OptionalField(key: "authority") var authority: String?
    /// 附件4 division id the application is routed to.
    @OptionalField(key: "division") var division: String?
    @OptionalField(key: "forwarding_id") var forwardingID: UUID?
    /// What statistics group and sum by, frozen with the document: 所属行业 and the reward applied for (万元 × 10⁴).
    @OptionalField(key: "industry") var industry: String?
    @OptionalField(key: "requested_amount") var requestedAmountUnits: Int64?
    /// Counts every write (a save, an upload, a transition): a write based on an older revision is refused or merged.
    @Field(key: "revision") var revision: Int

    init() {}

    init(enterpriseID: UUID, application: PolicyKit.Application) throws {
        self.$enterprise.id = enterpriseID
        self.roundCode = application.round
        self.direction = application.direction
        self.subDirection = application.subDirection
        self.status = .draft
        self.revision = 0
        try store(application)
    }

    func store(_ application: PolicyKit.Application) throws {
        projectName = application.projectName
        document = String(decoding: try JSONEncoder().encode(application), as: UTF8.self)
    }

    /// Stores a new version with what lists filter on: the self-check status (失信名单 included), the 审核单位 and the 处室.
    func refresh(with application: PolicyKit.Application, round: Round, engine: EligibilityEngine, blacklist: CreditBlacklist) throws {
        try store(application)
        verdict = engine.assess(application, blacklist: blacklist).status
        authority = round.reviewAuthority(for: application.enterprise)?.id
        division = engine.route(application)?.divisionId
        industry = application.enterprise.industry
        requestedAmountUnits = application.performanceTargets.requestedAmount?.units
    }

    func application(round: Round) throws -> PolicyKit.Application {
        try ApplicationReader.read(Data(document.utf8), round: round)
    }
}

extension ApplicationEvent {
    /// An application's history with the actors, oldest first.
    static func history(of applicationID: UUID, on database: any Database) async throws -> [ApplicationEvent] {
        try await query(on: database).filter(\.$application.$id == applicationID).with(\.$actor).sort(\.$createdAt).all()
    }
}

/// One transition in an application's history: who, when, from, to, and the comment.
final class ApplicationEvent: Model, @unchecked Sendable {
    static let schema = "application_events"

    @ID(key: .id) var id: UUID?
    @Parent(key: "application_id") var application: StoredApplication
    @Parent(key: "actor_id") var actor: User
    @OptionalField(key: "from_status") var fromStatus: ApplicationStatus?
    @Field(key: "to_status") var toStatus: ApplicationStatus
    @OptionalField(key: "comment") var comment: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(applicationID: UUID, actorID: UUID, from: ApplicationStatus?, to: ApplicationStatus, comment: String?) {
        self.$application.id = applicationID
        self.$actor.id = actorID
        self.fromStatus = from
        self.toStatus = to
        self.comment = comment
    }
}
