import Fluent
import Foundation
import PolicyKit
import Testing
import Vapor
import VaporTesting
@testable import App

@Suite("JSON API", .serialized)
struct APITests {
    @Test("登录、读批次、发起、按 jigai check 格式保存、自检、提交缺项时逐条返回原因")
    func journey() async throws {
        try await withTestApp { app in
            let demo = DemoCommand.enterprises[0]
            try await DemoCommand.ensure(demo, passwordHash: try await app.password.async.hash(DemoCommand.password), on: app.db)
            _ = try await app.openRound("shanxi-2023-demo")
            var client = APIClient()
            #expect(try await client.send(app, .GET, "/api/me").status == .unauthorized)
            try await client.signIn(app, login: demo.creditCode, password: DemoCommand.password)
            let me = try await client.send(app, .GET, "/api/me")
            #expect(try me.content.decode(APIController.Me.self).enterprise.creditCode == demo.creditCode)
            let round = try await client.send(app, .GET, "/api/round")
            #expect(try round.content.decode(APIController.RoundInfo.self).noticeNumber == "晋工信投资字〔2023〕143号")

            let created = try await client.send(app, .POST, "/api/applications", json: Data(#"{"direction":"revenue-increase"}"#.utf8))
            #expect(created.status == .created)
            let resource = try created.content.decode(APIController.Resource.self)
            #expect(resource.status == .draft)
            #expect(resource.application.projectName == "营收增量奖励（钢铁）")

            var example = try app.example("revenue-increase.eligible.json")
            example.round = "shanxi-2023"
            let saved = try await client.send(app, .PUT, "/api/applications/\(resource.id)", json: try JSONEncoder().encode(example),
                                         headers: ["If-Match": try #require(created.headers.first(name: .eTag))])
            #expect(saved.status == .ok)
            let afterSave = try saved.content.decode(APIController.Resource.self)
            #expect(afterSave.application.enterprise.creditCode == demo.creditCode)
            #expect(afterSave.application.attachments.isEmpty)
            #expect(afterSave.verdict.results.first { $0.ruleId == "revenue.increase" }?.passed == true)
            #expect(afterSave.verdict.routing?.division == "原材料处")

            let refused = try await client.send(app, .POST, "/api/applications/\(resource.id)/submit")
            #expect(refused.status == .unprocessableEntity)
            let reasons = try refused.content.decode(APIController.SubmissionRefused.self)
            #expect(reasons.problems.contains { $0.contains("请上传附件") })

            let list = try await client.send(app, .GET, "/api/applications")
            #expect(try list.content.decode([APIController.ListItem].self).map(\.id) == [resource.id])
        }
    }

    @Test("输入有误：422，逐项给出字段路径和中文原因；不能改方向")
    func invalidDocument() async throws {
        try await withTestApp { app in
            let demo = DemoCommand.enterprises[0]
            try await DemoCommand.ensure(demo, passwordHash: try await app.password.async.hash(DemoCommand.password), on: app.db)
            _ = try await app.openRound("shanxi-2023-demo")
            var client = APIClient()
            try await client.signIn(app, login: demo.mobile, password: DemoCommand.password)
            let created = try await client.send(app, .POST, "/api/applications", json: Data(#"{"direction":"rd-expense"}"#.utf8))
            let id = try created.content.decode(APIController.Resource.self).id
            let bad = Data(#"{"round":"shanxi-2023","direction":"rd-expense","content":{"deductibleRD2022":"两千万","techCenterLevel":"区级"}}"#.utf8)
            let response = try await client.send(app, .PUT, "/api/applications/\(id)", json: bad, headers: ["If-Match": "\"0\""])
            #expect(response.status == .unprocessableEntity)
            let invalid = try response.content.decode(APIController.Invalid.self)
            #expect(Set(invalid.problems.map(\.path)) == ["content.deductibleRD2022", "content.techCenterLevel"])
            #expect(invalid.problems.allSatisfy { $0.message.unicodeScalars.contains { $0.value >= 0x4E00 } })
            let other = Data(#"{"round":"shanxi-2023","direction":"whitelist"}"#.utf8)
            let moved = try await client.send(app, .PUT, "/api/applications/\(id)", json: other, headers: ["If-Match": "\"0\""])
            #expect(try moved.content.decode(APIController.Invalid.self).problems.map(\.path) == ["direction"])
        }
    }

    @Test("没有 CSRF 头的写操作被拒绝；他人的申报 404；未登录 401")
    func refusals() async throws {
        try await withTestApp { app in
            for demo in DemoCommand.enterprises.prefix(2) {
                try await DemoCommand.ensure(demo, passwordHash: try await app.password.async.hash(DemoCommand.password), on: app.db)
            }
            _ = try await app.openRound("shanxi-2023-demo")
            var owner = APIClient()
            try await owner.signIn(app, login: DemoCommand.enterprises[0].creditCode, password: DemoCommand.password)
            let created = try await owner.send(app, .POST, "/api/applications", json: Data(#"{"direction":"rd-expense"}"#.utf8))
            let id = try created.content.decode(APIController.Resource.self).id
            let noToken = try await owner.send(app, .POST, "/api/applications", json: Data(#"{"direction":"rd-expense"}"#.utf8), csrfHeader: false)
            #expect(noToken.status == .forbidden)
            #expect(noToken.headers.contentType == .json)
            var other = APIClient()
            try await other.signIn(app, login: DemoCommand.enterprises[1].creditCode, password: DemoCommand.password)
            for (method, path) in [(HTTPMethod.GET, "/api/applications/\(id)"), (.PUT, "/api/applications/\(id)"), (.POST, "/api/applications/\(id)/submit"),
                                   (.POST, "/api/applications/\(id)/withdraw")] {
                let response = try await other.send(app, method, path, json: Data("{}".utf8))
                #expect(response.status == .notFound, "\(method) \(path)")
            }
            var anonymous = APIClient()
            #expect(try await anonymous.send(app, .GET, "/api/applications").status == .unauthorized)
            let wrong = try await anonymous.send(app, .POST, "/api/session", json: Data(#"{"login":"13934561234","password":"nope"}"#.utf8), csrfHeader: false)
            #expect(wrong.status == .forbidden)
        }
    }

    @Test("OpenAPI 文件列出每个 API 路由")
    func openAPIDocumentsEveryRoute() async throws {
        try await withTestApp { app in
            let document = try String(contentsOfFile: PackageRoot.path + "docs/openapi.yaml", encoding: .utf8)
            let routes = app.routes.all.filter { $0.path.first?.description == "api" }
            #expect(routes.count >= 13)
            for route in routes {
                let path = "/" + route.path.map { component -> String in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/")
                let lines = document.components(separatedBy: "\n")
                let start = try #require(lines.firstIndex(of: "  \(path):"), "\(path) 未写入 docs/openapi.yaml")
                let block = lines[(start + 1)...].prefix { !$0.hasPrefix("  /") }
                #expect(block.contains("    \(route.method.rawValue.lowercased()):"), "\(route.method.rawValue) \(path) 未写入 docs/openapi.yaml")
            }
        }
    }
}
