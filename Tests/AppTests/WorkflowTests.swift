import Fluent
import Foundation
import PolicyKit
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import App

@Suite("流转：一次事务、重复提交不重复办理、不丢失他人的修改、撤回", .serialized)
struct WorkflowTests {
    /// A post from a copy of the browser, so that two can be in flight at once.
    static func post(_ browser: Browser, _ app: Vapor.Application, _ path: String, _ fields: [String: String]) async throws -> TestingHTTPResponse {
        var copy = browser
        return try await copy.post(app, path, fields)
    }

    @Test("操作日志写入失败：提交和现场核查都整体回滚，状态、办理记录、版本、核查记录都不改变")
    func auditFailureChangesNothing() async throws {
        try await withTestApp { app in
            var (enterprise, location) = try await app.readyApplication()
            let before = try await app.footprint(location)
            try await app.withoutAuditTable {
                let refused = try await enterprise.post(app, location + "/submit", [:])
                #expect(refused.status == .internalServerError)
            }
            #expect(try await app.footprint(location) == before)
            #expect(try await StoredApplication.query(on: app.db).first()?.submittedAt == nil)

            #expect(try await enterprise.post(app, location + "/submit", [:]).status == .seeOther)
            let id = String(location.split(separator: "/").last!)
            var reviewer = try await app.staff(.cityReviewer, organisation: "140100", login: "taiyuan")
            let submitted = try await app.footprint(location)
            try await app.withoutAuditTable {
                let refused = try await reviewer.post(app, "/review/applications/\(id)/inspection", [
                    "compliant": "true", "description": "资料与现场一致", "leader": "张伟", "inspectedOn": "2023-10-20",
                ])
                #expect(refused.status == .internalServerError)
            }
            #expect(try await app.footprint(location) == submitted)
            #expect(submitted[0] == ApplicationStatus.submitted.rawValue)
        }
    }

    @Test("同一表单重复提交（双击、刷新、重试）：只办理一次，不写第二条办理记录；并发的两次也只办理一次")
    func idempotentActions() async throws {
        try await withTestApp { app in
            var (enterprise, location) = try await app.readyApplication()
            let page = try await enterprise.get(app, location)
            let key = try #require(page.hidden("requestKey"))
            #expect(try await enterprise.post(app, location + "/submit", ["requestKey": key]).status == .seeOther)
            let again = try await enterprise.post(app, location + "/submit", ["requestKey": key])
            #expect(again.status == .seeOther)
            let id = try #require(UUID(uuidString: String(location.split(separator: "/").last!)))
            #expect(try await ApplicationEvent.query(on: app.db).filter(\.$application.$id == id).filter(\.$toStatus == .submitted).count() == 1)
            #expect(try await ApplicationVersion.query(on: app.db).filter(\.$application.$id == id).count() == 1)

            var reviewer = try await app.staff(.cityReviewer, organisation: "140100", login: "taiyuan")
            let detail = try await reviewer.get(app, "/review/applications/\(id)")
            let inspectionKey = try #require(detail.hidden("requestKey"))
            let form = ["compliant": "true", "description": "资料与现场一致", "leader": "张伟", "inspectedOn": "2023-10-20", "requestKey": inspectionKey]
            let auditsBefore = try await AuditEvent.query(on: app.db).count()
            let signedIn = reviewer
            async let one = Self.post(signedIn, app, "/review/applications/\(id)/inspection", form)
            async let two = Self.post(signedIn, app, "/review/applications/\(id)/inspection", form)
            let statuses = try await [one.status, two.status]
            #expect(statuses == [.seeOther, .seeOther])
            #expect(try await reviewer.post(app, "/review/applications/\(id)/inspection", form).status == .seeOther)
            #expect(try await SiteInspection.query(on: app.db).filter(\.$application.$id == id).count() == 1)
            #expect(try await ApplicationEvent.query(on: app.db).filter(\.$application.$id == id).filter(\.$toStatus == .cityReviewing).count() == 1)
            // One status change and one inspection entry, however many times the form arrived.
            #expect(try await AuditEvent.query(on: app.db).count() == auditsBefore + 2)
        }
    }

    @Test("两个标签页改同一草稿：改不同字段时逐项合并；改同一字段时 409，说明他人已保存，本页已填内容仍在，什么也不覆盖")
    func lostUpdateForm() async throws {
        try await withTestApp { app in
            var (browser, _) = try await app.demoEnterprise()
            let location = try await app.startApplication(&browser, direction: "rd-expense")
            let round = try #require(app.settings.rounds["shanxi-2023-demo"])
            let fields = formFields(try app.example("rd-expense.eligible.json"), round: round)
            #expect(try await browser.post(app, location, fields).status == .seeOther)
            let stale = try #require(try await browser.get(app, location).hidden("revision"))

            var other = fields
            other["revision"] = stale
            other["content.techCenterDocument"] = "晋工信技术字〔2020〕12号"
            #expect(try await browser.post(app, location, other).status == .seeOther)

            var mine = fields
            mine["revision"] = stale
            mine["projectName"] = "研发费用奖励（第二个标签页）"
            let merged = try await browser.post(app, location, mine)
            #expect(merged.status == .seeOther)
            #expect(merged.headers.first(name: .location)?.contains("done=merged") == true)
            let stored = try #require(try await StoredApplication.query(on: app.db).first())
            let document = try stored.application(round: round)
            #expect(document.projectName == "研发费用奖励（第二个标签页）")
            #expect(document.content["techCenterDocument"] == .text("晋工信技术字〔2020〕12号"))

            let revisionBefore = stored.revision
            var clash = fields
            clash["revision"] = stale
            clash["content.techCenterDocument"] = "晋工信技术字〔2021〕99号"
            let refused = try await browser.post(app, location, clash)
            #expect(refused.status == .conflict)
            #expect(refused.body.string.contains("为免覆盖，本次未保存"))
            #expect(refused.body.string.contains("晋工信技术字〔2021〕99号"), "本页已填内容仍在页面上")
            let after = try #require(try await StoredApplication.query(on: app.db).first())
            #expect(after.revision == revisionBefore)
            #expect(try after.application(round: round).content["techCenterDocument"] == .text("晋工信技术字〔2020〕12号"))

            var autosave = clash
            autosave["revision"] = stale
            let background = try await browser.post(app, location + "?autosave=1", autosave)
            #expect(background.status == .conflict)
            let body = try background.content.decode(ApplicationController.AutosaveConflict.self)
            #expect(body.conflict && body.reason.contains("重新载入"))
        }
    }

    @Test("JSON API：ETag 和 If-Match；旧版本上改同一字段 409 并列出字段；不带 If-Match 428")
    func lostUpdateAPI() async throws {
        try await withTestApp { app in
            let demo = DemoCommand.enterprises[0]
            try await DemoCommand.ensure(demo, passwordHash: try await app.password.async.hash(DemoCommand.password), on: app.db)
            _ = try await app.openRound("shanxi-2023-demo")
            var first = APIClient(), second = APIClient()
            try await first.signIn(app, login: demo.creditCode, password: DemoCommand.password)
            try await second.signIn(app, login: demo.creditCode, password: DemoCommand.password)
            let created = try await first.send(app, .POST, "/api/applications", json: Data(#"{"direction":"rd-expense"}"#.utf8))
            let id = try created.content.decode(APIController.Resource.self).id
            let etag = try #require(created.headers.first(name: .eTag))

            var example = try app.example("rd-expense.eligible.json")
            example.round = "shanxi-2023"
            #expect(try await first.send(app, .PUT, "/api/applications/\(id)", json: try JSONEncoder().encode(example)).status == .preconditionRequired)

            var theirs = example
            theirs.projectName = "研发费用奖励（同事改的）"
            let saved = try await second.send(app, .PUT, "/api/applications/\(id)", json: try JSONEncoder().encode(theirs), headers: ["If-Match": etag])
            #expect(saved.status == .ok)
            #expect(saved.headers.first(name: .eTag) != etag)

            var mine = example
            mine.projectName = "研发费用奖励（我改的）"
            let refused = try await first.send(app, .PUT, "/api/applications/\(id)", json: try JSONEncoder().encode(mine), headers: ["If-Match": etag])
            #expect(refused.status == .conflict)
            let conflict = try refused.content.decode(APIController.EditConflictBody.self)
            #expect(conflict.fields == ["projectName"])
            let current = try await first.send(app, .GET, "/api/applications/\(id)")
            #expect(try current.content.decode(APIController.Resource.self).application.projectName == "研发费用奖励（同事改的）")
        }
    }

    @Test("撤回：市里开始审核前，撤回后可修改并重新提交（版本保留）；开始后须申请，市里同意或不同意，都在办理记录中")
    func withdrawal() async throws {
        try await withTestApp { app in
            var (enterprise, location) = try await app.readyApplication()
            let id = String(location.split(separator: "/").last!)
            let applicationID = try #require(UUID(uuidString: id))
            #expect(try await enterprise.post(app, location + "/submit", [:]).status == .seeOther)
            #expect(try await enterprise.post(app, location + "/withdraw", ["reason": "补充数据"]).status == .seeOther)
            let page = try await enterprise.get(app, location)
            #expect(page.body.string.contains("保存草稿"), "撤回后可以修改")
            var reviewer = try await app.staff(.cityReviewer, organisation: "140100", login: "taiyuan")
            #expect(try await reviewer.get(app, "/review").body.string.contains(id), "审核单位在列表中看到撤回")
            #expect(try await reviewer.get(app, "/review/applications/\(id)").body.string.contains("企业撤回：补充数据"))
            #expect(try await enterprise.post(app, location + "/submit", [:]).status == .seeOther)
            #expect(try await ApplicationVersion.query(on: app.db).filter(\.$application.$id == applicationID).count() == 2)

            #expect(try await reviewer.post(app, "/review/applications/\(id)/inspection", [
                "compliant": "true", "description": "资料与现场一致", "leader": "张伟", "inspectedOn": "2023-10-20",
            ]).status == .seeOther)
            let direct = try await enterprise.post(app, location + "/withdraw", [:])
            #expect(direct.status == .unprocessableEntity)
            #expect(direct.body.string.contains("撤回须向审核单位提出申请"))
            #expect(try await enterprise.get(app, location).body.string.contains("申请撤回的理由"))
            #expect(try await enterprise.post(app, location + "/withdrawal-request", ["reason": ""]).status == .unprocessableEntity)
            #expect(try await enterprise.post(app, location + "/withdrawal-request", ["reason": "项目主体变更"]).status == .seeOther)
            let detail = try await reviewer.get(app, "/review/applications/\(id)")
            #expect(detail.body.string.contains("企业申请撤回") && detail.body.string.contains("项目主体变更"))
            #expect(try await reviewer.post(app, "/review/applications/\(id)/withdrawal/refuse", ["comment": ""]).status == .unprocessableEntity)
            #expect(try await reviewer.post(app, "/review/applications/\(id)/withdrawal/refuse", ["comment": "核查已完成，继续审核"]).status == .seeOther)
            #expect(try await StoredApplication.find(applicationID, on: app.db)?.status == .cityReviewing)
            #expect(try await enterprise.post(app, location + "/withdrawal-request", ["reason": "项目主体变更"]).status == .seeOther)
            #expect(try await reviewer.post(app, "/review/applications/\(id)/withdrawal/grant", [:]).status == .seeOther)
            #expect(try await StoredApplication.find(applicationID, on: app.db)?.status == .withdrawn)
            let history = try await ApplicationEvent.query(on: app.db).filter(\.$application.$id == applicationID).sort(\.$createdAt).all().map(\.toStatus)
            #expect(history == [.draft, .submitted, .withdrawn, .submitted, .cityReviewing, .withdrawalRequested, .cityReviewing, .withdrawalRequested, .withdrawn])
        }
    }

    @Test("jigai demo 经同一套服务办理：每次提交有版本，每次变化有办理记录和操作日志")
    func demoGoesThroughServices() async throws {
        try await withTestApp { app in
            let round = try #require(app.settings.rounds["shanxi-2023-demo"])
            _ = try await app.openRound(round.id)
            let hash = try await app.password.async.hash(DemoCommand.password)
            for demo in DemoCommand.enterprises { try await DemoCommand.ensure(demo, passwordHash: hash, on: app.db) }
            #expect(try await DemoCommand.ensureApplications(app: app, round: round) == DemoCommand.applications.count)
            for stored in try await StoredApplication.query(on: app.db).all() {
                let id = try stored.requireID()
                let versions = try await ApplicationVersion.query(on: app.db).filter(\.$application.$id == id).count()
                let submissions = try await ApplicationEvent.query(on: app.db).filter(\.$application.$id == id).filter(\.$toStatus == .submitted).count()
                #expect(versions == submissions)
                #expect(stored.status == .draft ? versions == 0 : versions == 1)
            }
            #expect(Set(try await StoredApplication.query(on: app.db).all().map(\.status)) == [.draft, .submitted, .withdrawn])
            let changes = try await AuditEvent.query(on: app.db).filter(\.$action == AuditLog.Action.statusChanged.rawValue).count()
            #expect(changes == 4, "3 次提交、1 次撤回")
            #expect(try await DemoCommand.ensureApplications(app: app, round: round) == 0, "再运行一次不重复创建")
        }
    }
}
