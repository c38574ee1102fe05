import Foundation
import PolicyKit

/// The security administrator's page: the settings in force, locked accounts, the staff's two-factor state.
struct SecurityAdminPage: Encodable {
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
        /// Whether 重置 is offered: a second factor to reset, on another administrator's account than one's own.
        var resettable = false

        init(_ user: User, detail: String) {
            id = user.id?.uuidString ?? ""
            name = user.displayName
            login = user.login ?? user.mobile ?? ""
            role = user.role.label
            self.detail = detail
        }
    }

    var chrome: Chrome
    var notice: String?
    var settings: [Setting]
    var locked: [AccountRow]
    var staff: [AccountRow]

    static let timeZone = "Asia/Shanghai"

    init(chrome: Chrome, notice: String?, security: SecurityConfiguration, guomi: Bool,
         locked: [SecurityAdministration.LockedAccount], staff: [User], actor: User) {
        let profile = security.profile
        let lock = LoginThrottlePolicy.perAccount
        self.chrome = chrome
        self.notice = notice
        settings = [
            Setting(name: "安全配置", value: profile == .level3 ? "等保三级（level3）" : "标准（standard）"),
            Setting(name: "三权分立", value: profile.separatesDuties ? "是：系统管理员、安全管理员、审计管理员各司其职" : "否：省厅管理员兼管安全和审计"),
            Setting(name: "工作人员双因素认证", value: profile.requiresSecondFactorForStaff ? "必须启用" : "自愿启用"),
            Setting(name: "密码有效期", value: profile.passwordMaximumAge.map { "\(Int($0 / 86_400)) 天" } ?? "不限"),
            Setting(name: "不得重复最近几次密码", value: profile.passwordHistory > 0 ? "\(profile.passwordHistory) 次" : "不限"),
            Setting(name: "会话闲置超时", value: "\(Int(security.sessionIdleTimeout / 60)) 分钟"),
            Setting(name: "会话最长有效期", value: "\(Int(security.sessionMaximumAge / 3600)) 小时"),
            Setting(name: "登录失败锁定", value: "同一账号 \(lock.allowedFailures) 次、同一地址 \(LoginThrottlePolicy.perAddress.allowedFailures) 次后锁定，逐次加倍，最长 \(Int(lock.maximumLock / 60)) 分钟"),
            Setting(name: "Cookie", value: security.secureCookies.map { $0 ? "始终加 Secure" : "不加 Secure" } ?? "经域名访问时加 Secure 和 __Host- 前缀并发送 HSTS；经本机回环地址访问时不加"),
            Setting(name: "摘要算法", value: guomi ? "国密：操作日志哈希链用 SM3；附件摘要为 SHA-256" : "操作日志哈希链和附件摘要用 SHA-256"),
        ]
        self.locked = locked.map { AccountRow($0.user, detail: "锁定至 " + DateText.minute($0.lockedUntil, timeZone: Self.timeZone)) }
        self.staff = staff.map { user in
            let detail = if let enabled = user.secondFactorEnabledAt, user.hasSecondFactor {
                "已启用（" + DateText.minute(enabled, timeZone: Self.timeZone) + "）"
            } else {
                profile.requiresSecondFactorForStaff ? "未启用：下次登录时须启用" : "未启用"
            }
            var row = AccountRow(user, detail: detail)
            row.resettable = user.hasSecondFactor && user.id != actor.id
            return row
        }
    }
}
