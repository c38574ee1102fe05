import Fluent
import Foundation
import PolicyKit
import Spawn
import Testing
import Vapor
@testable import App

@Suite("jigai summary：审核单位的申报汇总表（附件3）", .serialized)
struct SummaryCommandTests {
    /// One application as this test stores it, and the cells its row must show.
    struct Case {
        var example: String
        var name: String
        var city: String
        var county: String
        var zone: String
        var ownership: String
        var category: String
        var industry: String
        var contact: String
        var mobile: String
        var status: ApplicationStatus
        var submitted: Date
        /// 所在市 … 项目联系人及手机 as printed.
        var cells: [String]
    }

    static let cases = [
        Case(example: "rd-expense.eligible.json", name: "晋源精密机械有限公司", city: "140100", county: "140110", zone: "", ownership: "民营企业",
             category: "战略性新兴产业", industry: "高端装备制造", contact: "李强", mobile: "13934560001", status: .forwarded,
             submitted: Date(timeIntervalSince1970: 1_697_000_000),
             cells: ["太原市", "晋源区", "", "晋源精密机械有限公司", "技术创新牵引专项", "研发费用奖励", "研发费用奖励", "民营企业", "战略性新兴产业",
                     "高端装备制造", "李强 13934560001"]),
        Case(example: "whitelist-2022-h2-tier-2.eligible.json", name: "小店电子科技有限公司", city: "140100", county: "140105", zone: "太原经济技术开发区",
             ownership: "地方国企", category: "战略性新兴产业", industry: "电子信息", contact: "周敏", mobile: "13934560002", status: .cityApproved,
             submitted: Date(timeIntervalSince1970: 1_696_000_000),
             cells: ["太原市", "小店区", "太原经济技术开发区", "小店电子科技有限公司", "企业增量提质专项", "“白名单”企业奖励",
                     "“白名单”企业奖励（2022年6至12月）", "地方国企", "战略性新兴产业", "电子信息", "周敏 13934560002"]),
        // Not yet approved by the city: not on the sheet.
        Case(example: "rd-expense.eligible.json", name: "尚在审核有限公司", city: "140100", county: "140110", zone: "", ownership: "民营企业",
             category: "传统优势产业", industry: "钢铁", contact: "吴刚", mobile: "13934560003", status: .cityReviewing,
             submitted: Date(timeIntervalSince1970: 1_695_000_000), cells: []),
        // Another city's: not on 太原市's sheet.
        Case(example: "rd-expense.eligible.json", name: "大同示例食品有限公司", city: "140200", county: "140213", zone: "", ownership: "地方国企",
             category: "传统优势产业", industry: "食品", contact: "赵丽", mobile: "13934560004", status: .forwarded,
             submitted: Date(timeIntervalSince1970: 1_694_000_000), cells: []),
    ]

    func store(_ item: Case, app: Vapor.Application, enterpriseID: UUID) async throws {
        let round = try #require(app.settings.rounds["shanxi-2023-demo"])
        var application = try app.example(item.example)
        application.round = round.id
        application.enterprise.name = item.name
        application.enterprise.city = item.city
        application.enterprise.county = item.county
        application.enterprise.zone = item.zone
        application.enterprise.inTransformationZone = false
        application.enterprise.ownership = item.ownership
        application.enterprise.industryCategory = item.category
        application.enterprise.industry = item.industry
        application.contact = Contact(name: item.contact, mobile: item.mobile)
        let stored = try StoredApplication(enterpriseID: enterpriseID, application: application)
        try stored.refresh(with: application, round: round, engine: EligibilityEngine(round: round), blacklist: .empty)
        stored.status = item.status
        stored.submittedAt = item.submitted
        try await stored.create(on: app.db)
    }

    /// Runs the built `jigai` on the test's database, as an operator would on the server's.
    func jigai(_ app: Vapor.Application, _ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let outcome = try ChildProcess.runSynchronously(app.settings.reports.executable.path, arguments,
                                                        environment: ReportBuilder.childEnvironment(app.settings))
        return (outcome.exitCode ?? -1, outcome.text, outcome.errorText)
    }

    static func tool(_ path: String, _ arguments: [String]) throws -> String {
        try ChildProcess.runSynchronously(path, arguments).text
    }

    /// The first worksheet's cells by reference ("B4"), shared strings resolved, from the unzipped workbook.
    static func cells(of xlsx: URL) throws -> [String: String] {
        func unescape(_ text: String) -> String {
            text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
        }
        func matches(_ pattern: String, in text: String) throws -> [[String]] {
            try NSRegularExpression(pattern: pattern).matches(in: text, range: NSRange(text.startIndex..., in: text)).map { match in
                (1..<match.numberOfRanges).map { Range(match.range(at: $0), in: text).map { String(text[$0]) } ?? "" }
            }
        }
        // Strings are shared, or inline in a workbook written row by row (constant memory).
        let strings = (try (try? tool("/usr/bin/unzip", ["-p", xlsx.path, "xl/sharedStrings.xml"])).map { try matches(#"<si><t[^>]*>([^<]*)</t></si>"#, in: $0) } ?? [])
            .map { unescape($0[0]) }
        var cells: [String: String] = [:]
        let sheet = try tool("/usr/bin/unzip", ["-p", xlsx.path, "xl/worksheets/sheet1.xml"])
        for cell in try matches(#"<c r="([A-Z]+[0-9]+)"([^>]*)>(?:<v>([^<]*)</v>|<is><t[^>]*>([^<]*)</t></is>)?</c>"#, in: sheet) {
            cells[cell[0]] = cell[1].contains("t=\"s\"") ? strings[Int(cell[2])!] : cell[1].contains("inlineStr") ? unescape(cell[3]) : cell[2]
        }
        return cells
    }

    @Test("太原市：审核通过和已报省厅的申报按提交顺序列出；Excel 单元格与 PDF 内容与数据一致")
    func taiyuan() async throws {
        try await withTestApp { app in
            let enterprise = Enterprise(creditCode: DemoCommand.enterprises[0].creditCode, name: "汇总测试", contactName: "测试", mobile: "13934569999")
            try await enterprise.create(on: app.db)
            try await RoundRegistry(database: app.db, catalog: app.settings.rounds).open(try #require(app.settings.rounds["shanxi-2023-demo"]), cryptography: app.settings.cryptography)
            for item in Self.cases { try await store(item, app: app, enterpriseID: try enterprise.requireID()) }

            let folder = URL(fileURLWithPath: app.settings.dataDirectory).appendingPathComponent("export")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let xlsx = folder.appendingPathComponent("太原市申报汇总表.xlsx")
            let run = try jigai(app, ["summary", "--authority", "太原市", "-o", xlsx.path, "--pdf"])
            #expect(run.status == 0, "\(run.errors)")
            #expect(run.output.contains("太原市工信局申报汇总表（shanxi-2023-demo，晋工信投资字〔2023〕143号）：2 份申报"))

            let cells = try Self.cells(of: xlsx)
            #expect(cells["A1"] == "山西省技术改造专项资金奖励项目申报汇总表")
            #expect(cells["A2"] == "审核单位（公章）：太原市工信局")
            #expect((0..<12).map { cells["\(Character(UnicodeScalar(65 + $0)!))3"] ?? "" } == [
                "序号", "所在市", "所在县", "所在开发区", "企业（单位）名称", "申报专项", "申报方向", "项目名称", "企业（单位）性质", "行业分类", "所属行业", "项目联系人及手机"])
            // Earlier submission first: the 白名单 application, then 研发费用.
            for (row, item) in [(4, Self.cases[1]), (5, Self.cases[0])] {
                let printed = (1..<12).map { cells["\(Character(UnicodeScalar(65 + $0)!))\(row)"] ?? "" }
                #expect(cells["A\(row)"] == String(row - 3))
                #expect(printed == item.cells, "第 \(row) 行")
            }
            #expect(cells["E6"] == nil, "只有两行数据")
            #expect(!cells.values.contains { $0.contains("尚在审核有限公司") || $0.contains("大同示例食品有限公司") })

            let pdf = folder.appendingPathComponent("太原市申报汇总表.pdf")
            // In content order (-raw), so that each table cell reads as one piece however it wraps.
            let text = try Self.tool("/usr/bin/pdftotext", ["-raw", "-enc", "UTF-8", pdf.path, "-"])
            let compact = String(text.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) }.map(Character.init))
            #expect(compact.hasPrefix("山西省技术改造专项资金奖励项目申报汇总表审核单位（公章）：太原市工信局"))
            #expect(compact.contains("小店电子科技有限公司") && compact.contains("晋源精密机械有限公司"))
            #expect(!compact.contains("尚在审核有限公司") && !compact.contains("大同示例食品有限公司"))
            let size = try Self.tool("/usr/bin/pdfinfo", [pdf.path]).split(separator: "\n").first { $0.hasPrefix("Page size:") }
                .map { $0.split(separator: " ").compactMap { Double($0) } } ?? []
            #expect(size.count == 2 && size[0] > size[1], "横向 A4：\(size)")

            let unknown = try jigai(app, ["summary", "--authority", "北京市", "-o", folder.appendingPathComponent("x.xlsx").path])
            #expect(unknown.status == 2)
            #expect(unknown.errors.contains("没有审核单位“北京市”；可选：太原市、"))
            let unknownRound = try jigai(app, ["summary", "--authority", "太原市", "--round", "shanxi-2019", "-o", folder.appendingPathComponent("y.xlsx").path])
            #expect(unknownRound.status == 2)
            #expect(unknownRound.errors.contains("没有申报批次“shanxi-2019”；可选：shanxi-2023、shanxi-2023-demo"))
        }
    }
}
