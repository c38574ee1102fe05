import Foundation
import Testing
@testable import PolicyKit

/// The round file against the notice's own words, and the figures the 申请报告 prints (issue “Notice fidelity”).
@Suite("通知原文：引文、门槛数字、计算数据")
struct NoticeFidelityTests {
    static let notice: String = {
        let url = Package.root.deletingLastPathComponent().appendingPathComponent("shared/seed/000_a1b931f2f5173dbf.txt")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }()

    /// The notice's text without the line breaks and spaces of its layout.
    static let flatNotice = notice.filter { !$0.isWhitespace }

    static let numerals = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四"]

    /// 附件1 （申报范围）'s clause （N） from its heading to the next clause's, or to 附件2.
    static func scopeClause(_ number: String) -> String? {
        guard let scopeStart = flatNotice.range(of: "申报范围一、")?.lowerBound,
              let scopeEnd = flatNotice.range(of: "附件2山西省技术改造专项资金奖励项目申请报告编写要求")?.lowerBound,
              let index = numerals.firstIndex(of: number) else { return nil }
        let scope = flatNotice[scopeStart..<scopeEnd]
        guard let start = scope.range(of: "（\(number)）")?.lowerBound else { return nil }
        let end = scope[start...].range(of: "（\(numerals[index + 1])）")?.lowerBound ?? scope.endIndex
        return String(scope[start..<end])
    }

    @Test("每条规则的 clauseText 是通知原文，引 附件1（N）的出自该款")
    func clauseTextsAreQuotes() throws {
        try #require(!Self.flatNotice.isEmpty, "找不到通知原文")
        let round = Package.round
        let rules = round.generalRules + round.allDirections.flatMap(\.direction.rules)
        #expect(rules.count > 30)
        for rule in rules {
            let quote = rule.clauseText.filter { !$0.isWhitespace }
            #expect(Self.flatNotice.contains(quote), "\(rule.id)：“\(rule.clauseText)”不是通知原文")
            if rule.clause.hasPrefix("附件1（"), let number = rule.clause.split(separator: "（").last?.dropLast() {
                let clause = try #require(Self.scopeClause(String(number)), "\(rule.id)：找不到\(rule.clause)")
                #expect(clause.contains(quote), "\(rule.id)：“\(rule.clauseText)”不在\(rule.clause)中")
            }
        }
        for (_, direction) in round.allDirections {
            for sub in direction.subDirections ?? [] {
                #expect(Self.flatNotice.contains(sub.clauseText.filter { !$0.isWhitespace }), "\(sub.id)")
            }
        }
    }

    @Test("消费品增量：不重复支持一条引“消费品增量奖励”")
    func consumerClause() {
        let rule = Package.round.allDirections.first { $0.direction.id == "consumer-increase" }!.direction.rules.first { $0.id == "consumer.no-chain-revenue-reward" }!
        #expect(rule.clauseText.contains("消费品增量奖励与重点产业链"))
    }

    @Test("新型工业化载体：选定细分方向后引该方向自己的一句")
    func carrierQuotesItsSubDirection() throws {
        let verdict = Package.evaluate(try Package.example("industrial-carrier-green-park.eligible.json"))
        #expect(verdict.result("carrier.recognised-in-base-year")?.clauseText == "2022年度认定的国家级绿色园区。")
    }

    @Test("门槛：印出的数字与门槛比较的结果同实际一致", arguments: [
        ("129999.9", "100000", "2022年营收增量 2.99999 亿元，低于 3 亿元"),
        ("129999", "100000", "2022年营收增量 2.9999 亿元，低于 3 亿元"),
        ("130000", "100000", "2022年营收增量 3.00 亿元，达到 3 亿元以上"),
        ("128000", "100000", "2022年营收增量 2.80 亿元，低于 3 亿元"),
    ])
    func thresholdDigits(current: String, prior: String, sentence: String) throws {
        var application = try Package.example("revenue-increase.eligible.json")
        application.setRevenue(prior: decimal(prior), current: decimal(current))
        let message = Package.evaluate(application).result("revenue.increase")?.message ?? ""
        #expect(message.hasPrefix(sentence), "\(message)")
    }

    @Test("门槛：增速 29.9999% 不写成 30.00%")
    func growthDigits() throws {
        var application = try Package.example("revenue-increase.eligible.json")
        application.setRevenue(prior: decimal("1000000"), current: decimal("1299999"))
        let message = Package.evaluate(application).result("revenue.growth")?.message ?? ""
        #expect(message.hasPrefix("2022年营收增速 29.9999%，低于 30%"), "\(message)")
    }

    @Test("营收增量：所属行业、两年营业收入、增量、增速，带算式")
    func revenueFigures() throws {
        let application = try Package.example("revenue-increase.eligible.json")
        let lines = application.revenueFigures(round: Package.round).map(\.text)
        #expect(lines == [
            "企业所属行业：钢铁",
            "2021年营业收入：100,000.00 万元",
            "2022年营业收入：135,000.00 万元",
            "2022年营收增量：135,000.00 − 100,000.00 = 35,000.00 万元（3.50 亿元）",
            "2022年营收增速：35,000.00 ÷ 100,000.00 × 100% = 35.00%",
        ])
    }

    @Test("白名单：年度产值不得小于同一年各月产值之和，否则退回更正")
    func whitelistAnnualOutput() throws {
        let engine = EligibilityEngine(round: Package.round)
        var first = try Package.example("whitelist-2022-h2-tier-2.eligible.json")
        #expect(engine.evaluate(first).status == .eligible)
        first.content["output2021"] = .number(decimal("23999.99"))
        let short = engine.evaluate(first)
        #expect(short.status == .incomplete)
        #expect(short.missing.contains { $0.path == "content.output2021" && $0.message.contains("2021年度产值（23,999.99 万元）小于每月当月产值中“上年同月产值”的合计（24,000.00 万元）") },
                "\(short.missing)")
        first.content["output2021"] = nil
        #expect(engine.evaluate(first).missing.contains { $0.path == "content.output2021" && $0.message == "请填写2021年度产值" })

        var second = try Package.example("whitelist-2023-q1-tier-1.eligible.json")
        #expect(second.content["output2021"] == nil)
        #expect(engine.evaluate(second).status == .eligible, "2023年1至3月期间不需要2021年度产值")
        second.content["output2022"] = .number(decimal("10000"))
        #expect(engine.evaluate(second).missing.contains { $0.path == "content.output2022" && $0.message.contains("“上年同月产值”的合计（10,400.00 万元）") })
    }

    @Test("白名单、新材料、试点示范：字段旁的计算数据")
    func fieldFigures() throws {
        let round = Package.round
        func figure(_ example: String, _ field: String) throws -> String? {
            let application = try Package.example(example)
            let spec = try #require(round.directionSpec(application.direction, subDirection: application.subDirection)?.fields.first { $0.id == field })
            return application.figure(for: spec, round: round)?.text
        }
        #expect(try figure("whitelist-2022-h2-tier-2.eligible.json", "output2022") == "2022年度产值同比增长：（52,800.00 − 41,600.00）÷ 41,600.00 × 100% = 26.92%")
        #expect(try figure("whitelist-2023-q1-tier-1.eligible.json", "output2022") == nil, "没有2021年度产值时不算同比")
        #expect(try figure("whitelist-2023-q1-tier-1.eligible.json", "monthlyOutput") == "申报期间合计：上年同期 10,400.00 万元，本期 14,500.00 万元，同比 39.42%")
        #expect(try figure("new-material-first-batch.eligible.json", "productSalesRevenue") == "该产品销售收入占企业营业收入比重：23,500.00 ÷ 2022年营业收入 98,000.00 × 100% = 23.98%")
        #expect(try figure("pilot-demonstration.eligible.json", "newPilots") == "2022年度新增国家级试点示范获批数量：1 项")
        #expect(try figure("pilot-demonstration.eligible.json", "cumulativePilots") == "截至2022年度累计获批国家级试点示范获批数量：2 项")
    }

    @Test("政策文件：计算数据只挂在合适类型的字段上")
    func figureOnWrongField() throws {
        let data = try Package.exampleData("../../Policies/shanxi-2023.json")
        var text = String(decoding: data, as: UTF8.self)
        text = text.replacingOccurrences(of: "\"kind\": \"shareOfRevenue\"", with: "\"kind\": \"rowCount\"")
        #expect(throws: RoundError.self) {
            try RoundLoader.load(Data(text.utf8), file: "broken.json") { _ in Data() }
        }
    }
}
