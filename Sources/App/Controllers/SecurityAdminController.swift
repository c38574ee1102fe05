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

    struct Setting: Encodable {
        var name: String
        var value: String
    }

    struct AccountRow: Encodable {
        var id: String
        var name: String
        var login: String
        var role: String
        var detail: String
    }

    struct Page: Encodable {
        var chrome: Chrome
        var notice: String?
        var settings: [Setting]
        var locked: [AccountRow]
        var staff: [AccountRow]
    }

    func page(req: Request) async throws -> View {
        let now = Date()
        let security = req.security
        let profile = security.profile
        let settings = [
            Setting(name: "安全配置", value: profile == .level3 ? "等保三级（level3）" : "标准（standard）"),
            Setting(name: "三权分立", value: profile.separatesDuties ? "是：系统管理员、安全管理员、审计管理员各司其职" : "否：省厅管理员兼管安全和审计"),
            Setting(name: "工作人员双因素认证", value: profile.requiresSecondFactorForStaff ? "必须启用" : "自愿启用"),
            Setting(name: "密码有效期", value: profile.passwordMaximumAge.map { "\(Int($0 / 86_400)) 天" } ?? "不限"),
            Setting(name: "不得重复最近几次密码", value: profile.passwordHistory > 0 ? "\(profile.passwordHistory) 次" : "不限"),
            Setting(name: "会话闲置超时", value: "\(Int(security.sessionIdleTimeout / 60)) 分钟"),
            Setting(name: "会话最长有效期", value: "\(Int(security.sessionMaximumAge / 3600)) 小时"),
            Setting(name: "登录失败锁定", value: "同一账号 \(LoginThrottlePolicy.perAccount.allowedFailures) 次、同一地址 \(LoginThrottlePolicy.perAddress.allowedFailures) 次后锁定，逐次加倍，最长 \(Int(LoginThrottlePolicy.perAccount.maximumLock / 60)) 分钟"),
            Setting(name: "Cookie", value: security.secureCookies.map { $0 ? "始终加 Secure" : "不加 Secure" } ?? "经域名访问时加 Secure 和 __Host- 前缀并发送 HSTS；经本机回环地址访问时不加"),
            Setting(name: "摘要算法", value: req.application.settings.cryptography.guomi ? "国密：操作日志哈希链用 SM3；附件摘要为 SHA-256" : "操作日志哈希链和附件摘要用 SHA-256"),
        ]
        let lockedIDs = try await LoginThrottle.query(on: req.db).filter(\.$id >= "account:").filter(\.$id < "account;").all()
            .filter { ($0.lockedUntil ?? .distantPast) > now }
            .compactMap { row -> (UUID, Date)? in
                guard let id = row.id.flatMap({ UUID(uuidString: String($0.dropFirst("account:".count))) }), let until = row.lockedUntil else { return nil }
                return (id, until)
            }
        let lockedUsers = try await User.query(on: req.db).filter(\.$id ~~ lockedIDs.map(\.0)).all()
        let until = Dictionary(uniqueKeysWithValues: lockedIDs)
        let locked = lockedUsers.map { user in
            AccountRow(id: user.id?.uuidString ?? "", name: user.displayName, login: user.login ?? user.mobile ?? "", role: user.role.label,
                       detail: "锁定至 " + DateText.minute(until[user.id!] ?? now, timeZone: "Asia/Shanghai"))
        }
        let staff = try await User.query(on: req.db).filter(\.$role != .enterprise).sort(\.$role).sort(\.$displayName).all().map { user in
            AccountRow(id: user.id?.uuidString ?? "", name: user.displayName, login: user.login ?? user.mobile ?? "", role: user.role.label,
                       detail: user.hasSecondFactor ? "已启用（" + DateText.minute(user.secondFactorEnabledAt!, timeZone: "Asia/Shanghai") + "）"
                           : (profile.requiresSecondFactorForStaff ? "未启用：下次登录时须启用" : "未启用"))
        }
        let notice: String? = switch req.query[String.self, at: "done"] {
        case "unlocked": "已解除锁定。"
        case "reset": "已重置双因素认证；该账号的登录已全部失效，下次登录时重新启用。"
        default: nil
        }
        return try await req.view.render("admin/security", Page(chrome: req.chrome("安全管理", breadcrumbs: [("安全管理", nil)]),
                                                               notice: notice, settings: settings, locked: locked, staff: staff))
    }

    func unlock(req: Request) async throws -> Response {
        let user = try await account(req)
        try await req.db.transaction { database in
            try await LoginThrottle.query(on: database).filter(\.$id == LoginGuard.accountKey(try user.requireID())).delete()
            try await AuditLog(database: database, cryptography: req.application.settings.cryptography).record(.accountUnlocked, actor: req.auth.get(CurrentUser.self)?.user, objectType: "账号",
                                                          objectID: user.id?.uuidString, after: user.displayName, address: req.clientAddress)
        }
        return req.redirect(to: .adminSecurity, done: "unlocked")
    }

    func resetSecondFactor(req: Request) async throws -> Response {
        let user = try await account(req)
        let actor = try req.auth.require(CurrentUser.self).user
        guard user.id != actor.id else { throw Abort(.forbidden, reason: "不能重置自己的双因素认证，请由另一位安全管理员办理") }
        try await req.secondFactors.remove(from: user, by: actor)
        return req.redirect(to: .adminSecurity, done: "reset")
    }

    private func account(_ req: Request) async throws -> User {
        guard let id = req.parameters.get("user", as: UUID.self), let user = try await User.find(id, on: req.db) else {
            throw Abort(.notFound, reason: "账号不存在")
        }
        return user
    }
}
