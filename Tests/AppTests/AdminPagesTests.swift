import CXlsxWriter
import Fluent
import Foundation
import PolicyKit
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import App

@Suite("管理员：失信名单、冲突报告、统计、操作日志", .serialized)
struct AdminPagesTests {
    @Test("导入 CSV 失信名单：审核列表标“失信”，审核页警示并写明名单，自检不符合；管理员页列出受影响申报；可删除；均写入日志")
    func importCSV() async throws {
        try await withTestApp { app in
            let (_, location) = try await app.submittedApplication(enterprise: 0)
            let id = String(location.split(separator: "/").last!)
            var admin = try await app.staff(.admin, organisation: nil, login: "admin")
            var city = try await app.staff(.cityReviewer, organisation: "140100", login: "taiyuan")
            #expect(!(try await city.get(app, "/review")).body.string.contains("tag-blacklisted"))

            let imported = try await admin.postFile(app, "/admin/blacklists", fileName: "山西失信名单.csv", data: Data(BlacklistSample.csv.utf8),
                                                    fields: ["source": "国家企业信用信息公示系统严重违法失信企业名单"])
            #expect(imported.status == .seeOther)
            #expect(imported.headers.first(name: .location) == "/admin/blacklists?done=imported")
            let entries = try await BlacklistEntry.query(on: app.db).all()
            #expect(entries.count == 2)
            #expect(entries.first { $0.creditCode == "914403001922038216" }?.source == "国家企业信用信息公示系统严重违法失信企业名单")

            let page = try await admin.get(app, "/admin/blacklists")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("山西失信名单.csv"))
            #expect(page.body.string.contains("受影响的申报（共 1 份）"))
            #expect(page.body.string.contains("href=\"/review/applications/\(id)\""))

            let list = try await city.get(app, "/review")
            let row = try #require(list.body.string.components(separatedBy: "<tr>").first { $0.contains(id) })
            #expect(row.contains("失信</span>"))
            let detail = try await city.get(app, "/review/applications/\(id)")
            #expect(detail.body.string.contains("列入“信用中国（山西）失信黑名单”，不得申报"))
            #expect(detail.body.string.contains("<li class=\"rule-fail\">统一社会信用代码 \(BlacklistSample.steel.creditCode) 列入信用中国（山西）失信黑名单，不得申报"))

            let event = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == AuditLog.Action.blacklistImported.rawValue).first())
            #expect(event.after?.contains("山西失信名单.csv，2 条") == true)
            // The stored self-check status the lists and statistics read follows the list too.
            let applicationID = try #require(UUID(uuidString: id))
            #expect(try await StoredApplication.find(applicationID, on: app.db)?.verdict == .ineligible)

            // Removing the steel company's entry clears the flag everywhere; the other entry stays.
            let importID = entries[0].importID.uuidString
            let steelEntry = try #require(entries.first { $0.creditCode == BlacklistSample.steel.creditCode })
            #expect((try await admin.get(app, "/admin/blacklists/\(importID)")).body.string.contains("华为技术有限公司"))
            #expect(try await admin.post(app, "/admin/blacklists/\(importID)/entries/\(steelEntry.id!)/delete", [:]).status == .seeOther)
            #expect(try await BlacklistEntry.query(on: app.db).count() == 1)
            #expect(!(try await city.get(app, "/review")).body.string.contains("tag-blacklisted"))
            #expect((try await city.get(app, "/review/applications/\(id)")).body.string.contains("未列入失信名单"))
            #expect(try await StoredApplication.find(applicationID, on: app.db)?.verdict == .eligible)
            #expect(try await admin.post(app, "/admin/blacklists/\(importID)/delete", [:]).status == .seeOther)
            #expect(try await BlacklistEntry.query(on: app.db).count() == 0)
            #expect((try await admin.get(app, "/admin/blacklists")).body.string.contains("尚未导入失信名单"))
            let removals = try await AuditEvent.query(on: app.db).filter(\.$action == AuditLog.Action.blacklistRemoved.rawValue).sort(\.$sequence).all()
            #expect(removals.map(\.before) == ["\(BlacklistSample.steel.creditCode) \(BlacklistSample.steel.name)（信用中国（山西）失信黑名单，文件 山西失信名单.csv）",
                                               "文件 山西失信名单.csv，1 条"])
        }
    }

    @Test("CSV 有多行错误：逐行报告、422、保留文件名、一条也不导入")
    func csvErrors() async throws {
        try await withTestApp { app in
            var admin = try await app.staff(.admin, organisation: nil, login: "admin")
            let csv = "统一社会信用代码,企业名称\n914403001922038216,华为技术有限公司\n91330100716105852X,校验位错误\n,缺代码\n914403001922038216,重复\n"
            let response = try await admin.postFile(app, "/admin/blacklists", fileName: "有误的名单.csv", data: Data(csv.utf8))
            #expect(response.status == .unprocessableEntity)
            let html = response.body.string
            #expect(html.contains("文件“有误的名单.csv”：文件中有 3 行有误，未导入任何条目"))
            #expect(html.contains("第 3 行：统一社会信用代码校验位错误"))
            #expect(html.contains("第 4 行：缺少统一社会信用代码"))
            #expect(html.contains("第 5 行：统一社会信用代码 914403001922038216 与第 2 行重复"))
            #expect(try await BlacklistEntry.query(on: app.db).count() == 0)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == AuditLog.Action.blacklistImported.rawValue).count() == 0)
            let binary = try await admin.postFile(app, "/admin/blacklists", fileName: "名单.csv", data: Data([0xB2, 0xE2, 0xCA, 0xD4, 0xFF]))
            #expect(binary.status == .unprocessableEntity)
            #expect(binary.body.string.contains("文件不是 UTF-8 编码的 CSV"))
            let broken = try await admin.postFile(app, "/admin/blacklists", fileName: "损坏.xlsx", data: Data([0x50, 0x4B, 0x03, 0x04, 0x00, 0x01]))
            #expect(broken.status == .unprocessableEntity)
            #expect(broken.body.string.contains("文件不是有效的 xlsx 工作簿"))
        }
    }

    @Test("导入 xlsx：错误行逐行报告不导入；改正后导入，名单中的企业申报被标记")
    func importXLSX() async throws {
        try await withTestApp { app in
            let (_, location) = try await app.submittedApplication(enterprise: 0)
            let id = String(location.split(separator: "/").last!)
            var admin = try await app.staff(.admin, organisation: nil, login: "admin")
            let header = ["统一社会信用代码", "企业名称", "名单来源"]
            let bad = try xlsx([header, ["91330100716105852X", "校验位错误", ""], [BlacklistSample.steel.creditCode, BlacklistSample.steel.name, ""],
                                ["", "缺代码", "信用中国（山西）失信黑名单"]])
            let refused = try await admin.postFile(app, "/admin/blacklists", fileName: "名单.xlsx", data: bad)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("文件“名单.xlsx”：文件中有 2 行有误"))
            #expect(refused.body.string.contains("第 2 行：统一社会信用代码校验位错误"))
            #expect(refused.body.string.contains("第 4 行：缺少统一社会信用代码"))
            #expect(try await BlacklistEntry.query(on: app.db).count() == 0)

            let good = try xlsx([header, [BlacklistSample.steel.creditCode, BlacklistSample.steel.name, "国家企业信用信息公示系统严重违法失信企业名单"]])
            #expect(try await admin.postFile(app, "/admin/blacklists", fileName: "名单.xlsx", data: good).status == .seeOther)
            let entry = try #require(try await BlacklistEntry.query(on: app.db).first())
            #expect(entry.creditCode == BlacklistSample.steel.creditCode)
            #expect(entry.name == BlacklistSample.steel.name)
            let page = try await admin.get(app, "/admin/blacklists")
            #expect(page.body.string.contains("href=\"/review/applications/\(id)\""))
            #expect(page.body.string.contains("国家企业信用信息公示系统严重违法失信企业名单"))
            let detail = try await admin.get(app, "/review/applications/\(id)")
            #expect(detail.body.string.contains("列入“国家企业信用信息公示系统严重违法失信企业名单”"))
        }
    }

    @Test("冲突报告：同一企业同一年度重复申报同一方向，列出涉及的申报及链接；已撤回的不计")
    func conflicts() async throws {
        try await withTestApp { app in
            let (_, location) = try await app.submittedApplication(enterprise: 0)
            let original = try #require(try await StoredApplication.find(UUID(uuidString: String(location.split(separator: "/").last!)), on: app.db))
            var copies: [StoredApplication] = []
            for status in [ApplicationStatus.cityReviewing, .withdrawn] {
                let copy = StoredApplication()
                copy.$enterprise.id = original.$enterprise.id
                copy.roundCode = original.roundCode
                copy.direction = original.direction
                copy.projectName = original.projectName
                copy.document = original.document
                copy.status = status
                copy.revision = 0
                copy.submittedAt = Date()
                try await copy.create(on: app.db)
                copies.append(copy)
            }
            var admin = try await app.staff(.admin, organisation: nil, login: "admin")
            let page = try await admin.get(app, "/admin/conflicts")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("全部 2 份申报"))
            #expect(html.contains("发现 1 处冲突"))
            #expect(html.contains("太原示例钢铁有限公司在2022年度重复申报同一方向"))
            #expect(html.contains("依据：附件2 一（二）"))
            #expect(html.contains("href=\"/review/applications/\(original.id!)\""))
            #expect(html.contains("href=\"/review/applications/\(copies[0].id!)\""))
            #expect(!html.contains(copies[1].id!.uuidString))
            // Without the duplicate there is nothing to report.
            try await copies[0].delete(on: app.db)
            #expect((try await admin.get(app, "/admin/conflicts")).body.string.contains("未发现冲突"))
        }
    }

    @Test("统计：数量和申请金额与已提交的申报一致，数字链接到同样条数的审核列表，可按维度筛选")
    func statistics() async throws {
        try await withTestApp { app in
            let (_, first) = try await app.submittedApplication(enterprise: 0)
            _ = try await app.submittedApplication(enterprise: 0, direction: "revenue-increase", example: "revenue-increase.eligible.json")
            var (enterprise, _) = try await app.demoEnterprise(1)
            _ = try await app.startApplication(&enterprise, direction: "consumer-increase")
            let stored = try #require(try await StoredApplication.find(UUID(uuidString: String(first.split(separator: "/").last!)), on: app.db))
            let industry = try #require(stored.industry)
            #expect(stored.requestedAmountUnits == FixedDecimal(300).units)
            var admin = try await app.staff(.admin, organisation: nil, login: "admin")
            let page = try await admin.get(app, "/admin/statistics")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("<a href=\"/review\">2 份</a>"))
            #expect(html.contains("<a href=\"/review\">600.00 万元</a>"))
            #expect(html.contains("<svg"))
            #expect(html.contains("太原市工信局"))
            // The layout's external script is the only one: the charts are plain SVG.
            #expect(html.components(separatedBy: "<script").count == 2)
            // Every linked number is the row count of the list behind it.
            let links = try html.matches(of: Regex(#"<td><a href="(/review\?[^"]+)">(\d+)</a></td>"#)).map { (String($0.output[1].substring!), Int($0.output[2].substring!)!) }
            #expect(links.count >= 5)
            for (href, count) in links {
                let list = try await admin.get(app, href.replacingOccurrences(of: "&amp;", with: "&"))
                #expect(list.body.string.contains("共 \(count) 条"), "\(href)")
            }
            let authority = try await admin.get(app, "/review?authority=140100")
            #expect(authority.body.string.contains("共 2 条"))
            let byIndustry = try await admin.get(app, "/review?industry=\(industry.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
            #expect(byIndustry.body.string.contains("共 2 条"))
            let filtered = try await admin.get(app, "/admin/statistics?direction=rd-expense")
            #expect(filtered.body.string.contains("<a href=\"/review?direction=rd-expense\">1 份</a>"))
            #expect(filtered.body.string.contains("300.00 万元"))
            let none = try await admin.get(app, "/admin/statistics?authority=140200")
            #expect(none.body.string.contains("0 份"))

            // Applications saved before the columns existed get them from their documents, updated_at untouched.
            let sql = try #require(app.db as? any SQLDatabase)
            try await sql.update(StoredApplication.schema).set("industry", to: SQLLiteral.null).set("requested_amount", to: SQLLiteral.null).run()
            try await UpdateApplicationStatistics.fill(on: app.db)
            let filled = try #require(try await StoredApplication.find(stored.id, on: app.db))
            #expect(filled.industry == industry)
            #expect(filled.requestedAmountUnits == FixedDecimal(300).units)
            #expect(filled.updatedAt == stored.updatedAt)
        }
    }

    @Test("操作日志：按操作、操作人、对象、日期筛选，新的在前，分页；显示哈希链校验结果；导出写入日志")
    func audit() async throws {
        try await withTestApp { app in
            _ = try await app.openRound("shanxi-2023-demo")
            var admin = try await app.staff(.admin, organisation: nil, login: "admin")
            _ = try await app.staff(.cityReviewer, organisation: "140100", login: "taiyuan")
            #expect(try await admin.post(app, "/admin/round/deadline", ["deadline": "2027-12-31T23:59", "reason": "系统维护"]).status == .seeOther)
            let all = try await admin.get(app, "/admin/audit")
            #expect(all.status == .ok)
            // Opening the round (from the command line, as the test does) is the first entry.
            #expect(all.body.string.contains("哈希链校验通过：全部 4 条记录完整"))
            #expect(all.body.string.contains("共 4 条"))
            let html = all.body.string
            let newest = try #require(html.range(of: "<td>延长截止时间</td>"))
            let oldest = try #require(html.range(of: "<td>登录成功</td>"))
            #expect(newest.lowerBound < oldest.lowerBound)

            let byAction = try await admin.get(app, "/admin/audit?action=\(Browser.encode("登录成功"))")
            #expect(byAction.body.string.contains("共 2 条"))
            #expect(!byAction.body.string.contains("<td>延长截止时间</td>"))
            let byActor = try await admin.get(app, "/admin/audit?actor=taiyuan")
            #expect(byActor.body.string.contains("共 1 条"))
            let round = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == AuditLog.Action.deadlineExtended.rawValue).first())
            let byObject = try await admin.get(app, "/admin/audit?object=\(Browser.encode(round.objectID!))")
            #expect(byObject.body.string.contains("共 2 条"))
            #expect(byObject.body.string.contains("<td>延长截止时间</td>") && byObject.body.string.contains("<td>开启申报批次</td>"))
            let today = DateText.day(Date(), timeZone: "Asia/Shanghai")
            #expect((try await admin.get(app, "/admin/audit?from=\(today)&to=\(today)")).body.string.contains("共 4 条"))
            #expect((try await admin.get(app, "/admin/audit?from=2099-01-01")).body.string.contains("共 0 条"))
            #expect((try await admin.get(app, "/admin/audit?to=昨天")).body.string.contains("请按 2023-11-10 的格式填写日期"))

            let export = try await admin.get(app, "/admin/audit/export?action=\(Browser.encode("登录成功"))")
            #expect(export.status == .ok)
            #expect(export.headers.contentType?.subType == "csv")
            #expect(export.body.string.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 3)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action == AuditLog.Action.export.rawValue).filter(\.$objectType == "操作日志").count() == 1)

            // A changed record shows on the page.
            round.after = "2030-01-01 00:00"
            try await round.save(on: app.db)
            #expect((try await admin.get(app, "/admin/audit")).body.string.contains("哈希链校验未通过"))
        }
    }
}
