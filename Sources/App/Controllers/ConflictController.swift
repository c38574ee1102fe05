import Fluent
import Foundation
import PolicyKit
import Vapor

/// 冲突报告: the notice's cross-application rules (exclusions, once-only rewards, duplicates) over every application
/// that is still in the running, each finding naming the applications involved and why.
struct ConflictController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(DutyGuard(duty: .system)).get(SiteURL.adminConflicts, use: report)
    }

    /// Drafts are not applications yet and withdrawn ones are out of the running.
    static let excluded: Set<ApplicationStatus> = [.draft, .withdrawn]

    func report(req: Request) async throws -> View {
        let rounds = req.application.settings.rounds
        let stored = try await StoredApplication.query(on: req.db)
            .filter(\.$status !~ Array(Self.excluded)).with(\.$enterprise).all()
        var records: [ApplicationRecord] = []
        var involved: [String: Page.Involved] = [:]
        for application in stored {
            guard let round = rounds[application.roundCode], let id = application.id?.uuidString else { continue }
            records.append(ApplicationRecord(id: id, baseYear: round.baseYear, application: try application.application(round: round), round: round))
            let spec = round.directionSpec(application.direction, subDirection: application.subDirection)
            involved[id] = Page.Involved(id: id, enterprise: application.enterprise.name, direction: spec?.fullName ?? application.direction,
                                         projectName: application.projectName ?? "", round: round.noticeNumber, status: application.status.rawValue, statusLabel: application.status.label)
        }
        let findings = CrossApplicationRules.findings(records, chainRewards: try await ChainRewardEntry.rewards(on: req.db)).map { finding in
            Page.Finding(clause: finding.clause, message: finding.message, applications: finding.applicationIds.compactMap { involved[$0] })
        }
        var seen = Set<String>()
        let checkedRounds = Set(records.map(\.round.id))
        let rules = rounds.rounds.values.filter { checkedRounds.isEmpty || checkedRounds.contains($0.id) }.sorted { $0.baseYear > $1.baseYear }
            .flatMap(\.crossRules).filter { seen.insert($0.clause + $0.text).inserted }.map { Page.Rule(clause: $0.clause, text: $0.text) }
        let page = Page(chrome: req.chrome("冲突报告", breadcrumbs: [("冲突报告", nil)], organisation: req.organisationName),
                        checked: records.count, rules: rules, findings: findings)
        return try await req.view.render("admin/conflicts", page)
    }
}
