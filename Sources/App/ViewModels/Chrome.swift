import PolicyKit
import Vapor

/// What the layout shows around every page: title, the signed-in user, the menu for the role, breadcrumbs, the CSRF token.
struct Chrome: Encodable {
    struct UserBar: Encodable {
        var name: String
        var role: String
        var organisation: String
    }

    struct MenuItem: Encodable {
        var title: String
        var href: String
        var active: Bool
    }

    struct Crumb: Encodable {
        var title: String
        var href: String?
    }

    var title: String
    var csrf: String
    var user: UserBar?
    var menu: [MenuItem]
    var breadcrumbs: [Crumb]
    /// Reloads the page after this many seconds (a page waiting for work in the background; no script needed).
    var refreshSeconds: Int?
}

extension Request {
    /// The page frame for this request; `breadcrumbs` lead from 首页 to the page, the last one without a link.
    func chrome(_ title: String, breadcrumbs: [(String, String?)] = [], organisation: String? = nil) -> Chrome {
        let current = auth.get(CurrentUser.self)
        // A session still at a sign-in step has nowhere else to go.
        let menu = current.flatMap { $0.pendingStep == nil ? Self.menu(for: $0.role, profile: security.profile) : nil } ?? []
        return Chrome(
            title: title,
            csrf: csrfToken,
            user: current.map { Chrome.UserBar(name: $0.user.displayName, role: $0.role.label, organisation: organisation ?? $0.role.label) },
            menu: menu.map { Chrome.MenuItem(title: $0.0, href: $0.1, active: $0.1 == Self.activeEntry(url.path, among: menu.map(\.1))) },
            breadcrumbs: [Chrome.Crumb(title: "首页", href: SiteURL.home.path)] + breadcrumbs.map { Chrome.Crumb(title: $0.0, href: $0.1) })
    }

    /// The menu entry a page belongs to: the longest one its path starts with (资料库 under 我的申报 lights only 资料库).
    static func activeEntry(_ path: String, among entries: [String]) -> String? {
        entries.filter { path == $0 || ($0 != "/" && path.hasPrefix($0 + "/")) }.max { $0.count < $1.count }
    }

    static func menu(for role: Role, profile: SecurityProfile) -> [(String, String)] {
        var items: [(String, SiteURL)] = switch role {
        case .enterprise:
            [("申报通知", .home), ("我的申报", .enterprise), ("企业信息", .enterpriseProfile), ("资料库", .enterpriseLibrary)]
        case .cityReviewer:
            [("申报通知", .home), ("审核列表", .review), ("报送省厅", .forwarding)]
        case .divisionReviewer:
            [("申报通知", .home), ("审核列表", .review)]
        case .admin:
            [("申报通知", .home), ("审核列表", .review), ("统计", .adminStatistics), ("申报批次", .adminRound), ("用户管理", .adminUsers),
             ("失信名单", .adminBlacklists), ("链主链上奖励", .adminChainRewards), ("冲突报告", .adminConflicts)]
        case .securityAdmin, .auditAdmin:
            []
        }
        if profile.allows(role, .security) { items.append(("安全管理", .adminSecurity)) }
        if profile.allows(role, .audit) { items.append(("操作日志", .adminAudit)) }
        items += [("双因素认证", .accountSecondFactor), ("修改密码", .accountPassword)]
        return items.map { ($0.0, $0.1.path) }
    }
}
