import Fluent
import Foundation
import PolicyKit

/// An application in the actor's scope with everything its rules and pages need. An id outside the scope is not found.
struct ApplicationContext: Sendable {
    let stored: StoredApplication
    let enterprise: Enterprise
    let round: Round
    let spec: DirectionSpec
    let application: PolicyKit.Application
    let verdict: Verdict
    /// The 失信名单 entries for this enterprise, as every evaluation and stored verdict of it uses them.
    let blacklist: CreditBlacklist
    let deadline: Date

    var id: UUID { stored.id ?? UUID() }

    static func load(_ id: UUID?, in environment: ServiceEnvironment) async throws -> ApplicationContext {
        let database = environment.database
        guard let id, let stored = try await environment.actor.scope.apply(to: StoredApplication.query(on: database).filter(\.$id == id)).first() else {
            throw WorkflowError.notFound("申报不存在或您无权查看")
        }
        let enterprise = try await stored.$enterprise.get(on: database)
        guard let round = environment.settings.rounds[stored.roundCode],
              let record = try await RoundRecord.query(on: database).filter(\.$code == stored.roundCode).first() else {
            throw WorkflowError.unavailable("申报所属批次“\(stored.roundCode)”的政策文件不存在")
        }
        var application = try stored.application(round: round)
        if stored.status.isEditableByEnterprise {
            // The profile page is where the 情况表 is kept; a draft always shows the current profile.
            application.enterprise = enterprise.profile
            application.contact = Contact(name: enterprise.contactName, mobile: enterprise.mobile)
        }
        guard let spec = round.directionSpec(application.direction, subDirection: application.subDirection) else {
            throw WorkflowError.unavailable("申报方向“\(application.direction)”不在批次目录中")
        }
        let blacklist = try await BlacklistEntry.blacklist(for: enterprise.creditCode, on: database)
        return ApplicationContext(stored: stored, enterprise: enterprise, round: round, spec: spec, application: application,
                                  verdict: environment.engine(for: round).evaluate(application, blacklist: blacklist), blacklist: blacklist,
                                  deadline: record.effectiveDeadline)
    }

    /// What the transition table looks at for this application now, with the comment given for the action. The history
    /// is read only when the rows for `action` (all actions when nil) have a condition on it.
    func facts(now: Date, comment: String = "", for action: WorkflowAction? = nil, on database: any Database) async throws -> WorkflowFacts {
        var facts = WorkflowFacts(now: now, deadline: deadline, timeZone: round.timeZone, verdict: verdict, comment: comment)
        let conditions = Workflow.table.filter { action == nil || $0.action == action }.flatMap(\.requirements)
        guard conditions.contains(where: { [.cityStarted, .cityNotStarted, .compliantInspection].contains($0) }) else { return facts }
        let latest = try await SiteInspection.query(on: database).filter(\.$application.$id == id).sort(\.$recordedAt, .descending).first()
        let returned = try await ApplicationEvent.query(on: database).filter(\.$application.$id == id).filter(\.$toStatus == .returned).count() > 0
        facts.inspection = latest.map { $0.compliant ? .compliant : .notCompliant } ?? .none
        facts.cityHasStarted = latest != nil || returned
        return facts
    }
}

extension Enterprise {
    var profile: EnterpriseProfile {
        EnterpriseProfile(
            creditCode: creditCode, name: name, city: city, county: county, zone: zone, inTransformationZone: inTransformationZone,
            ownership: ownership, industryCategory: industryCategory, industry: industry, independentLegalPerson: independentLegalPerson,
            implementedInShanxi: implementedInShanxi, noOtherProvincialFunds: noOtherProvincialFunds)
    }
}
