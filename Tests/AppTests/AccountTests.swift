import Fluent
import Foundation
import PolicyKit
import Testing
import Vapor
import VaporTesting
@testable import App

@Suite("账号：注册、登录、退出、修改密码", .serialized)
struct AccountTests {
    @Test("注册后即登录，进入企业信息页")
    func registerSignsIn() async throws {
        try await withTestApp { app in
            var browser = Browser()
            let response = try await browser.post(app, "/register", Sample.registration())
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/enterprise/profile?welcome=1")
            #expect(browser.cookies[SecurityConfiguration.sessionCookieName] != nil)
            let profile = try await browser.get(app, "/enterprise/profile?welcome=1")
            #expect(profile.status == .ok)
            #expect(profile.body.string.contains("注册成功"))
            #expect(profile.body.string.contains(Sample.creditCode))
            #expect(try await Enterprise.query(on: app.db).count() == 1)
            let user = try #require(try await User.query(on: app.db).first())
            #expect(user.role == .enterprise)
            #expect(user.passwordHash != Sample.password)
        }
    }

    @Test("注册信息有误：逐项中文提示，保留已填写内容（密码除外）")
    func registerErrorsKeepInput() async throws {
        try await withTestApp { app in
            var browser = Browser()
            var fields = Sample.registration()
            fields["creditCode"] = String(Sample.creditCode.dropLast()) + (Sample.creditCode.last == "0" ? "1" : "0")
            fields["mobile"] = "1234"
            fields["password"] = "short"
            fields["passwordConfirmation"] = "shorter"
            let response = try await browser.post(app, "/register", fields)
            #expect(response.status == .unprocessableEntity)
            let html = response.body.string
            #expect(html.contains("统一社会信用代码校验位错误"))
            #expect(html.contains("手机号码应为 11 位数字"))
            #expect(html.contains("密码至少 10 个字符"))
            #expect(html.contains("两次输入的密码不一致"))
            #expect(html.contains("value=\"山西示例实业有限公司\""))
            #expect(html.contains("value=\"王明\""))
            #expect(!html.contains("short"))
            #expect(try await Enterprise.query(on: app.db).count() == 0)
        }
    }

    @Test("每个统一社会信用代码只能注册一个账号；密码不能含信用代码")
    func oneAccountPerCreditCode() async throws {
        try await withTestApp { app in
            var first = Browser()
            #expect(try await first.post(app, "/register", Sample.registration()).status == .seeOther)
            var second = Browser()
            let again = try await second.post(app, "/register", Sample.registration(mobile: "13934560000"))
            #expect(again.status == .unprocessableEntity)
            #expect(again.body.string.contains("该统一社会信用代码已注册"))
            var third = Browser()
            var fields = Sample.registration(creditCode: Sample.otherCreditCode, mobile: "13934560001")
            fields["password"] = "x" + Sample.otherCreditCode
            fields["passwordConfirmation"] = fields["password"]
            let weak = try await third.post(app, "/register", fields)
            #expect(weak.body.string.contains("密码不能是或包含统一社会信用代码"))
        }
    }

    @Test("用信用代码或手机号登录；会话 id 在登录时更换，旧会话失效")
    func signInRotatesSession() async throws {
        try await withTestApp { app in
            var browser = Browser()
            try await browser.post(app, "/register", Sample.registration())
            let firstSession = try #require(browser.cookies[SecurityConfiguration.sessionCookieName])
            for login in [Sample.creditCode.lowercased(), "139 3456 1234"] {
                let response = try await browser.post(app, "/login", ["login": login, "password": Sample.password])
                #expect(response.status == .seeOther, "\(login)")
                #expect(response.headers.first(name: .location) == "/enterprise")
            }
            let currentSession = try #require(browser.cookies[SecurityConfiguration.sessionCookieName])
            #expect(currentSession != firstSession)
            var stale = Browser(cookies: [SecurityConfiguration.sessionCookieName: firstSession])
            let refused = try await stale.get(app, "/enterprise")
            #expect(refused.status == .seeOther)
            #expect(refused.headers.first(name: .location)?.hasPrefix("/login") == true)
            #expect(try await UserSession.query(on: app.db).count() == 1)
        }
    }

    @Test("会话 cookie：HttpOnly、SameSite，不含可重放的令牌摘要")
    func cookieAttributes() async throws {
        try await withTestApp { app in
            var browser = Browser()
            let loginPage = try await browser.get(app, "/login")
            let csrf = try #require(loginPage.headers[.setCookie].first { $0.hasPrefix(SecurityConfiguration.csrfCookieName + "=") })
            #expect(csrf.contains("SameSite=Strict") && csrf.contains("HttpOnly"))
            let response = try await browser.post(app, "/register", Sample.registration())
            let cookie = try #require(response.headers[.setCookie].first { $0.hasPrefix(SecurityConfiguration.sessionCookieName + "=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Lax"))
            #expect(cookie.contains("Path=/"))
            let token = try #require(browser.cookies[SecurityConfiguration.sessionCookieName])
            let stored = try #require(try await UserSession.query(on: app.db).first())
            #expect(stored.id != token)
            #expect(stored.id == SecureToken.digest(token))
        }
    }

    @Test("错误的密码：不透露账号是否存在；连续失败后临时锁定")
    func throttling() async throws {
        try await withTestApp { app in
            var browser = Browser()
            try await browser.post(app, "/register", Sample.registration())
            var attacker = Browser()
            let unknown = try await attacker.post(app, "/login", ["login": Sample.otherCreditCode, "password": "wrong-password"])
            #expect(unknown.status == .unauthorized)
            #expect(unknown.body.string.contains("账号或密码错误"))
            #expect(unknown.body.string.contains("value=\"\(Sample.otherCreditCode)\""))
            for _ in 0..<LoginThrottlePolicy.perAccount.allowedFailures {
                let wrong = try await attacker.post(app, "/login", ["login": Sample.creditCode, "password": "wrong-password"])
                #expect(wrong.status == .unauthorized || wrong.status == .tooManyRequests)
            }
            let locked = try await attacker.post(app, "/login", ["login": Sample.creditCode, "password": Sample.password])
            #expect(locked.status == .tooManyRequests)
            #expect(locked.body.string.contains("登录失败次数过多"))
            let user = try #require(try await User.query(on: app.db).first())
            let row = try #require(try await LoginThrottle.find(LoginGuard.accountKey(try user.requireID()), on: app.db))
            #expect(row.lockedUntil.map { $0 > Date() } == true)
        }
    }

    @Test("退出：会话删除，cookie 失效")
    func logout() async throws {
        try await withTestApp { app in
            var browser = Browser()
            try await browser.post(app, "/register", Sample.registration())
            let response = try await browser.post(app, "/logout", [:])
            #expect(response.status == .seeOther)
            #expect(browser.cookies[SecurityConfiguration.sessionCookieName] == nil)
            #expect(try await UserSession.query(on: app.db).count() == 0)
            #expect(try await browser.get(app, "/enterprise").status == .seeOther)
        }
    }

    @Test("修改密码：须验证当前密码；其他设备的会话全部失效")
    func changePassword() async throws {
        try await withTestApp { app in
            var phone = Browser()
            try await phone.post(app, "/register", Sample.registration())
            var laptop = Browser()
            try await laptop.post(app, "/login", ["login": Sample.creditCode, "password": Sample.password])
            let wrong = try await laptop.post(app, "/account/password", ["current": "not-it", "password": "Taihang-Mountain-9", "passwordConfirmation": "Taihang-Mountain-9"])
            #expect(wrong.status == .unprocessableEntity)
            #expect(wrong.body.string.contains("当前密码不正确"))
            let changed = try await laptop.post(app, "/account/password", ["current": Sample.password, "password": "Taihang-Mountain-9", "passwordConfirmation": "Taihang-Mountain-9"])
            #expect(changed.status == .seeOther)
            #expect(try await laptop.get(app, "/enterprise").status == .ok)
            #expect(try await phone.get(app, "/enterprise").status == .seeOther)
            var fresh = Browser()
            #expect(try await fresh.post(app, "/login", ["login": Sample.creditCode, "password": Sample.password]).status == .unauthorized)
            #expect(try await fresh.post(app, "/login", ["login": Sample.creditCode, "password": "Taihang-Mountain-9"]).status == .seeOther)
        }
    }

    @Test("闲置超时的会话失效")
    func idleExpiry() async throws {
        try await withTestApp { app in
            var browser = Browser()
            try await browser.post(app, "/register", Sample.registration())
            let session = try #require(try await UserSession.query(on: app.db).first())
            session.lastSeenAt = Date().addingTimeInterval(-app.settings.security.sessionIdleTimeout - 5)
            try await session.save(on: app.db)
            #expect(try await browser.get(app, "/enterprise").status == .seeOther)
            #expect(try await UserSession.query(on: app.db).count() == 0)
        }
    }

    @Test("超过最长有效期的会话失效，即使一直在用")
    func absoluteExpiry() async throws {
        try await withTestApp { app in
            var browser = Browser()
            try await browser.post(app, "/register", Sample.registration())
            let session = try #require(try await UserSession.query(on: app.db).first())
            session.createdAt = Date().addingTimeInterval(-app.settings.security.sessionMaximumAge - 5)
            session.lastSeenAt = Date()
            try await session.save(on: app.db)
            #expect(try await browser.get(app, "/enterprise").status == .seeOther)
            #expect(browser.cookies[SecurityConfiguration.sessionCookieName] == nil)
        }
    }

    @Test("登录后只跳转到本站地址")
    func openRedirect() async throws {
        try await withTestApp { app in
            var browser = Browser()
            try await browser.post(app, "/register", Sample.registration())
            var other = Browser()
            let response = try await other.post(app, "/login", ["login": Sample.creditCode, "password": Sample.password, "next": "//evil.example/"])
            #expect(response.headers.first(name: .location) == "/enterprise")
        }
    }
}

@Suite("安全：CSRF 与响应头", .serialized)
struct SecurityTests {
    @Test("没有或伪造 CSRF 令牌的表单提交被拒绝", arguments: [nil, "forged-token-forged-token-forged-token-forged"] as [String?])
    func csrfRequired(token: String?) async throws {
        try await withTestApp { app in
            var browser = Browser()
            try await browser.get(app, "/login")
            var fields = Sample.registration()
            if let token { fields[SecurityConfiguration.csrfField] = token }
            let response = try await browser.post(app, "/register", fields, csrf: false)
            #expect(response.status == .forbidden)
            #expect(response.body.string.contains("缺少安全令牌"))
            #expect(try await Enterprise.query(on: app.db).count() == 0)
        }
    }

    @Test("每个响应都带安全响应头，错误页也不例外", arguments: ["/", "/login", "/no-such-page", "/healthz"])
    func securityHeaders(path: String) async throws {
        try await withTestApp { app in
            try await app.testing().test(.GET, path) { response in
                let csp = response.headers.first(name: "Content-Security-Policy") ?? ""
                #expect(csp.contains("script-src 'self'"))
                #expect(!csp.contains("unsafe-inline"))
                #expect(csp.contains("frame-ancestors 'none'"))
                #expect(response.headers.first(name: "X-Content-Type-Options") == "nosniff")
                #expect(response.headers.first(name: "Referrer-Policy") == "same-origin")
            }
        }
    }

    @Test("页面不存在：中文提示")
    func notFoundInChinese() async throws {
        try await withTestApp { app in
            try await app.testing().test(.GET, "/no-such-page") { response in
                #expect(response.status == .notFound)
                #expect(response.body.string.contains("页面不存在"))
            }
        }
    }

    @Test("未登录访问企业页面跳转登录；其他角色访问被拒绝")
    func roleGuard() async throws {
        try await withTestApp { app in
            var anonymous = Browser()
            let redirect = try await anonymous.get(app, "/enterprise/profile")
            #expect(redirect.status == .seeOther)
            #expect(redirect.headers.first(name: .location) == "/login?next=/enterprise/profile")
            let reviewer = User(role: .cityReviewer, organisation: "140100", login: "taiyuan-reviewer", mobile: nil, displayName: "太原审核员",
                                passwordHash: try await app.password.async.hash(Sample.password))
            try await reviewer.create(on: app.db)
            var staff = Browser()
            #expect(try await staff.post(app, "/login", ["login": "taiyuan-reviewer", "password": Sample.password]).status == .seeOther)
            let refused = try await staff.get(app, "/enterprise")
            #expect(refused.status == .forbidden)
            #expect(refused.body.string.contains("无权访问"))
        }
    }
}
