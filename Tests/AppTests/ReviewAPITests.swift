import Fluent
import Foundation
import PolicyKit
import Testing
import Vapor
import VaporTesting
@testable import App

/// The API's error body.
struct ErrorReason: Decodable {
    var error: Bool
    var reason: String
}

@Suite("JSON API：审核单位、处室和管理员的操作", .serialized)
struct ReviewAPITests {
    func json(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object)
    }

    /// A staff account signed in through the API.
    func staff(_ app: Vapor.Application, _ role: Role, organisation: String?, login: String) async throws -> APIClient {
        try await User(role: role, organisation: organisation, login: login, mobile: nil, displayName: login,
                       passwordHash: try await app.password.async.hash(DemoCommand.password)).create(on: app.db)
        var client = APIClient()
        try await client.signIn(app, login: login, password: DemoCommand.password)
        return client
    }

    @Test("退回（逐项意见）→ 重交 → 现场核查 → 通过 → 报送 → 处室拟奖励，全部经 API；规则拒绝时给出中文原因和字段；范围外 404")
    func reviewJourney() async throws {
        try await withTestApp { app in
            var (enterprise, location) = try await app.submittedApplication()
            let id = String(location.split(separator: "/").last!)
            var city = try await staff(app, .cityReviewer, organisation: "140100", login: "taiyuan")
            var other = try await staff(app, .cityReviewer, organisation: "140200", login: "datong")

            let list = try await city.send(app, .GET, "/api/review/applications")
            let page = try list.content.decode(ReviewAPIController.ListPage.self)
            #expect(page.total == 1 && page.items.first?.id.uuidString == id && page.items.first?.status == .submitted)
            // Found by schemathesis: a page whose offset overflows an Int answered by a crash; past the end is empty.
            for far in ["2", "\(Int.max)"] {
                let beyond = try await city.send(app, .GET, "/api/review/applications?page=\(far)")
                #expect(beyond.status == .ok)
                let empty = try beyond.content.decode(ReviewAPIController.ListPage.self)
                #expect(empty.total == 1 && empty.items.isEmpty, "第 \(far) 页")
            }
            #expect(try await city.send(app, .GET, "/review?page=\(Int.max)").status == .ok)
            #expect(try await other.send(app, .GET, "/api/review/applications/\(id)").status == .notFound)
            #expect(try await other.send(app, .POST, "/api/review/applications/\(id)/approve", json: try json([:])).status == .notFound)

            let badNote = try await city.send(app, .POST, "/api/review/applications/\(id)/return", json: try json(["notes": [["target": "nowhere", "text": "改"]]]))
            #expect(badNote.status == .unprocessableEntity)
            #expect(try badNote.content.decode(ReviewAPIController.Refused.self).fields["note0"] == "第 1 条意见所针对的内容不存在")
            let returned = try await city.send(app, .POST, "/api/review/applications/\(id)/return",
                                               json: try json(["comment": "请补充", "notes": [["target": "projectName", "text": "名称不符合规则"]]]),
                                               headers: ["Idempotency-Key": "return-1"])
            #expect(returned.status == .ok)
            #expect(try returned.content.decode(APIController.Resource.self).status == .returned)
            #expect(try await city.send(app, .POST, "/api/review/applications/\(id)/return", json: try json(["comment": "请补充"]),
                                        headers: ["Idempotency-Key": "return-1"]).status == .ok)
            #expect(try await ReturnNote.query(on: app.db).count() == 1, "同一个键只办理一次")
            #expect(try await enterprise.post(app, location + "/submit", [:]).status == .seeOther)

            let early = try await city.send(app, .POST, "/api/review/applications/\(id)/approve", json: try json([:]))
            #expect(early.status == .unprocessableEntity)
            #expect(try early.content.decode(ReviewAPIController.Refused.self).reason == "审核通过前须记录现场核查")
            let badInspection = try await city.send(app, .POST, "/api/review/applications/\(id)/inspection", json: try json(["compliant": true]))
            #expect(badInspection.status == .unprocessableEntity)
            #expect(try badInspection.content.decode(ReviewAPIController.Refused.self).fields["leader"] == "请填写核查组组长")
            let inspected = try await city.send(app, .POST, "/api/review/applications/\(id)/inspection", json: try json([
                "compliant": true, "description": "资料与现场一致", "leader": "张伟", "members": "李工", "inspectedOn": "2023-10-20",
            ]))
            #expect(try inspected.content.decode(APIController.Resource.self).status == .cityReviewing)
            #expect(try await city.send(app, .POST, "/api/review/applications/\(id)/approve", json: try json(["comment": "同意"])).status == .ok)

            let candidates = try await city.send(app, .GET, "/api/review/forwarding")
            let rows = try candidates.content.decode([ReviewAPIController.Candidate].self)
            #expect(rows.map(\.id.uuidString) == [id] && rows[0].cells.enterpriseName == "太原示例钢铁有限公司")
            let noOpinion = try await city.send(app, .POST, "/api/review/forwardings", json: try json(["applications": [id]]))
            #expect(noOpinion.status == .unprocessableEntity)
            let forwarded = try await city.send(app, .POST, "/api/review/forwardings", json: try json(["applications": [id], "opinion": "同意推荐"]))
            #expect(forwarded.status == .created)
            #expect(try forwarded.content.decode(ReviewAPIController.Forwarded.self).applications.map(\.uuidString) == [id])

            let routed = try #require(try await StoredApplication.find(UUID(uuidString: id), on: app.db)?.division)
            var division = try await staff(app, .divisionReviewer, organisation: routed, login: "division")
            let noDecision = try await division.send(app, .POST, "/api/review/applications/\(id)/division", json: try json(["opinion": "同意"]))
            #expect(noDecision.status == .unprocessableEntity)
            let decided = try await division.send(app, .POST, "/api/review/applications/\(id)/division", json: try json(["decision": "proposedReward", "opinion": "同意"]))
            #expect(try decided.content.decode(APIController.Resource.self).status == .proposedReward)
            let again = try await division.send(app, .POST, "/api/review/applications/\(id)/division", json: try json(["decision": "notRewarded", "opinion": "改主意"]))
            #expect(again.status == .conflict)
            #expect(try again.content.decode(ReviewAPIController.Refused.self).reason == "当前状态为“拟奖励”，不能作出不予奖励决定")
        }
    }

    @Test("管理员经 API 新建审核员、重置密码、停用启用、延长截止时间、导入和删除失信名单；企业账号 403")
    func adminActions() async throws {
        try await withTestApp { app in
            _ = try await app.openRound("shanxi-2023-demo")
            var admin = try await staff(app, .admin, organisation: nil, login: "admin")
            let invalid = try await admin.send(app, .POST, "/api/admin/users", json: try json(["role": "cityReviewer", "organisation": "140100"]))
            #expect(invalid.status == .unprocessableEntity)
            #expect(!(try invalid.content.decode(ReviewAPIController.Refused.self).fields.isEmpty))
            let created = try await admin.send(app, .POST, "/api/admin/users", json: try json([
                "role": "cityReviewer", "organisation": "140100", "login": "taiyuan2", "displayName": "太原市审核员二",
            ]))
            #expect(created.status == .created)
            #expect(created.headers.first(name: .cacheControl) == "no-store")
            let issued = try created.content.decode(AdminAPIController.IssuedPassword.self)
            // The issued password is replaced on the pages (where the rules are shown) before the API accepts it.
            var pages = Browser()
            #expect(try await pages.post(app, "/login", ["login": "taiyuan2", "password": issued.password]).headers.first(name: .location) == "/account/password")
            var reviewer = APIClient()
            let token = try await reviewer.send(app, .GET, "/api/csrf", csrfHeader: false)
            reviewer.csrf = try token.content.decode(APIController.CSRFToken.self).csrfToken
            let refused = try await reviewer.send(app, .POST, "/api/session", json: try JSONEncoder().encode(APIController.SignIn(login: "taiyuan2", password: issued.password)))
            #expect(refused.status == .forbidden)
            #expect(refused.body.string.contains("请先设置新密码"))
            #expect(try await pages.post(app, "/account/password", ["current": issued.password, "password": "Luya-Peak-Wind-27", "passwordConfirmation": "Luya-Peak-Wind-27"]).status == .seeOther)
            try await reviewer.signIn(app, login: "taiyuan2", password: "Luya-Peak-Wind-27")
            #expect(try await reviewer.send(app, .POST, "/api/admin/users/\(issued.id)/disable").status == .forbidden)
            let reset = try await admin.send(app, .POST, "/api/admin/users/\(issued.id)/reset-password")
            #expect(try reset.content.decode(AdminAPIController.IssuedPassword.self).password != issued.password)
            #expect(try await reviewer.send(app, .GET, "/api/review/applications").status == .unauthorized, "重置后原登录失效")
            #expect(try await admin.send(app, .POST, "/api/admin/users/\(issued.id)/disable").status == .noContent)
            #expect(try await User.find(issued.id, on: app.db)?.disabledAt != nil)
            #expect(try await admin.send(app, .POST, "/api/admin/users/\(issued.id)/enable").status == .noContent)
            #expect(try await User.find(issued.id, on: app.db)?.disabledAt == nil)

            let earlier = try await admin.send(app, .POST, "/api/admin/round/deadline", json: try json(["deadline": "2020-01-01 00:00", "reason": "x"]))
            #expect(earlier.status == .unprocessableEntity)
            #expect(try earlier.content.decode(ReviewAPIController.Refused.self).fields["deadline"]?.contains("须晚于当前截止时间") == true)
            #expect(try await admin.send(app, .POST, "/api/admin/round/deadline", json: try json(["deadline": "2027-12-31 23:59", "reason": "系统维护"])).status == .ok)
            #expect(DateText.minute(try #require(try await RoundRecord.query(on: app.db).first()).deadline, timeZone: "Asia/Shanghai") == "2027-12-31 23:59")

            // A body that is not the multipart its header says (schemathesis found this answered 500) is the client's error.
            var broken = admin.browser.cookieHeader
            broken.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=0d37f771")
            broken.replaceOrAdd(name: SecurityConfiguration.csrfHeader, value: try #require(admin.csrf))
            var answer: TestingHTTPResponse?
            try await app.testing().test(.POST, "/api/admin/blacklists", headers: broken, body: ByteBuffer(string: "--0d37f771\r\nTrue--0d37f771--\r\n")) { answer = $0 }
            let response = try #require(answer)
            #expect(response.status == .badRequest)
            #expect(try response.content.decode(ErrorReason.self).reason.contains("格式有误"))
            let bad = try await admin.browser.postMultipart(app, "/api/admin/blacklists", fields: [:], files: [("file", "名单.csv", Data("统一社会信用代码\n123\n".utf8))])
            #expect(bad.status == .unprocessableEntity)
            #expect(try bad.content.decode(AdminAPIController.ImportRefused.self).problems.first?.hasPrefix("第 2 行") == true)
            let imported = try await admin.browser.postMultipart(app, "/api/admin/blacklists", fields: [:], files: [("file", "名单.csv", Data(BlacklistSample.csv.utf8))])
            #expect(imported.status == .created)
            let list = try imported.content.decode(AdminAPIController.Imported.self)
            #expect(list.entries == 2)
            #expect(try await BlacklistEntry.query(on: app.db).count() == 2)
            let entry = try #require(try await BlacklistEntry.query(on: app.db).first())
            #expect(try await admin.send(app, .DELETE, "/api/admin/blacklists/\(list.id)/entries/\(try entry.requireID())").status == .noContent)
            #expect(try await admin.send(app, .DELETE, "/api/admin/blacklists/\(list.id)").status == .noContent)
            #expect(try await BlacklistEntry.query(on: app.db).count() == 0)
            #expect(try await admin.send(app, .DELETE, "/api/admin/blacklists/\(list.id)").status == .notFound)

            let demo = DemoCommand.enterprises[0]
            try await DemoCommand.ensure(demo, passwordHash: try await app.password.async.hash(DemoCommand.password), on: app.db)
            var enterprise = APIClient()
            try await enterprise.signIn(app, login: demo.creditCode, password: DemoCommand.password)
            #expect(try await enterprise.send(app, .POST, "/api/admin/round/deadline", json: try json(["deadline": "2028-01-01 00:00", "reason": "x"])).status == .forbidden)
            #expect(try await enterprise.send(app, .GET, "/api/review/applications").status == .forbidden)
        }
    }
}
