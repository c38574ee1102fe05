import Fluent
import Foundation
import PolicyKit
import Testing
import Vapor
import VaporTesting
@testable import App

/// This year's round still in review while next year's takes applications, in one database.
@Suite("两个批次同在一个数据库", .serialized)
struct TwoRoundsTests {
    static let nextYear = URL(fileURLWithPath: PackageRoot.path + "Tests/Rounds/shanxi-2024.json")

    @Test("2024 批次开启后：企业按 2024 的方向和条件申报；列表、接口、统计可按批次筛选并注明批次；汇总表一次一个批次，填表说明随批次；冲突报告列出两个批次的规则")
    func sideBySide() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jigai-two-rounds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("Policies"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["shanxi-2023.json", "shanxi-2023-demo.json"] {
            try FileManager.default.copyItem(at: URL(fileURLWithPath: PackageRoot.path + "Policies/\(name)"), to: folder.appendingPathComponent("Policies/\(name)"))
        }
        try FileManager.default.copyItem(at: Self.nextYear, to: folder.appendingPathComponent("Policies/shanxi-2024.json"))

        try await withTestApp(workingDirectory: folder.path + "/") { app in
            var (enterprise, _) = try await app.submittedApplication()
            let lifecycle = RoundLifecycle(database: app.db, catalog: app.settings.rounds, cryptography: app.settings.cryptography, actor: nil, address: nil)
            _ = try await lifecycle.open("shanxi-2024", deadline: DeadlineRules.parse("2027-11-08 23:59", timeZone: "Asia/Shanghai"))
            let next = try #require(app.settings.rounds["shanxi-2024"])

            let choose = try await enterprise.get(app, "/enterprise/applications/new")
            #expect(choose.body.string.contains("工业互联网平台"))
            #expect(!choose.body.string.contains("智能制造诊断"))
            let location = try await app.startApplication(&enterprise, direction: "industrial-internet-platform")
            let example = try ApplicationReader.read(Data(contentsOf: URL(fileURLWithPath: PackageRoot.path + "Tests/Rounds/applications/industrial-internet-platform.eligible.json")), round: next)
            #expect(try await enterprise.post(app, location, formFields(example, round: next)).status == .seeOther)
            let spec = try #require(next.directionSpec("industrial-internet-platform", subDirection: nil))
            for item in next.attachments(for: spec) where item.source == .upload && item.isRequired {
                #expect(try await enterprise.upload(app, location, item: item.id, fileName: "\(item.id).pdf", data: Fixtures.pdf(pages: 1)).status == .seeOther)
            }
            let form = try await enterprise.get(app, location)
            #expect(form.body.string.contains("符合工业互联网平台申报条件"), "自检按 2024 批次的条件")
            #expect(form.body.string.contains("2023年财务审计报告"))
            #expect(try await enterprise.post(app, location + "/submit", [:]).status == .seeOther)
            let stored = try await StoredApplication.query(on: app.db).sort(\.$createdAt).all()
            #expect(stored.map(\.roundCode) == ["shanxi-2023-demo", "shanxi-2024"])
            let mine = try await enterprise.get(app, "/enterprise")
            #expect(mine.body.string.contains("工业互联网平台<div class=\"muted\">晋工信投资字〔2024〕88号</div>"))
            #expect(mine.body.string.contains("研发费用奖励<div class=\"muted\">晋工信投资字〔2023〕143号</div>"))

            var admin = try await app.staff(.admin, organisation: nil, login: "admin")
            let all = try await admin.get(app, "/review")
            #expect(all.body.string.contains("<select id=\"round\" name=\"round\">"))
            #expect(all.body.string.contains("晋工信投资字〔2024〕88号") && all.body.string.contains("晋工信投资字〔2023〕143号"))
            let onlyNext = try await admin.get(app, "/review?round=shanxi-2024")
            #expect(onlyNext.body.string.components(separatedBy: ">审核</a>").count - 1 == 1)
            #expect(onlyNext.body.string.contains("工业互联网平台<div class=\"muted\">晋工信投资字〔2024〕88号</div>"))
            #expect(all.body.string.components(separatedBy: ">审核</a>").count - 1 == 2)
            var client = APIClient(browser: admin)
            let api = try await client.send(app, .GET, "/api/review/applications?round=shanxi-2023-demo")
            let page = try JSONSerialization.jsonObject(with: Data(buffer: api.body)) as! [String: Any]
            #expect((page["items"] as! [[String: Any]]).map { $0["round"] as? String } == ["shanxi-2023-demo"])
            let statistics = try await admin.get(app, "/admin/statistics")
            #expect(statistics.body.string.contains("按申报批次"))
            #expect((try await admin.get(app, "/admin/statistics?round=shanxi-2024")).body.string.contains("<dt>申报数量</dt><dd><a href=\"/review?round=shanxi-2024\">1 份</a>"))

            let conflicts = try await admin.get(app, "/admin/conflicts")
            #expect(conflicts.body.string.contains("同一工业互联网平台只奖励1次"), "2024 批次新增的跨申报规则")
            #expect(conflicts.body.string.contains("同一年度新增试点示范只奖励1项"))

            for application in stored {
                application.status = .cityApproved
                try await application.save(on: app.db)
            }
            let (sheet2023, _) = try await AuthoritySummary.sheet(authority: "太原市", roundID: "shanxi-2023-demo", app: app)
            #expect(sheet2023.rows.map(\.direction) == ["研发费用奖励"])
            #expect(sheet2023.instructions.joined().contains("2022年6至12月、或2023年1至3月"))
            let (current, round) = try await AuthoritySummary.sheet(authority: "太原市", app: app)
            #expect(round.id == "shanxi-2024", "默认最近开启的批次")
            #expect(current.rows.map(\.direction) == ["工业互联网平台"])
            #expect(current.instructions.joined().contains("2023年6至12月、或2024年1至3月"))
            #expect(!current.instructions.joined().contains("智能制造诊断"))

            var city = try await app.staff(.cityReviewer, organisation: "140100", login: "taiyuan")
            let candidates = try await city.get(app, "/review/forwarding")
            #expect(candidates.status == .ok)
            var both = ["opinion": "同意报送"]
            for application in stored { both["application.\(try application.requireID().uuidString)"] = "on" }
            let mixed = try await city.post(app, "/review/forwarding", both)
            #expect(mixed.status == .unprocessableEntity)
            #expect(mixed.body.string.contains("一个汇总批次只能包含同一申报批次的申报"))
            #expect(try await Forwarding.query(on: app.db).count() == 0)
            let one = try await city.post(app, "/review/forwarding", ["opinion": "同意报送", "application.\(try stored[1].requireID().uuidString)": "on"])
            #expect(one.status == .seeOther)

            let whatIf = try await admin.get(app, "/admin/round/simulate?draft=shanxi-2024&from=shanxi-2023-demo")
            #expect(whatIf.status == .ok)
            #expect(whatIf.body.string.contains("按 晋工信投资字〔2024〕88号（shanxi-2024）的条件重新判断 晋工信投资字〔2023〕143号（shanxi-2023-demo）已提交的申报"))
            #expect(whatIf.body.string.contains("<tr><td>研发费用奖励</td><td>1</td><td>1</td><td>1</td><td>0</td>"), "\(whatIf.body.string)")
            #expect((try await admin.get(app, "/admin/round/simulate?draft=shanxi-2019")).status == .notFound)
            #expect((try await enterprise.get(app, "/admin/round/simulate?draft=shanxi-2024")).status == .forbidden)
        }
    }
}
