import Fluent
import Foundation
import PolicyKit
import Testing
import Vapor
import VaporTesting
@testable import App

@Suite("管理员：审核单位、处室与账号", .serialized)
struct UserAdminTests {
    /// The one-time password shown on the page after creating or resetting an account.
    func issuedPassword(_ html: String) throws -> String {
        let start = try #require(html.range(of: "<code class=\"password\">"))
        let end = try #require(html[start.upperBound...].range(of: "</code>"))
        return String(html[start.upperBound..<end.lowerBound])
    }

    @Test("新建市级审核员：逐项校验并保留已填内容；一次性密码可登录，只看到本单位的申报")
    func createReviewer() async throws {
        try await withTestApp { app in
            _ = try await app.openRound("shanxi-2023-demo")
            _ = try await app.submittedApplication(enterprise: 0)
            var admin = try await app.staff(.admin, organisation: nil, login: "admin")
            let overview = try await admin.get(app, "/admin/users")
            #expect(overview.status == .ok)
            #expect(overview.body.string.contains("太原市工信局"))
            #expect(overview.body.string.contains("原材料处"))
            #expect(overview.body.string.contains("综改示范区"))

            let bad = try await admin.post(app, "/admin/users", ["role": "cityReviewer", "organisation": "", "login": "A b", "displayName": "王审核", "mobile": "123"])
            #expect(bad.status == .unprocessableEntity)
            let html = bad.body.string
            #expect(html.contains("请选择审核单位"))
            #expect(html.contains("登录名须为3–32 位小写字母"))
            #expect(html.contains("手机号码应为 11 位数字"))
            #expect(html.contains("value=\"王审核\""))
            let divisionAsCity = try await admin.post(app, "/admin/users", ["role": "cityReviewer", "organisation": "raw-materials", "login": "wang", "displayName": "王审核"])
            #expect(divisionAsCity.body.string.contains("请选择审核单位"))

            let created = try await admin.post(app, "/admin/users", ["role": "cityReviewer", "organisation": "140100", "login": "ty-wang", "displayName": "王审核", "mobile": "13900001111"])
            #expect(created.status == .ok)
            #expect(created.headers.first(name: .cacheControl) == "no-store")
            let password = try issuedPassword(created.body.string)
            #expect(PasswordPolicy.problems(password).isEmpty)
            let user = try #require(try await User.query(on: app.db).filter(\.$login == "ty-wang").first())
            #expect(user.role == .cityReviewer && user.organisation == "140100" && user.mobile == "13900001111")
            #expect(!user.passwordHash.contains(password))
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == AuditLog.Action.accountCreated.rawValue).count() == 1)

            let taken = try await admin.post(app, "/admin/users", ["role": "divisionReviewer", "organisation": "raw-materials", "login": "ty-wang", "displayName": "另一人"])
            #expect(taken.body.string.contains("登录名“ty-wang”已被使用"))

            var reviewer = Browser()
            let signedIn = try await reviewer.post(app, "/login", ["login": "ty-wang", "password": password])
            // The one-time password is replaced first.
            #expect(signedIn.headers.first(name: .location) == "/account/password")
            #expect(try await reviewer.post(app, "/account/password", ["current": password, "password": "Luya-Peak-Wind-27", "passwordConfirmation": "Luya-Peak-Wind-27"]).status == .seeOther)
            let list = try await reviewer.get(app, "/review")
            #expect(list.status == .ok)
            #expect(list.body.string.contains("太原"))
            #expect(try await reviewer.get(app, "/admin/users").status == .forbidden)
        }
    }

    @Test("重置密码使旧密码和已有登录失效；停用后不能登录，启用后恢复；不能停用自己")
    func resetAndDisable() async throws {
        try await withTestApp { app in
            _ = try await app.openRound("shanxi-2023-demo")
            var admin = try await app.staff(.admin, organisation: nil, login: "admin")
            var reviewer = try await app.staff(.divisionReviewer, organisation: "raw-materials", login: "yuancailiao")
            #expect(try await reviewer.get(app, "/review").status == .ok)
            let user = try #require(try await User.query(on: app.db).filter(\.$login == "yuancailiao").first())
            let id = try user.requireID().uuidString

            let reset = try await admin.post(app, "/admin/users/\(id)/reset-password", [:])
            #expect(reset.status == .ok)
            let password = try issuedPassword(reset.body.string)
            let stale = try await reviewer.get(app, "/review")
            #expect(stale.status == .seeOther)
            var signIn = Browser()
            #expect(try await signIn.post(app, "/login", ["login": "yuancailiao", "password": DemoCommand.password]).status == .unauthorized)
            #expect(try await signIn.post(app, "/login", ["login": "yuancailiao", "password": password]).status == .seeOther)

            #expect(try await admin.post(app, "/admin/users/\(id)/disable", [:]).status == .seeOther)
            #expect(try await signIn.get(app, "/review").status == .seeOther)
            var again = Browser()
            let refused = try await again.post(app, "/login", ["login": "yuancailiao", "password": password])
            #expect(refused.status == .forbidden)
            #expect(refused.body.string.contains("该账号已停用"))
            let listed = try await admin.get(app, "/admin/users?organisation=raw-materials")
            #expect(listed.body.string.contains("已停用"))
            #expect(try await admin.post(app, "/admin/users/\(id)/enable", [:]).status == .seeOther)
            #expect(try await again.post(app, "/login", ["login": "yuancailiao", "password": password]).status == .seeOther)

            let adminID = try #require(try await User.query(on: app.db).filter(\.$login == "admin").first()).requireID().uuidString
            #expect(try await admin.post(app, "/admin/users/\(adminID)/disable", [:]).status == .conflict)
            let actions = try await AuditEvent.query(on: app.db).all().map(\.action)
            #expect(actions.contains(AuditLog.Action.passwordReset.rawValue))
            #expect(actions.contains(AuditLog.Action.accountDisabled.rawValue))
            #expect(actions.contains(AuditLog.Action.accountEnabled.rawValue))
        }
    }

    @Test("按关键词找到企业账号并重置其密码；非管理员一律 403")
    func enterpriseAccountsAndRefusals() async throws {
        try await withTestApp { app in
            _ = try await app.openRound("shanxi-2023-demo")
            var admin = try await app.staff(.admin, organisation: nil, login: "admin")
            let (enterprise, _) = try await app.demoEnterprise(0)
            let found = try await admin.get(app, "/admin/users?role=enterprise&keyword=%E5%A4%AA%E5%8E%9F")
            #expect(found.body.string.contains("企业（单位）"))
            let owner = try #require(try await User.query(on: app.db).filter(\.$role == .enterprise).first())
            #expect(found.body.string.contains(try owner.requireID().uuidString))
            let city = try await app.staff(.cityReviewer, organisation: "140100", login: "taiyuan")
            for browser in [enterprise, city] {
                var caller = browser
                #expect(try await caller.get(app, "/admin/users").status == .forbidden)
                #expect(try await caller.get(app, "/admin/users/new").status == .forbidden)
                #expect(try await caller.post(app, "/admin/users", ["role": "cityReviewer", "organisation": "140100", "login": "sneaky", "displayName": "x"]).status == .forbidden)
                #expect(try await caller.post(app, "/admin/users/\(try owner.requireID().uuidString)/reset-password", [:]).status == .forbidden)
            }
            #expect(try await User.query(on: app.db).filter(\.$login == "sneaky").count() == 0)
        }
    }
}
