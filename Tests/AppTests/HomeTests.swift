import Fluent
import Foundation
import PolicyKit
import Testing
import Vapor
import VaporTesting
@testable import App

@Suite("网站：健康检查与首页", .serialized)
struct HomeTests {
    @Test("/healthz 报告状态和所用数据库")
    func health() async throws {
        try await withTestApp { app in
            try await app.testing().test(.GET, "healthz") { response in
                #expect(response.status == .ok)
                #expect(response.headers.contentType == .json)
                let body = try response.content.decode(HealthController.Health.self)
                #expect(body.status == "ok")
                #expect(body.database == expectedDatabase)
                #expect(body.rounds == ["shanxi-2023", "shanxi-2023-demo"])
            }
        }
    }

    @Test("未开放批次时首页说明原因")
    func homeWithoutRound() async throws {
        try await withTestApp { app in
            try await app.testing().test(.GET, "/") { response in
                #expect(response.status == .ok)
                #expect(response.headers.contentType == .html)
                #expect(response.body.string.contains("暂无开放的申报批次"))
            }
        }
    }

    @Test("首页展示批次和完整目录：13 个方向、6 个细分方向、条件、附件4处室和联系人")
    func homeShowsCatalogue() async throws {
        try await withTestApp { app in
            _ = try await app.openRound("shanxi-2023-demo")
            let round = try #require(app.settings.rounds["shanxi-2023-demo"])
            try await app.testing().test(.GET, "/") { response in
                #expect(response.status == .ok)
                let html = response.body.string
                #expect(html.contains("<html lang=\"zh-CN\">"))
                #expect(html.contains("晋工信投资字〔2023〕143号"))
                #expect(html.contains("2027-11-10 23:59"))
                #expect(html.contains("申报中"))
                #expect(html.contains("5 个专项、13 个申报方向（新型工业化载体含 6 个细分方向）"))
                #expect(html.components(separatedBy: "<article class=\"direction\"").count - 1 == 13)
                for (programme, direction) in round.allDirections {
                    #expect(html.contains(programme.name.htmlEscaped))
                    #expect(html.contains("id=\"\(direction.id)\""))
                    #expect(html.contains("href=\"#\(direction.id)\""), "目录链接 \(direction.id)")
                    #expect(html.contains(direction.name.htmlEscaped), "\(direction.name)")
                    #expect(html.contains(direction.scope.htmlEscaped), "\(direction.name) 的申报范围")
                    for sub in direction.subDirections ?? [] {
                        #expect(html.contains("<td>\(sub.name.htmlEscaped)</td>"))
                    }
                    for rule in direction.rules {
                        #expect(html.contains(rule.clauseText.htmlEscaped), "\(rule.id)")
                    }
                    for attachment in direction.attachments ?? [] {
                        #expect(html.contains(attachment.title.htmlEscaped))
                    }
                    for row in direction.routing where row.supplementary == nil {
                        let division = try #require(round.division(row.division))
                        let cells = "<td>\(row.row)</td><td>\(row.label.htmlEscaped)</td><td>\(division.name)</td><td>\(row.contacts.joined(separator: "、"))</td><td>\(row.phone)</td>"
                        #expect(html.contains(cells), "附件4 第 \(row.row) 行")
                    }
                }
                #expect(html.contains("（十三）“白名单”企业奖励"))
                #expect(html.contains("≥ 3 亿元"))
                #expect(html.contains("自通过一致性评价之日起5年内"))
                #expect(html.components(separatedBy: "<script").count - 1 == html.components(separatedBy: "<script src=\"/js/").count - 1, "只允许引用本站脚本文件，不允许内联脚本")
            }
        }
    }

    @Test("截止时间以数据库为准：延期后首页显示新时间，过期显示已截止")
    func deadlineFromDatabase() async throws {
        try await withTestApp { app in
            let record = try await app.openRound("shanxi-2023-demo")
            record.deadline = ISO8601DateFormatter().date(from: "2027-12-01T17:30:00+08:00")!
            try await record.save(on: app.db)
            try await app.testing().test(.GET, "/") { response in
                #expect(response.body.string.contains("2027-12-01 17:30"))
                #expect(response.body.string.contains("申报中"))
            }
            record.deadline = ISO8601DateFormatter().date(from: "2023-11-10T23:59:59+08:00")!
            try await record.save(on: app.db)
            try await app.testing().test(.GET, "/") { response in
                #expect(response.body.string.contains("2023-11-10 23:59"))
                #expect(response.body.string.contains("已截止"))
            }
        }
    }

    @Test("重复开放同一批次不重复建档，保留已延期的截止时间")
    func openingIsIdempotent() async throws {
        try await withTestApp { app in
            let first = try await app.openRound("shanxi-2023-demo")
            let extended = ISO8601DateFormatter().date(from: "2028-01-31T23:59:59+08:00")!
            first.deadline = extended
            try await first.save(on: app.db)
            let second = try await app.openRound("shanxi-2023-demo")
            #expect(second.id == first.id)
            #expect(second.deadline == extended)
            #expect(try await RoundRecord.query(on: app.db).count() == 1)
        }
    }

    @Test("jigai demo 开放演示批次、创建演示账号，重复运行不重复创建")
    func demoCommand() async throws {
        try await withTestApp(environment: Environment(name: "testing", arguments: ["jigai", "demo"])) { app in
            try await app.execute()
            let records = try await RoundRecord.query(on: app.db).all()
            #expect(records.map(\.code) == ["shanxi-2023-demo"])
            #expect(records.first?.deadline == app.settings.rounds["shanxi-2023-demo"]?.deadline)
            #expect(try await Enterprise.query(on: app.db).count() == DemoCommand.enterprises.count)
            try await app.execute()
            #expect(try await Enterprise.query(on: app.db).count() == DemoCommand.enterprises.count)
            #expect(try await User.query(on: app.db).count() == DemoCommand.enterprises.count + DemoCommand.staff.count)
            let applications = try await StoredApplication.query(on: app.db).all()
            #expect(applications.count == DemoCommand.applications.count)
            #expect(Set(applications.map(\.status)) == [.draft, .submitted, .withdrawn])
            for application in applications where application.status != .draft {
                #expect(application.verdict == .eligible, "\(application.direction)")
                let files = try await StoredAttachment.query(on: app.db).filter(\.$application.$id == application.requireID()).all()
                #expect(!files.isEmpty)
                for file in files {
                    let data = try #require(FileManager.default.contents(atPath: app.settings.attachments.url(for: file.sha256).path))
                    #expect(data.starts(with: Array("%PDF-".utf8)))
                }
            }
            var browser = Browser()
            for demo in DemoCommand.enterprises {
                let response = try await browser.post(app, "/login", ["login": demo.creditCode, "password": DemoCommand.password])
                #expect(response.status == .seeOther, "\(demo.name)")
                #expect(CreditCode.validate(demo.creditCode) == .success(demo.creditCode))
            }
            let readme = try String(contentsOfFile: PackageRoot.path + "README.md", encoding: .utf8)
            #expect(readme.contains(DemoCommand.password))
            for demo in DemoCommand.enterprises {
                #expect(readme.contains("| \(demo.name) | \(demo.creditCode) | \(demo.mobile) |"), "README 列出 \(demo.name)")
            }
            for staff in DemoCommand.staff {
                #expect(readme.contains("| \(staff.name) | `\(staff.login)` |"), "README 列出 \(staff.login)")
                #expect(try await browser.post(app, "/login", ["login": staff.login, "password": DemoCommand.password]).status == .seeOther)
            }
        }
    }

    @Test("政策文件有误时启动失败，并指出条目和原因")
    func brokenPolicyStopsStartUp() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jigai-broken-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("Policies"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = try Data(contentsOf: URL(fileURLWithPath: PackageRoot.path + "Policies/shanxi-2023.json"))
        var object = try JSONSerialization.jsonObject(with: original) as! [String: Any]
        object["deadline"] = "下周五"
        try JSONSerialization.data(withJSONObject: object).write(to: folder.appendingPathComponent("Policies/shanxi-2023.json"))
        let app = try await Application.make(.testing)
        app.directory = DirectoryConfiguration(workingDirectory: folder.path + "/")
        await #expect {
            try await configure(app)
        } throws: { error in
            let description = String(describing: error)
            return description.contains("shanxi-2023.json") && description.contains("deadline") && description.contains("下周五")
        }
        try await app.asyncShutdown()
    }
}
