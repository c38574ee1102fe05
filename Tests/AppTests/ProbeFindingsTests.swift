import Fluent
import Foundation
import NIOConcurrencyHelpers
import PolicyKit
import Testing
import Vapor
import VaporTesting
@testable import App

/// The findings of probing the running server (issue "Security", points 1–11), each as a request that must now be
/// refused or answered harmlessly.
@Suite("安全：探测发现的问题逐项复现")
struct ProbeFindingsTests {
    static let hostileNumbers = ["9223372036854775807", "-9223372036854775808", "-1", "0", "abc", "1e308", String(repeating: "9", count: 100_000)]

    @Test("1. 每个列表的页码、每页条数、关键词：极大、负数、非数字、100 kB 的值都不会 5xx，服务器照常服务")
    func hostileListParameters() async throws {
        try await withTestApp { app in
            _ = try await app.submittedApplication()
            let callers: [(Browser, [String])] = [
                (try await app.staff(.admin, organisation: nil, login: "probe.admin"),
                 ["/review", "/admin/audit", "/admin/users", "/admin/statistics", "/admin/conflicts", "/admin/blacklists", "/admin/chain-rewards",
                  "/api/review/applications", "/admin/audit/export"]),
                (try await app.staff(.divisionReviewer, organisation: "raw-materials", login: "probe.division"), ["/review", "/api/review/applications"]),
                (try await app.staff(.cityReviewer, organisation: "140100", login: "probe.city"), ["/review", "/review/forwarding", "/api/review/forwarding"]),
                (try await app.demoEnterprise(1).0, ["/enterprise", "/api/applications"]),
            ]
            for (caller, paths) in callers {
                for path in paths {
                    for name in ["page", "size", "keyword", "status", "round", "from"] {
                        for value in Self.hostileNumbers {
                            var browser = caller
                            let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
                            let response = try await browser.get(app, "\(path)?\(name)=\(encoded)")
                            #expect(response.status.code < 500, "\(path)?\(name)=\(value.prefix(30)) → \(response.status.code)")
                        }
                    }
                }
            }
            var anybody = Browser()
            let long = try await anybody.get(app, "/review?keyword=" + String(repeating: "钢", count: 50_000).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            #expect(long.status == .unprocessableEntity)
            #expect(long.body.string.contains("查询参数“keyword”过长"))
            #expect(try await anybody.get(app, "/healthz").status == .ok)
        }
    }

    @Test("2. 登录后的 next 只接受本站相对路径：CR/LF、制表符、//、\\、协议都回到角色首页，不写入响应头", arguments: [
        "/x\r\nSet-Cookie: planted=1", "/x\nSet-Cookie: planted=1", "/\t/evil.example/", "/%09/evil.example", "//evil.example/", "/\\evil.example",
        "https://evil.example/", "javascript:alert(1)", "/review\u{202E}", " /review",
    ])
    func headerInjection(next: String) async throws {
        try await withTestApp { app in
            var enterprise = Browser()
            #expect(try await enterprise.post(app, "/register", Sample.registration()).status == .seeOther)
            var other = Browser()
            let response = try await other.post(app, "/login", ["login": Sample.creditCode, "password": Sample.password, "next": next])
            #expect(response.status == .seeOther)
            let location = response.headers.first(name: .location) ?? ""
            if next == "/%09/evil.example" {
                // Percent-encoded, the tab stays text inside one path on this site.
                #expect(location == next)
            } else {
                #expect(location == "/enterprise")
            }
            #expect(!response.headers[.setCookie].contains { $0.contains("planted") })
            var page = Browser()
            let form = try await page.get(app, "/login?next=" + next.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            #expect(!form.body.string.contains("evil.example") || next == "/%09/evil.example")
        }
    }

    @Test("3. 登录锁定按账号计：手机号加连字符或 +86、信用代码、普通手机号的失败合在一起")
    func lockOutByAccount() async throws {
        try await withTestApp { app in
            var enterprise = Browser()
            #expect(try await enterprise.post(app, "/register", Sample.registration(mobile: "13934561234")).status == .seeOther)
            let variants = ["139-3456-1234", "+86 13934561234", Sample.creditCode, "13934561234", "+86-139-3456-1234"]
            var attacker = Browser()
            for index in 0..<LoginThrottlePolicy.perAccount.allowedFailures {
                let wrong = try await attacker.post(app, "/login", ["login": variants[index % variants.count], "password": "wrong-password-\(index)"])
                #expect(wrong.status == .unauthorized)
            }
            for login in variants {
                var fresh = Browser()
                let locked = try await fresh.post(app, "/login", ["login": login, "password": Sample.password])
                #expect(locked.status == .tooManyRequests, "\(login)")
            }
            let user = try #require(try await User.query(on: app.db).first())
            #expect(try await LoginThrottle.find(LoginGuard.accountKey(try user.requireID()), on: app.db)?.lockedUntil != nil)
        }
    }

    @Test("4. 不存在的账号与错误密码耗费同样的口令运算；注册无论成败都计算一次口令散列，同一地址注册过多被限流")
    func accountDiscovery() async throws {
        try await withTestApp { app in
            let counter = CountingPasswordHasher()
            app.passwords.use { _ in counter }
            var enterprise = Browser()
            #expect(try await enterprise.post(app, "/register", Sample.registration()).status == .seeOther)
            counter.reset()
            var attacker = Browser()
            #expect(try await attacker.post(app, "/login", ["login": Sample.otherCreditCode, "password": "wrong-password"]).status == .unauthorized)
            let unknown = counter.counts
            counter.reset()
            #expect(try await attacker.post(app, "/login", ["login": Sample.creditCode, "password": "wrong-password"]).status == .unauthorized)
            #expect(counter.counts == unknown)
            #expect(unknown == Counts(hashes: 0, verifications: 1))

            counter.reset()
            let taken = try await attacker.post(app, "/register", Sample.registration(mobile: "13934560000"))
            #expect(taken.status == .unprocessableEntity)
            #expect(counter.counts.hashes == 1)

            for index in 0..<(LoginThrottlePolicy.registrationPerAddress.allowedFailures - 2) {
                _ = try await attacker.post(app, "/register", Sample.registration(mobile: "1393456\(String(format: "%04d", index))"))
            }
            let refused = try await attacker.post(app, "/register", Sample.registration(creditCode: Sample.otherCreditCode, mobile: "13934569999"))
            #expect(refused.status == .tooManyRequests)
            #expect(refused.body.string.contains("注册尝试过于频繁"))
            #expect(!refused.body.string.contains("已注册"))
            #expect(refused.body.string.contains("value=\"\(Sample.otherCreditCode)\""))
            #expect(try await Enterprise.query(on: app.db).count() == 1)
        }
    }

    @Test("5. CSRF 令牌与会话绑定：自造的 cookie/令牌对、别的会话的令牌、登录前的令牌都被拒绝")
    func csrfBoundToSession() async throws {
        try await withTestApp { app in
            var invented = Browser(cookies: [SecurityConfiguration.csrfCookieName: String(repeating: "a", count: 43)])
            invented.csrf = String(repeating: "a", count: 43)
            let forged = try await invented.post(app, "/register", Sample.registration())
            #expect(forged.status == .forbidden)
            #expect(try await Enterprise.query(on: app.db).count() == 0)

            var first = Browser()
            #expect(try await first.post(app, "/register", Sample.registration()).status == .seeOther)
            let firstToken = try await first.token(app)
            var second = Browser()
            let beforeSignIn = try await second.token(app)
            #expect(try await second.post(app, "/login", ["login": Sample.creditCode, "password": Sample.password]).status == .seeOther)
            for stale in [firstToken, beforeSignIn] {
                var attempt = second
                attempt.csrf = stale
                let refused = try await attempt.post(app, "/logout", [:])
                #expect(refused.status == .forbidden)
            }
            #expect(try await UserSession.query(on: app.db).count() == 2)
            #expect(try await second.post(app, "/logout", [:]).status == .seeOther)
            #expect(try await UserSession.query(on: app.db).count() == 1)
        }
    }

    @Test("6. 经域名访问时 cookie 带 Secure 和 __Host- 前缀并发送 HSTS；本机回环地址开发时不带")
    func secureCookies() async throws {
        try await withTestApp { app in
            for (host, secure) in [("jigai.gxt.shanxi.gov.cn", true), ("127.0.0.1:8080", false), ("localhost:8080", false)] {
                try await app.testing().test(.GET, "/login", headers: ["Host": host]) { response in
                    let cookie = response.headers[.setCookie].first ?? ""
                    #expect(cookie.hasPrefix("__Host-jigai_csrf=") == secure, "\(host): \(cookie)")
                    #expect(cookie.contains("Secure") == secure, "\(host)")
                    #expect((response.headers.first(name: "Strict-Transport-Security") != nil) == secure, "\(host)")
                }
            }
        }
    }

    @Test("7. 弱密码被拒绝（字典词、字典词加数字、公开的演示密码），强密码通过", arguments: [
        ("Welcome2023", false), ("qwerty1234", false), ("P@ssw0rd123", false), (PasswordPolicy.publishedDemoPassword, false), ("Shanxi2023!", false),
        ("Fenhe-River-2023", true),
    ])
    func weakPasswords(password: String, accepted: Bool) async throws {
        try await withTestApp { app in
            var browser = Browser()
            var fields = Sample.registration()
            fields["password"] = password
            fields["passwordConfirmation"] = password
            let response = try await browser.post(app, "/register", fields)
            #expect(response.status == (accepted ? .seeOther : .unprocessableEntity))
            #expect(try await Enterprise.query(on: app.db).count() == (accepted ? 1 : 0))
            if !accepted { #expect(response.body.string.contains("password-error")) }
        }
    }

    @Test("8. 锁定期间的登录和停用账号的登录写入操作日志；匿名请求刷不满日志，次数仍有汇总")
    func auditGaps() async throws {
        try await withTestApp { app in
            var enterprise = Browser()
            #expect(try await enterprise.post(app, "/register", Sample.registration()).status == .seeOther)
            var attacker = Browser()
            for _ in 0...LoginThrottlePolicy.perAccount.allowedFailures {
                _ = try await attacker.post(app, "/login", ["login": Sample.creditCode, "password": "wrong-password"])
            }
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == AuditLog.Action.signInLocked.rawValue).count() == 1)

            let user = try #require(try await User.query(on: app.db).first())
            try await LoginThrottle.query(on: app.db).delete()
            user.disabledAt = Date()
            try await user.save(on: app.db)
            var owner = Browser()
            #expect(try await owner.post(app, "/login", ["login": Sample.creditCode, "password": Sample.password]).status == .forbidden)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == AuditLog.Action.signInDisabled.rawValue).count() == 1)

            try await LoginThrottle.query(on: app.db).delete()
            let before = try await AuditEvent.query(on: app.db).count()
            var flood = Browser()
            for _ in 0..<150 {
                _ = try await flood.post(app, "/login", ["login": "x", "password": "y"], csrf: false)
            }
            let written = try await AuditEvent.query(on: app.db).count() - before
            #expect(written == AnonymousAuditPolicy.standard.recordedPerWindow + 2)
            let summaries = try await AuditEvent.query(on: app.db).filter(\.$action == AuditLog.Action.anonymousEventsSummarised.rawValue).sort(\.$sequence).all()
            #expect(summaries.map { $0.after?.contains("已达 21 次") == true } == [true, false])
            #expect(summaries.last?.after?.contains("已达 100 次") == true)
            #expect(try await app.audit.verify().firstBroken == nil)
        }
    }

    @Test("9. 超长输入：50 kB 的搜索关键词和 1.8 MB 的项目名称被拒绝（API 422 给出路径），什么都不保存")
    func oversizeInput() async throws {
        try await withTestApp { app in
            let (_, demo) = try await app.demoEnterprise(0)
            var client = APIClient()
            try await client.signIn(app, login: demo.creditCode, password: DemoCommand.password)
            let created = try await client.send(app, .POST, "/api/applications", json: Data(#"{"direction":"rd-expense"}"#.utf8))
            #expect(created.status == .created)
            let id = try created.content.decode(APIController.Resource.self).id
            let huge = String(repeating: "项", count: 600_000)
            let body = Data(#"{"round":"shanxi-2023-demo","direction":"rd-expense","projectName":"\#(huge)"}"#.utf8)
            let response = try await client.send(app, .PUT, "/api/applications/\(id)", json: body, headers: ["If-Match": "\"0\""])
            #expect(response.status == .unprocessableEntity)
            #expect(response.body.string.contains("projectName"))
            #expect(response.body.string.contains("不能超过 \(TextLimits.shortText) 个字"))
            let stored = try #require(try await StoredApplication.find(id, on: app.db))
            #expect(!stored.document.contains(huge.prefix(1000)))
        }
    }

    @Test("11. 文件名含 U+202E 等改变文字方向的字符时拒绝上传，什么都不保存")
    func bidiFileNames() async throws {
        try await withTestApp { app in
            var (browser, _) = try await app.demoEnterprise(0)
            let location = try await app.startApplication(&browser, direction: "rd-expense")
            let response = try await browser.upload(app, location, item: "tax-return", fileName: "纳税申报表\u{202E}fdp.exe", data: Fixtures.pdf(pages: 1))
            #expect(response.status == .seeOther || response.status == .badRequest)
            let page = try await browser.get(app, location)
            #expect(page.body.string.contains("改变文字方向的隐藏字符") || response.body.string.contains("改变文字方向的隐藏字符"))
            #expect(try await StoredAttachment.query(on: app.db).count() == 0)
        }
    }
}

struct Counts: Equatable {
    var hashes = 0
    var verifications = 0
}

/// Bcrypt at the tests' cost, counting its calls: equal work for known and unknown accounts is what equal timing
/// needs. (Wrapping `app.password` would call itself: it looks the hasher up on every use.)
final class CountingPasswordHasher: PasswordHasher {
    private let box = NIOLockedValueBox(Counts())

    var counts: Counts { box.withLockedValue { $0 } }
    func reset() { box.withLockedValue { $0 = Counts() } }

    func hash<Password: DataProtocol>(_ password: Password) throws -> [UInt8] {
        box.withLockedValue { $0.hashes += 1 }
        return Array(try Bcrypt.hash(String(decoding: Array(password), as: UTF8.self), cost: 4).utf8)
    }

    func verify<Password: DataProtocol, Digest: DataProtocol>(_ password: Password, created digest: Digest) throws -> Bool {
        box.withLockedValue { $0.verifications += 1 }
        return try Bcrypt.verify(String(decoding: Array(password), as: UTF8.self), created: String(decoding: Array(digest), as: UTF8.self))
    }
}
