import Cryptography
import Fluent
import Foundation
import PolicyKit
import Testing
import Vapor
import VaporTesting
@testable import App

extension Browser {
    /// Enrols the signed-in account in two-factor sign-in through its page, as a person with an authenticator app
    /// would: reads the key under the QR code, types the current code. Returns the secret and the recovery codes.
    mutating func enrolSecondFactor(_ app: Vapor.Application, at date: Date = Date()) async throws -> (secret: Data, recoveryCodes: [String]) {
        let page = try await get(app, "/account/two-factor").body.string
        let key = try #require(page.range(of: #"<code class="secret">[A-Z2-7 ]+</code>"#, options: .regularExpression).map { String(page[$0]) })
        let secret = try #require(Base32.decode(String(key.dropFirst(#"<code class="secret">"#.count).dropLast("</code>".count))))
        let response = try await post(app, "/account/two-factor", ["code": TOTP.code(secret: secret, at: date)])
        #expect(response.status == .ok)
        let body = response.body.string
        let codes = body.ranges(of: #"<li><code>[0-9A-Z]{4}-[0-9A-Z]{4}</code></li>"#).map { String(body[$0].dropFirst(10).dropLast(12)) }
        #expect(codes.count == 10)
        return (secret, codes)
    }
}

extension String {
    func ranges(of pattern: String) -> [Range<String.Index>] {
        var found: [Range<String.Index>] = []
        var start = startIndex
        while let range = range(of: pattern, options: .regularExpression, range: start..<endIndex) {
            found.append(range)
            start = range.upperBound
        }
        return found
    }
}

@Suite("等保三级：三权分立、工作人员双因素认证、密码策略", .serialized)
struct SecurityProfileTests {
    @Test("三权分立：系统管理员不能看操作日志和安全管理；安全管理员、审计管理员只办自己的事；标准配置下管理员兼管")
    func separationOfDuties() async throws {
        try await withTestApp { app in
            var admin = try await app.staff(.admin, organisation: nil, login: "xitong")
            var security = try await app.staff(.securityAdmin, organisation: nil, login: "anquan")
            var auditor = try await app.staff(.auditAdmin, organisation: nil, login: "shenji")
            #expect(try await admin.get(app, "/admin/audit").status == .ok)
            #expect(try await admin.get(app, "/admin/security").status == .ok)

            app.settings.security.profile = .level3
            _ = try await admin.enrolSecondFactor(app)
            _ = try await security.enrolSecondFactor(app)
            _ = try await auditor.enrolSecondFactor(app)
            let expectations: [(String, Browser, [String: HTTPResponseStatus])] = [
                ("系统管理员", admin, ["/admin/users": .ok, "/admin/round": .ok, "/review": .ok, "/admin/audit": .forbidden, "/admin/audit/export": .forbidden, "/admin/security": .forbidden]),
                ("安全管理员", security, ["/admin/security": .ok, "/admin/users": .forbidden, "/admin/audit": .forbidden, "/review": .forbidden, "/admin/statistics": .forbidden]),
                ("审计管理员", auditor, ["/admin/audit": .ok, "/admin/audit/export": .ok, "/admin/security": .forbidden, "/admin/users": .forbidden, "/review": .forbidden]),
            ]
            for (label, caller, paths) in expectations {
                for (path, expected) in paths {
                    var browser = caller
                    let response = try await browser.get(app, path)
                    #expect(response.status == expected, "\(label) \(path) → \(response.status.code)")
                    if expected == .forbidden, path.hasPrefix("/admin") { #expect(response.body.string.contains("三权分立"), "\(label) \(path)") }
                }
            }
            let menu = try await admin.get(app, "/admin/users").body.string
            #expect(!menu.contains("href=\"/admin/audit\""))
            #expect(try await auditor.get(app, "/admin/audit").body.string.contains("href=\"/admin/audit\""))
        }
    }

    @Test("工作人员必须启用双因素认证：登录后只能去启用页；启用后显示一次恢复码，继续即可使用")
    func enrolmentRequired() async throws {
        try await withTestApp { app in
            app.settings.security.profile = .level3
            var city = try await app.staff(.cityReviewer, organisation: "140100", login: "taiyuan")
            let blocked = try await city.get(app, "/review")
            #expect(blocked.status == .seeOther)
            #expect(blocked.headers.first(name: .location) == "/account/two-factor")
            let page = try await city.get(app, "/account/two-factor")
            #expect(page.body.string.contains("<svg"))
            #expect(page.body.string.contains("须启用双因素认证"))
            var api = APIClient(browser: city)
            #expect(try await api.send(app, .GET, "/api/review/applications").status == .forbidden)
            let (_, codes) = try await city.enrolSecondFactor(app)
            #expect(Set(codes).count == 10)
            #expect(try await city.get(app, "/review").status == .ok)
            let user = try #require(try await User.query(on: app.db).filter(\.$login == "taiyuan").first())
            #expect(user.hasSecondFactor)
            #expect(!(user.recoveryCodes ?? "").contains(codes[0]))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == AuditLog.Action.secondFactorEnabled.rawValue).count() == 1)
        }
    }

    @Test("动态口令：密码正确后须输入口令；错误口令 401；同一口令不能再用；恢复码只能用一次；API 须带 code")
    func secondFactorSignIn() async throws {
        try await withTestApp { app in
            app.settings.security.profile = .level3
            var first = try await app.staff(.divisionReviewer, organisation: "raw-materials", login: "yuancailiao")
            let (secret, codes) = try await first.enrolSecondFactor(app)

            var phone = Browser()
            let password = try await phone.post(app, "/login", ["login": "yuancailiao", "password": DemoCommand.password, "next": "/review?status=forwarded"])
            #expect(password.headers.first(name: .location) == "/login/second-factor?next=%2Freview%3Fstatus%3Dforwarded")
            #expect(try await phone.get(app, "/review").headers.first(name: .location) == "/login/second-factor")
            let wrong = try await phone.post(app, "/login/second-factor", ["code": "000000"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.body.string.contains("动态口令不正确"))
            // The code of the enrolment's step was used then and cannot be used again.
            let replayed = try await phone.post(app, "/login/second-factor", ["code": TOTP.code(secret: secret, at: Date())])
            #expect(replayed.status == .unauthorized)
            let recovered = try await phone.post(app, "/login/second-factor", ["code": codes[0].lowercased(), "next": "/review?status=forwarded"])
            #expect(recovered.status == .seeOther)
            #expect(recovered.headers.first(name: .location) == "/account/two-factor?recovery=9")
            #expect(try await phone.get(app, "/review").status == .ok)

            var laptop = Browser()
            _ = try await laptop.post(app, "/login", ["login": "yuancailiao", "password": DemoCommand.password])
            #expect(try await laptop.post(app, "/login/second-factor", ["code": codes[0]]).status == .unauthorized)
            let next = try await laptop.post(app, "/login/second-factor", ["code": TOTP.code(secret: secret, at: Date().addingTimeInterval(30))])
            #expect(next.status == .seeOther)
            #expect(next.headers.first(name: .location) == "/review")

            var api = APIClient()
            let token = try await api.send(app, .GET, "/api/csrf", csrfHeader: false)
            api.csrf = try token.content.decode(APIController.CSRFToken.self).csrfToken
            let missing = try await api.send(app, .POST, "/api/session", json: try JSONEncoder().encode(APIController.SignIn(login: "yuancailiao", password: DemoCommand.password)))
            #expect(missing.status == .unauthorized)
            #expect(missing.body.string.contains("动态口令"))
            let withCode = try await api.send(app, .POST, "/api/session", json: try JSONEncoder().encode(
                APIController.SignIn(login: "yuancailiao", password: DemoCommand.password, code: codes[1])))
            #expect(withCode.status == .ok)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == AuditLog.Action.recoveryCodeUsed.rawValue).count() == 2)
        }
    }

    @Test("管理员发放的一次性密码首次登录须修改；等保三级下新密码不能与最近 5 次相同，90 天后须更换")
    func passwordPolicy() async throws {
        try await withTestApp { app in
            var admin = try await app.staff(.admin, organisation: nil, login: "xitong")
            let created = try await admin.post(app, "/admin/users", ["role": "cityReviewer", "organisation": "140100", "login": "ty.li", "displayName": "李审核"])
            #expect(created.status == .ok)
            let body = created.body.string
            let issued = try #require(body.range(of: #"<code class="password">[^<]+</code>"#, options: .regularExpression).map { String(body[$0]) })
            let oneTime = String(issued.dropFirst(#"<code class="password">"#.count).dropLast("</code>".count))
            var reviewer = Browser()
            let signedIn = try await reviewer.post(app, "/login", ["login": "ty.li", "password": oneTime])
            #expect(signedIn.headers.first(name: .location) == "/account/password")
            #expect(try await reviewer.get(app, "/review").headers.first(name: .location) == "/account/password")
            #expect(try await reviewer.get(app, "/account/password").body.string.contains("一次性密码须在首次登录时更改"))
            let changed = try await reviewer.post(app, "/account/password", ["current": oneTime, "password": "Luya-Peak-Wind-27", "passwordConfirmation": "Luya-Peak-Wind-27"])
            #expect(changed.status == .seeOther)
            #expect(try await reviewer.get(app, "/review").status == .ok)

            app.settings.security.profile = .level3
            app.settings.security.profile.requiresSecondFactorForStaff = false
            var current = "Luya-Peak-Wind-27"
            for next in ["Wutai-Cloud-Gate-31", "Hukou-Falls-Roar-42"] {
                #expect(try await reviewer.post(app, "/account/password", ["current": current, "password": next, "passwordConfirmation": next]).status == .seeOther)
                current = next
            }
            let repeated = try await reviewer.post(app, "/account/password", ["current": current, "password": "Luya-Peak-Wind-27", "passwordConfirmation": "Luya-Peak-Wind-27"])
            #expect(repeated.status == .unprocessableEntity)
            #expect(repeated.body.string.contains("不能与最近 5 次用过的密码相同"))

            let user = try #require(try await User.query(on: app.db).filter(\.$login == "ty.li").first())
            user.passwordChangedAt = Date().addingTimeInterval(-91 * 86_400)
            try await user.save(on: app.db)
            var later = Browser()
            let expired = try await later.post(app, "/login", ["login": "ty.li", "password": current])
            #expect(expired.headers.first(name: .location) == "/account/password")
        }
    }

    @Test("安全管理员解除登录锁定、重置双因素认证（该账号登录全部失效），均写入日志；不能重置自己的")
    func securityAdministrator() async throws {
        try await withTestApp { app in
            var security = try await app.staff(.securityAdmin, organisation: nil, login: "anquan")
            var city = try await app.staff(.cityReviewer, organisation: "140100", login: "taiyuan")
            _ = try await city.enrolSecondFactor(app)
            var attacker = Browser()
            for _ in 0..<LoginThrottlePolicy.perAccount.allowedFailures {
                _ = try await attacker.post(app, "/login", ["login": "taiyuan", "password": "wrong-password"])
            }
            let page = try await security.get(app, "/admin/security").body.string
            let user = try #require(try await User.query(on: app.db).filter(\.$login == "taiyuan").first())
            let id = try user.requireID().uuidString
            #expect(page.contains("/admin/security/\(id)/unlock"))
            #expect(page.contains("标准（standard）"))
            #expect(try await security.post(app, "/admin/security/\(id)/unlock", [:]).status == .seeOther)
            #expect(try await LoginThrottle.find(LoginGuard.accountKey(user.requireID()), on: app.db) == nil)
            #expect(try await security.post(app, "/admin/security/\(id)/reset-two-factor", [:]).status == .seeOther)
            #expect(try await city.get(app, "/review").status == .seeOther)
            let reset = try #require(try await User.find(user.requireID(), on: app.db))
            #expect(!reset.hasSecondFactor)
            for action in [AuditLog.Action.accountUnlocked, .secondFactorReset] {
                #expect(try await AuditEvent.query(on: app.db).filter(\.$action == action.rawValue).count() == 1)
            }
            let me = try #require(try await User.query(on: app.db).filter(\.$login == "anquan").first())
            #expect(try await security.post(app, "/admin/security/\(try me.requireID().uuidString)/reset-two-factor", [:]).status == .forbidden)
        }
    }
}
