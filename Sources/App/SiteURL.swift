import Foundation
import PolicyKit
import Vapor

/// Every page and form target of the site, typed (after the Swift Package Index server's `SiteURL`): routes are
/// registered from these, and redirects and the links made in Swift are built from them, so each path is spelled once.
/// A case whose parameters are `nil` is the route pattern (`:id`); with values it is a concrete path.
/// The templates' links are checked against the registered routes by a test.
enum SiteURL: Sendable {
    case home
    case healthz
    case login, register, logout, accountPassword
    case loginSecondFactor, accountSecondFactor, accountSecondFactorDisable
    case adminSecurity, adminSecurityUnlock(UUID?), adminSecurityResetSecondFactor(UUID?)

    case enterprise, enterpriseProfile
    case applications, newApplication
    case application(UUID?)
    case applicationSubmit(UUID?), applicationWithdraw(UUID?), applicationWithdrawalRequest(UUID?)
    case applicationVersion(UUID?, number: Int?)
    case applicationUpload(UUID?, item: String?)
    case applicationAttachment(UUID?, attachment: UUID?)
    case applicationAttachmentDelete(UUID?, attachment: UUID?)
    case applicationTableImport(UUID?, field: String?)
    case applicationCopy(UUID?)
    case enterpriseLibrary

    case review
    case reviewApplication(UUID?)
    case reviewAttachment(UUID?, attachment: UUID?)
    case reviewVersion(UUID?, number: Int?)
    case reviewInspectionPhoto(UUID?, photo: UUID?)
    case reviewReturn(UUID?), reviewInspection(UUID?), reviewApprove(UUID?), reviewDecline(UUID?)
    case reviewWithdrawalGrant(UUID?), reviewWithdrawalRefuse(UUID?), reviewDivision(UUID?)
    case forwarding
    case forwardingBatch(UUID?), forwardingSummaryXLSX(UUID?), forwardingSummaryPDF(UUID?)

    /// The 申请报告 of an application, from the enterprise's side or a reviewer's.
    case report(ReportSide, UUID?), reportJob(ReportSide, UUID?, job: UUID?), reportPDF(ReportSide, UUID?, job: UUID?)

    case adminRound, adminDeadline, adminRoundOpen, adminRoundClose, adminRoundSimulate, adminStatistics, adminConflicts, adminAudit, adminAuditExport
    case adminChainRewards, adminChainRewardsDelete(UUID?)
    case adminUsers, adminNewUser
    case adminUserResetPassword(UUID?), adminUserDisable(UUID?), adminUserEnable(UUID?)
    case adminBlacklists, adminBlacklist(UUID?), adminBlacklistDelete(UUID?), adminBlacklistEntryDelete(UUID?, entry: UUID?)

    enum ReportSide: String, Sendable, CaseIterable {
        case enterprise, review
    }

    var segments: [String] {
        func id(_ value: UUID?, _ name: String = "id") -> String { value?.uuidString ?? ":\(name)" }
        switch self {
        case .home: return []
        case .healthz: return ["healthz"]
        case .login: return ["login"]
        case .register: return ["register"]
        case .logout: return ["logout"]
        case .accountPassword: return ["account", "password"]
        case .loginSecondFactor: return ["login", "second-factor"]
        case .accountSecondFactor: return ["account", "two-factor"]
        case .accountSecondFactorDisable: return ["account", "two-factor", "disable"]
        case .adminSecurity: return ["admin", "security"]
        case .adminSecurityUnlock(let user): return ["admin", "security", id(user, "user"), "unlock"]
        case .adminSecurityResetSecondFactor(let user): return ["admin", "security", id(user, "user"), "reset-two-factor"]

        case .enterprise: return ["enterprise"]
        case .enterpriseProfile: return ["enterprise", "profile"]
        case .applications: return ["enterprise", "applications"]
        case .newApplication: return ["enterprise", "applications", "new"]
        case .application(let application): return ["enterprise", "applications", id(application)]
        case .applicationSubmit(let application): return Self.application(application).segments + ["submit"]
        case .applicationWithdraw(let application): return Self.application(application).segments + ["withdraw"]
        case .applicationWithdrawalRequest(let application): return Self.application(application).segments + ["withdrawal-request"]
        case .applicationVersion(let application, let number):
            return Self.application(application).segments + ["versions", number.map(String.init) ?? ":number"]
        case .applicationUpload(let application, let item):
            return Self.application(application).segments + ["attachments", "upload", item ?? ":item"]
        case .applicationAttachment(let application, let attachment):
            return Self.application(application).segments + ["attachments", id(attachment, "attachment")]
        case .applicationAttachmentDelete(let application, let attachment):
            return Self.applicationAttachment(application, attachment: attachment).segments + ["delete"]
        case .applicationCopy(let application): return Self.application(application).segments + ["copy"]
        case .enterpriseLibrary: return ["enterprise", "library"]
        case .applicationTableImport(let application, let field):
            return Self.application(application).segments + ["tables", field ?? ":field", "import"]

        case .review: return ["review"]
        case .reviewApplication(let application): return ["review", "applications", id(application)]
        case .reviewAttachment(let application, let attachment):
            return Self.reviewApplication(application).segments + ["attachments", id(attachment, "attachment")]
        case .reviewVersion(let application, let number):
            return Self.reviewApplication(application).segments + ["versions", number.map(String.init) ?? ":number"]
        case .reviewInspectionPhoto(let application, let photo):
            return Self.reviewApplication(application).segments + ["inspection-photos", id(photo, "photo")]
        case .reviewReturn(let application): return Self.reviewApplication(application).segments + ["return"]
        case .reviewInspection(let application): return Self.reviewApplication(application).segments + ["inspection"]
        case .reviewApprove(let application): return Self.reviewApplication(application).segments + ["approve"]
        case .reviewDecline(let application): return Self.reviewApplication(application).segments + ["decline"]
        case .reviewWithdrawalGrant(let application): return Self.reviewApplication(application).segments + ["withdrawal", "grant"]
        case .reviewWithdrawalRefuse(let application): return Self.reviewApplication(application).segments + ["withdrawal", "refuse"]
        case .reviewDivision(let application): return Self.reviewApplication(application).segments + ["division"]
        case .forwarding: return ["review", "forwarding"]
        case .forwardingBatch(let batch): return ["review", "forwardings", id(batch, "forwarding")]
        case .forwardingSummaryXLSX(let batch): return Self.forwardingBatch(batch).segments + ["summary.xlsx"]
        case .forwardingSummaryPDF(let batch): return Self.forwardingBatch(batch).segments + ["summary.pdf"]

        case .report(let side, let application): return [side.rawValue, "applications", id(application), "report"]
        case .reportJob(let side, let application, let job): return Self.report(side, application).segments + [id(job, "job")]
        case .reportPDF(let side, let application, let job): return Self.reportJob(side, application, job: job).segments + ["pdf"]

        case .adminRound: return ["admin", "round"]
        case .adminDeadline: return ["admin", "round", "deadline"]
        case .adminRoundOpen: return ["admin", "round", "open"]
        case .adminRoundClose: return ["admin", "round", "close"]
        case .adminRoundSimulate: return ["admin", "round", "simulate"]
        case .adminStatistics: return ["admin", "statistics"]
        case .adminConflicts: return ["admin", "conflicts"]
        case .adminChainRewards: return ["admin", "chain-rewards"]
        case .adminChainRewardsDelete(let list): return ["admin", "chain-rewards", id(list, "import"), "delete"]
        case .adminAudit: return ["admin", "audit"]
        case .adminAuditExport: return ["admin", "audit", "export"]
        case .adminUsers: return ["admin", "users"]
        case .adminNewUser: return ["admin", "users", "new"]
        case .adminUserResetPassword(let user): return ["admin", "users", id(user, "user"), "reset-password"]
        case .adminUserDisable(let user): return ["admin", "users", id(user, "user"), "disable"]
        case .adminUserEnable(let user): return ["admin", "users", id(user, "user"), "enable"]
        case .adminBlacklists: return ["admin", "blacklists"]
        case .adminBlacklist(let list): return ["admin", "blacklists", id(list, "import")]
        case .adminBlacklistDelete(let list): return Self.adminBlacklist(list).segments + ["delete"]
        case .adminBlacklistEntryDelete(let list, let entry): return Self.adminBlacklist(list).segments + ["entries", id(entry, "entry"), "delete"]
        }
    }

    /// The page of a sign-in step.
    static func signInStep(_ step: SignInStep) -> SiteURL {
        switch step {
        case .secondFactor: .loginSecondFactor
        case .enrolSecondFactor: .accountSecondFactor
        case .changePassword: .accountPassword
        }
    }

    /// The path, e.g. `/enterprise/applications/…/submit`.
    var path: String { "/" + segments.joined(separator: "/") }

    /// The path with `?done=…` and/or `#fragment`, as redirects after an action carry them.
    func path(done: String? = nil, fragment: String? = nil) -> String {
        path + (done.map { "?done=\($0)" } ?? "") + (fragment.map { "#\($0)" } ?? "")
    }

    /// The route pattern for registration (`:id` and friends become parameters).
    var pathComponents: [PathComponent] { segments.map { PathComponent(stringLiteral: $0) } }
}

extension RoutesBuilder {
    @discardableResult
    func get<Response: AsyncResponseEncodable>(_ url: SiteURL, use closure: @Sendable @escaping (Request) async throws -> Response) -> Route {
        get(url.pathComponents, use: closure)
    }

    @discardableResult
    func post<Response: AsyncResponseEncodable>(_ url: SiteURL, body: HTTPBodyStreamStrategy = .collect,
                                                use closure: @Sendable @escaping (Request) async throws -> Response) -> Route {
        on(.POST, url.pathComponents, body: body, use: closure)
    }
}
