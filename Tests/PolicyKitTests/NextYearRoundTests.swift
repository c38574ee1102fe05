import Foundation
import Testing
@testable import PolicyKit

/// Next year's notice as a file: the checks `jigai round check` makes, the sample 2024 round under `Tests/Rounds/`, the
/// what-if of 2023's applications under it, and the once-ever rules across the two rounds.
@Suite("下一年度的批次：严格检查、2024 样例批次、假设分析、跨批次规则")
struct NextYearRoundTests {
    static let rounds = Package.root.appendingPathComponent("Tests/Rounds")

    static func nextYear() throws -> Round {
        let data = try Data(contentsOf: rounds.appendingPathComponent("shanxi-2024.json"))
        return try RoundLoader.load(data, file: "shanxi-2024.json") { _ in throw CocoaError(.fileNoSuchFile) }
    }

    static func example(_ name: String, round: Round) throws -> Application {
        try ApplicationReader.read(Data(contentsOf: rounds.appendingPathComponent("applications/\(name)")), round: round)
    }

    /// The 2023 file changed by `change`, checked.
    func check(_ change: (inout [String: Any]) -> Void) throws -> RoundCheck {
        let data = try Data(contentsOf: Package.policies.appendingPathComponent("shanxi-2023.json"))
        var object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        change(&object)
        return RoundLoader.check(try JSONSerialization.data(withJSONObject: object), file: "next.json") { _ in throw CocoaError(.fileNoSuchFile) }
    }

    func rule(_ object: inout [String: Any], programme: Int, direction index: Int, rule: Int, _ change: (inout [String: Any]) -> Void) {
        changeDirection(&object, programme: programme, direction: index) { direction in
            var rules = direction["rules"] as! [[String: Any]]
            change(&rules[rule])
            direction["rules"] = rules
        }
    }

    // MARK: - Strict checks

    @Test("2023 批次文件本身：没有错误、没有警告")
    func realFileIsClean() throws {
        let checked = try check { _ in }
        #expect(checked.errors.isEmpty, "\(checked.errors)")
        #expect(checked.warnings.isEmpty, "\(checked.warnings)")
    }

    @Test("拼错的键：指出位置、可能的正确写法和此处可用的键，不再悄悄丢掉附件要求")
    func misspeltKey() throws {
        let checked = try check { object in
            changeDirection(&object, programme: 4, direction: 0) { revenue in revenue["attachements"] = revenue.removeValue(forKey: "attachments") }
        }
        let error = try #require(checked.errors.first)
        #expect(checked.errors.count == 1)
        #expect(error.entry == "programmes[4].directions[0].attachements")
        #expect(error.reason.contains("未知的键“attachements”（是否应为“attachments”？）"))
        #expect(error.reason.contains("此处可用的键：attachments、clause、commitments、fields"))
    }

    @Test("附件4 负责处室的条件取值拼错：指出可选值")
    func misspeltRoutingValue() throws {
        let checked = try check { object in
            changeDirection(&object, programme: 4, direction: 0) { revenue in
                var routing = revenue["routing"] as! [[String: Any]]
                var when = routing[0]["when"] as! [String: Any]
                when["values"] = ["钢钛", "有色", "建材"]
                routing[0]["when"] = when
                revenue["routing"] = routing
            }
        }
        let error = try #require(checked.errors.first)
        #expect(error.entry == "programmes[4].directions[0].routing[0].when.values")
        #expect(error.reason.hasPrefix("“钢钛”不是“enterprise.industry”的可选值；可选：钢铁、有色、建材"))
    }

    @Test("日历上没有的日期（2024-11-31）不被顺延为 12-01；文字日期被拒")
    func calendarDates() throws {
        let november31 = try check { $0["deadline"] = "2024-11-31T23:59:59+08:00" }
        #expect(november31.errors.first?.entry == "deadline")
        #expect(november31.errors.first?.reason.contains("不是带时区的有效时间") == true)
        let hour25 = try check { $0["deadline"] = "2024-11-08T25:00:00+08:00" }
        #expect(hour25.errors.first?.entry == "deadline")
        let issued = try check { $0["issuedOn"] = "二〇二三年九月五日" }
        #expect(issued.errors.first?.entry == "issuedOn")
        let ruleDate = try check { object in
            rule(&object, programme: 4, direction: 3, rule: 0) { $0["date"] = "2022-02-30" }
        }
        #expect(ruleDate.errors.first?.entry == "programmes[4].directions[3].rules[0].date")
    }

    @Test("规则种类拼错：中文说明并列出全部可选种类")
    func misspeltRuleKind() throws {
        let checked = try check { object in rule(&object, programme: 2, direction: 0, rule: 0) { $0["kind"] = "minimun" } }
        let error = try #require(checked.errors.first)
        #expect(error.entry == "programmes[2].directions[0].rules[0].kind")
        #expect(error.reason == "未知取值“minimun”，可选：" + EligibilityRule.Kind.allCases.map(\.rawValue).joined(separator: "、"))
    }

    @Test("疑似沿用上一批次的年份：警告，不算错误")
    func leftoverYear() throws {
        let checked = try check { object in
            rule(&object, programme: 2, direction: 0, rule: 0) { $0["clauseText"] = "2020年度通过税务部门申报的可加计扣除研发费用达到2000万元以上" }
        }
        #expect(checked.errors.isEmpty)
        let warning = try #require(checked.warnings.first)
        #expect(checked.warnings.count == 1)
        #expect(warning.entry == "programmes[2].directions[0].rules[0].clauseText")
        #expect(warning.reason.contains("2020 年不是基准年度 2022 或其前后一年"))
        #expect(RoundLint.years(in: "符合2020年7月1日后按照《药品注册管理办法》", identifier: false).isEmpty, "有月份的日期是法规日期")
        #expect(RoundLint.years(in: "deductibleRD2019", identifier: true) == [2019])
    }

    @Test("门槛按亿元填成 3：与其他金额门槛相差千倍以上，警告")
    func unitSlip() throws {
        let checked = try check { object in rule(&object, programme: 4, direction: 0, rule: 1) { $0["threshold"] = "3" } }
        #expect(checked.errors.isEmpty)
        let warning = try #require(checked.warnings.first)
        #expect(warning.entry == "programmes[4].directions[0].rules[1].threshold")
        #expect(warning.reason.contains("门槛 3 万元与本文件其他门槛（2,000、10,000 万元）相差约 3333 倍"))
        let percent = try check { object in rule(&object, programme: 4, direction: 0, rule: 2) { $0["threshold"] = "0.03" } }
        #expect(percent.warnings.contains { $0.entry == "programmes[4].directions[0].rules[2].threshold" })
    }

    @Test("跨申报规则引用不存在的方向或字段")
    func crossRuleReferences() throws {
        let direction = try check { object in
            var rules = object["crossRules"] as! [[String: Any]]
            rules[1]["directions"] = ["revenue-increase", "consumer-increse"]
            object["crossRules"] = rules
        }
        #expect(direction.errors.first?.entry == "crossRules[1].directions[1]")
        let field = try check { object in
            var rules = object["crossRules"] as! [[String: Any]]
            rules[4]["field"] = "content.pilotTitle"
            object["crossRules"] = rules
        }
        #expect(field.errors.first?.entry == "crossRules[4].field")
    }

    // MARK: - The sample next-year round

    @Test("2024 样例批次：检查无错误无警告；门槛、方向、期间、类别、联系人与 2023 不同")
    func sampleRound() throws {
        let data = try Data(contentsOf: Self.rounds.appendingPathComponent("shanxi-2024.json"))
        let checked = RoundLoader.check(data, file: "shanxi-2024.json") { _ in throw CocoaError(.fileNoSuchFile) }
        #expect(checked.errors.isEmpty, "\(checked.errors)")
        #expect(checked.warnings.isEmpty, "\(checked.warnings)")
        let next = try Self.nextYear()
        #expect(next.baseYear == 2023)
        #expect(next.vocabularies.whitelistPeriods.map(\.name) == ["2023年6至12月", "2024年1至3月"])
        let changes = RoundDiff.changes(from: Package.round, to: next).map(\.text)
        #expect(changes.contains("2023年营收增量门槛：3 亿元 → 2.5 亿元"))
        #expect(changes.contains("删除申报方向“智能制造诊断”（原属数字化智能化改造专项）"))
        #expect(changes.contains { $0.hasPrefix("新增申报方向“工业互联网平台”") })
        #expect(changes.contains("新增试点示范类别“数字化转型促进中心”（两化融合类）"))
        #expect(changes.contains("联系人：韩鹏月 → 赵文涛"))
        #expect(changes.contains { $0.hasPrefix("新增跨申报规则“同一工业互联网平台只奖励1次”（附件1（八））") })
        #expect(changes.contains { $0.hasPrefix("删除填表说明“") && $0.contains("智能制造诊断") })
        let summary = next.summaryInstructions.joined()
        #expect(summary.contains("2023年6至12月、或2024年1至3月") && !summary.contains("智能制造诊断") && summary.contains("工业互联网平台"))
    }

    @Test("2024 样例申报：文件名所写的结论", arguments: [
        "consumer-increase-27-percent.eligible.json", "industrial-internet-platform-99-enterprises.ineligible.json", "industrial-internet-platform.eligible.json",
        "pilot-demonstration.eligible.json", "pilot-digital-transformation-center.eligible.json", "rd-expense.eligible.json",
        "revenue-increase-2.8yi.eligible.json", "revenue-increase-below-threshold.ineligible.json", "revenue-increase.eligible.json",
        "whitelist-2023-h2.eligible.json", "whitelist-2024-q1.eligible.json",
    ])
    func sampleApplications(name: String) throws {
        let next = try Self.nextYear()
        let verdict = EligibilityEngine(round: next).evaluate(try Self.example(name, round: next))
        #expect(verdict.status == (name.contains(".eligible.") ? .eligible : .ineligible), "\(verdict.summary)")
        if name == "pilot-digital-transformation-center.eligible.json" {
            #expect(verdict.routing?.division == "信息化处")
        }
    }

    // MARK: - What-if

    @Test("假设分析：2023 年的申报按 2024 草案重判——门槛降低后 2.8 亿元增量变为符合；已取消的方向注明；财务年度按顺序对应")
    func whatIf() throws {
        let next = try Self.nextYear()
        var nearMiss = try Package.example("revenue-increase.eligible.json")
        nearMiss.setRevenue(prior: decimal("90000"), current: decimal("118000"))
        let applications = [try Package.example("revenue-increase.eligible.json"), nearMiss, try Package.example("smart-manufacturing-diagnosis.eligible.json"),
                            try Package.example("rd-expense.eligible.json")]
        let carried = try #require(RoundSimulation.carry(nearMiss, from: Package.round, to: next))
        #expect(carried.overview.finances["2023"]?["operatingRevenue"] == decimal("118000"))
        #expect(carried.overview.finances["2022"]?["operatingRevenue"] == decimal("90000"))
        let underDraft = EligibilityEngine(round: next).evaluate(carried)
        #expect(underDraft.status == .eligible, "\(underDraft.summary)；\(underDraft.missing.map(\.message))")
        let whitelist = try #require(RoundSimulation.carry(try Package.example("whitelist-2022-h2-tier-2.eligible.json"), from: Package.round, to: next))
        #expect(whitelist.content["period"]?.text == "2023年6至12月")
        let whitelistVerdict = EligibilityEngine(round: next).evaluate(whitelist)
        #expect(whitelistVerdict.status == .eligible, "\(whitelistVerdict.summary)；\(whitelistVerdict.missing.map(\.message))")
        #expect(try RoundSimulation.carry(Package.example("rd-expense.eligible.json"), from: Package.round, to: next)?.content["deductibleRD2023"] != nil)
        #expect(RoundSimulation.carry(try Package.example("smart-manufacturing-diagnosis.eligible.json"), from: Package.round, to: next) == nil)

        let lines = RoundSimulation.run(applications, current: Package.round, draft: next)
        let revenue = try #require(lines.first { $0.direction == "营收增量奖励" })
        #expect(revenue.applications == 2)
        #expect(revenue.eligibleNow == 1 && revenue.eligibleDraft == 2)
        #expect(revenue.amountDraft > revenue.amountNow)
        let diagnosis = try #require(lines.first { $0.direction == "智能制造诊断" })
        #expect(diagnosis.eligibleNow == 1 && diagnosis.eligibleDraft == 0 && diagnosis.note == "新批次已取消此方向")
        #expect(lines.first { $0.direction == "研发费用奖励" }?.eligibleDraft == 1)
        #expect(lines.last?.direction == "合计" && lines.last?.applications == 4)
        let table = RoundSimulation.render(lines, current: Package.round, draft: next)
        #expect(table.hasPrefix("按 shanxi-2024（晋工信投资字〔2024〕88号）的条件重新判断 shanxi-2023（晋工信投资字〔2023〕143号）的申报"))
        #expect(table.contains("营收增量奖励\t2\t1\t2\t+1\t"))
    }

    // MARK: - Across rounds

    @Test("跨批次：同一试点示范、同一两化融合证书只奖励一次，比对以往批次；同年规则不跨年度")
    func onceEverAcrossRounds() throws {
        let next = try Self.nextYear()
        let pilot2023 = ApplicationRecord(id: "P23", baseYear: 2022, application: try Package.example("pilot-demonstration.eligible.json"), round: Package.round)
        var again = try Self.example("pilot-demonstration.eligible.json", round: next)
        again.enterprise.creditCode = pilot2023.application.enterprise.creditCode
        again.content["pilotName"] = pilot2023.application.content["pilotName"]
        let pilot2024 = ApplicationRecord(id: "P24", baseYear: 2023, application: again, round: next)
        let findings = CrossApplicationRules.findings([pilot2023, pilot2024])
        #expect(findings.map(\.ruleId) == ["cross.pilot-once"], "\(findings.map(\.message))")
        #expect(findings.first?.message.contains("2022年度") == true && findings.first?.message.contains("2023年度") == true)

        let rd2023 = ApplicationRecord(id: "R23", baseYear: 2022, application: try Package.example("rd-expense.eligible.json"), round: Package.round)
        var rd = try Self.example("rd-expense.eligible.json", round: next)
        rd.enterprise.creditCode = rd2023.application.enterprise.creditCode
        #expect(CrossApplicationRules.findings([rd2023, ApplicationRecord(id: "R24", baseYear: 2023, application: rd, round: next)]).isEmpty,
                "研发费用奖励每年一次，两年各申报一次不冲突")
    }
}
