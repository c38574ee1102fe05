import Fluent
import Foundation
import PolicyKit
import Vapor

/// The security administrator's page (安全管理, a duty of its own under 三权分立): the security settings in force,
/// accounts locked after failed sign-ins (unlock), and the staff's two-factor state (reset after a lost phone).
struct SecurityAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let security = routes.grouped(DutyGuard(duty: .security))
        security.get(SiteURL.adminSecurity, use: page)
        security.post(SiteURL.adminSecurityUnlock(nil), use: unlock)
        security.post(SiteURL.adminSecurityResetSecondFactor(nil), use: resetSecondFactor)
    }

    func page(req: Request) async throws -> View {
        let security = SecurityAdministration(environment: try req.services())
        let notice: String? = switch req.query[String.self, at: "done"] {
        case "unlocked": "已解除锁定。"
        case "reset": "已重置双因素认证；该账号的登录已全部失效，下次登录时重新启用。"
        default: nil
        }
        let page = SecurityAdminPage(chrome: req.chrome("安全管理", breadcrumbs: [("安全管理", nil)]), notice: notice, security: req.security,
                                     guomi: req.application.settings.cryptography.guomi,
                                     locked: try await security.lockedAccounts(), staff: try await security.staff(),
                                     actor: try req.auth.require(CurrentUser.self).user)
        return try await req.view.render("admin/security", page)
    }

    func unlock(req: Request) async throws -> Response {
        try await SecurityAdministration(environment: try req.services()).unlock(req.parameters.get("user", as: UUID.self))
        return req.redirect(to: .adminSecurity, done: "unlocked")
    }

    func resetSecondFactor(req: Request) async throws -> Response {
        try await SecurityAdministration(environment: try req.services()).resetSecondFactor(req.parameters.get("user", as: UUID.self))
        return req.redirect(to: .adminSecurity, done: "reset")
    }
}
