import Foundation
import PolicyKit
import Testing
@testable import Documents

/// What the notice asks the 申请报告 to say, read back from the PDF built from each example (issue “Notice fidelity”).
@Suite("申请报告：通知要求的内容")
struct ReportFidelityTests {
    static let date = CalendarDate(year: 2023, month: 10, day: 25)

    /// The report of an example without uploads, checked by qpdf, and its running text without whitespace.
    static func report(_ example: String, change: (inout Application) -> Void = { _ in }) throws -> (probe: PDFProbe, body: String) {
        let round = try ApplicationReportTests.round()
        var application = try ApplicationReportTests.application(example, round: round)
        change(&application)
        let folder = try OutputFolder("report-fidelity-\(example)")
        let report = try ApplicationReport(round: round, application: application, uploads: [], date: date)
        let probe = try PDFProbe(writing: try report.pdf(), to: folder.file("申请报告.pdf"))
        let check = try probe.qpdfCheck()
        #expect(check.status == 0, "qpdf --check: \(check.output)\(check.errors)")
        return (probe, try PageLayout(landscape: false).bodyText(probe))
    }

    @Test("营收增量、消费品增量：正文（二）先列所属行业、两年营业收入、增量和增速及算式", arguments: [
        ("revenue-increase.eligible.json", ["1.企业所属行业：钢铁", "2.2021年营业收入：100,000.00万元", "3.2022年营业收入：135,000.00万元",
                                            "4.2022年营收增量：135,000.00−100,000.00=35,000.00万元（3.50亿元）",
                                            "5.2022年营收增速：35,000.00÷100,000.00×100%=35.00%", "6.本年度已申报或获得"]),
        ("consumer-increase.eligible.json", ["1.企业所属行业：食品", "4.2022年营收增量：42,000.00−30,000.00=12,000.00万元（1.20亿元）",
                                             "5.2022年营收增速：12,000.00÷30,000.00×100%=40.00%"]),
    ])
    func revenueFigures(example: String, expected: [String]) throws {
        let body = try Self.report(example).body
        let section = try #require(body.range(of: "（二）申报奖励事项要求编制的其他内容")).upperBound
        var cursor = section
        for text in expected {
            let found = try #require(body[cursor...].range(of: text), "正文（二）缺少或次序不对：“\(text)”")
            cursor = found.upperBound
        }
    }

    @Test("试点示范：两张表下各印获批数量")
    func pilotCounts() throws {
        let body = try Self.report("pilot-demonstration.eligible.json").body
        #expect(body.contains("2022年度新增国家级试点示范获批数量：1项"))
        #expect(body.contains("截至2022年度累计获批国家级试点示范获批数量：2项"))
    }

    @Test("新材料首批次：产品销售收入占营业收入比重及算式，占有情况的文字说明")
    func newMaterialShare() throws {
        let (probe, body) = try Self.report("new-material-first-batch.eligible.json")
        #expect(body.contains("该产品销售收入占企业营业收入比重：23,500.00÷2022年营业收入98,000.00×100%=23.98%"), "\(body)")
        #expect(body.contains("该产品国内市场及省内市场占有情况"))
        #expect(body.contains("省内为唯一规模化生产企业"))
        // The insurance table's numbers and policy number are whole on one line.
        let text = try probe.text()
        for token in ["PQAB202214010000012345", "9,600.00", "288.00", "230.40"] {
            #expect(text.contains(token), "“\(token)”被折行")
        }
    }

    @Test("首台（套）：保险表的金额和保单号不折断")
    func firstSetNumbers() throws {
        let text = try Self.report("first-set-equipment.eligible.json").probe.text()
        for token in ["PQAB202214010000012345", "28,600.00", "858.00", "686.40"] {
            #expect(text.contains(token), "“\(token)”被折行")
        }
    }

    @Test("白名单 2022年6至12月：年度产值、同比及算式，每月表末的申报期间合计")
    func whitelistSecondHalf() throws {
        let (probe, body) = try Self.report("whitelist-2022-h2-tier-2.eligible.json")
        #expect(body.contains("2021年度产值：41,600.00万元"))
        #expect(body.contains("2022年度产值：52,800.00万元"))
        #expect(body.contains("2022年度产值同比增长：（52,800.00−41,600.00）÷41,600.00×100%=26.92%"))
        let line = try #require(try probe.text().split(separator: "\n").first { $0.contains("申报期间合计") })
        #expect(line.split(whereSeparator: \.isWhitespace).map(String.init) == ["申报期间合计", "24,000.00", "30,250.00", "26.04"], "\(line)")
    }

    @Test("白名单 2023年1至3月：2022年度产值，合计行即 2023年1至3月及同比")
    func whitelistFirstQuarter() throws {
        let (probe, body) = try Self.report("whitelist-2023-q1-tier-1.eligible.json")
        #expect(body.contains("2022年度产值：52,800.00万元"))
        #expect(!body.contains("2022年度产值同比增长"), "没有2021年度产值，不算年度同比")
        let line = try #require(try probe.text().split(separator: "\n").first { $0.contains("申报期间合计") })
        #expect(line.split(whereSeparator: \.isWhitespace).map(String.init) == ["申报期间合计", "10,400.00", "14,500.00", "39.42"], "\(line)")
    }

    @Test("附件按通知附件2 四（一）至（六）编号，不与通知的附件3、附件4 同名")
    func attachmentNumbers() throws {
        let contents = try Self.report("new-material-first-batch.eligible.json").probe.text(page: 2).compacted
        for label in ["附件（一）承诺书", "附件（二）山西省技术改造资金奖励项目现场核查表", "附件（五）省级专项转移支付项目绩效目标表"] {
            #expect(contents.contains(label), "目录：\(contents)")
        }
        #expect(!contents.contains("附件3"))
        #expect(!contents.contains("附件4"))
    }

    /// The page whose text has the enterprise's commitments, and whether the city's opinion is on it too.
    static func commitmentPage(_ probe: PDFProbe) throws -> (page: Int, withOpinion: Bool)? {
        for page in 1...(try probe.pageCount()) {
            let text = try probe.text(page: page).compacted
            if text.contains("项目申报企业（单位）承诺：") {
                return (page, text.contains("审核意见：") && text.contains("单位法人代表（签名）"))
            }
        }
        return nil
    }

    @Test("承诺书：企业的承诺和市里的审核意见在同一页，每个示例")
    func commitmentsAndOpinionTogether() throws {
        let examples = try FileManager.default.contentsOfDirectory(atPath: ApplicationReportTests.root.appendingPathComponent("Examples/applications").path)
            .filter { $0.hasSuffix(".eligible.json") }.sorted()
        #expect(examples.count >= 13)
        for example in examples {
            let probe = try Self.report(example).probe
            let found = try #require(try Self.commitmentPage(probe), "\(example)：找不到承诺")
            #expect(found.withOpinion, "\(example)：第 \(found.page) 页的承诺与审核意见分在两页")
        }
    }

    @Test("承诺书：目标写得最多的仿制药申报也不把审核意见单独放在一页")
    func longestCommitmentLetter() throws {
        let probe = try Self.report("generic-drug.eligible.json") { application in
            application.performanceTargets.goals = (1...8).map { "目标内容第\($0)项：巩固提升主导产品市场竞争力，2024年营业收入增长10%以上，带动新增就业岗位50个" }
        }.probe
        let found = try #require(try Self.commitmentPage(probe))
        #expect(found.withOpinion, "第 \(found.page) 页")
    }

    @Test("财务状况表在五项之后印出企业另列的指标")
    func otherFinances() throws {
        let (probe, _) = try Self.report("rd-expense.eligible.json") { application in
            application.overview.otherFinances = [.init(label: "研发投入（万元）", values: ["2021": 3200, "2022": 4100, "2023H1": FixedDecimal("2100.5")!])]
        }
        let lines = try probe.text().split(separator: "\n").map { $0.split(whereSeparator: \.isWhitespace).map(String.init) }
        let debt = try #require(lines.firstIndex { $0.first == "资产负债率（%）" })
        #expect(lines[debt + 1] == ["研发投入（万元）", "3,200.00", "4,100.00", "2,100.50"], "\(lines[debt + 1])")
    }
}
