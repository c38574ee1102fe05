import Fluent
import Foundation
import PolicyKit
import SQLKit
import Vapor

/// Which applications a signed-in user may see, decided once here and applied to every query that lists, finds,
/// downloads or exports them. Anything not granted is invisible, so a wrong id is a 404, never a 403 that confirms it.
enum AccessScope: Equatable {
    /// An enterprise: its own applications, drafts included.
    case enterprise(UUID)
    /// A city bureau or the 综改示范区: submitted applications located in it (属地原则).
    case authority(String)
    /// A provincial division: forwarded applications routed to it (附件4).
    case division(String)
    /// The provincial admin: every application that has been submitted.
    case province
    /// Nothing (a staff account without an organisation).
    case none

    static func of(_ user: User) -> AccessScope {
        switch user.role {
        case .enterprise: user.$enterprise.id.map(AccessScope.enterprise) ?? .none
        case .cityReviewer: user.organisation.map(AccessScope.authority) ?? .none
        case .divisionReviewer: user.organisation.map(AccessScope.division) ?? .none
        case .admin: .province
        // 三权分立: the security and audit administrators see accounts and the log, never an application.
        case .securityAdmin, .auditAdmin: .none
        }
    }

    /// Statuses a reviewer at this level sees; drafts belong to the enterprise alone.
    var visibleStatuses: [ApplicationStatus]? {
        switch self {
        case .enterprise: nil
        case .authority, .province: ApplicationStatus.allCases.filter { $0 != .draft }
        case .division: [.forwarded, .divisionReviewing, .proposedReward, .notRewarded]
        case .none: []
        }
    }

    func apply(to query: QueryBuilder<StoredApplication>) -> QueryBuilder<StoredApplication> {
        switch self {
        case .enterprise(let id): query.filter(\.$enterprise.$id == id)
        case .authority(let id): query.filter(\.$authority == id).filter(\.$status ~~ (visibleStatuses ?? []))
        case .division(let id): query.filter(\.$division == id).filter(\.$status ~~ (visibleStatuses ?? []))
        case .province: query.filter(\.$status ~~ (visibleStatuses ?? []))
        case .none: query.filter(\.$id == UUID())
        }
    }

    /// The same rule for SQL list queries over `applications` (aliased `a`).
    func apply(to select: SQLSelectBuilder) -> SQLSelectBuilder {
        let statuses = (visibleStatuses ?? []).map(\.rawValue)
        switch self {
        case .enterprise(let id): return select.where(SQLColumn("enterprise_id", table: "a"), .equal, SQLBind(id))
        case .authority(let id):
            return select.where(SQLColumn("authority", table: "a"), .equal, SQLBind(id)).where(SQLColumn("status", table: "a"), .in, SQLBind.group(statuses))
        case .division(let id):
            return select.where(SQLColumn("division", table: "a"), .equal, SQLBind(id)).where(SQLColumn("status", table: "a"), .in, SQLBind.group(statuses))
        case .province: return select.where(SQLColumn("status", table: "a"), .in, SQLBind.group(statuses))
        case .none: return select.where(SQLLiteral.boolean(false), .equal, SQLLiteral.boolean(true))
        }
    }
}
