import Foundation

/// Puts an `Assessment` into the words users read: one sentence per rule, citing its clause.
extension EligibilityEngine {
    public func render(_ assessment: Assessment, of application: Application) -> Verdict {
        guard let plan = plan(for: application) else {
            return Verdict(
                status: assessment.status, summary: assessment.missing.first?.message ?? "", round: round.id, programme: "",
                direction: application.direction, results: [], missing: assessment.missing, routing: nil, reviewAuthority: nil,
                tier: nil, facts: [], warnings: [])
        }
        let spec = plan.spec
        var facts: [Fact] = []
        var warnings: [String] = []
        let results = zip(plan.rules, assessment.outcomes).map { compiled, outcome in
            sentence(for: compiled, outcome: outcome, facts: &facts)
        }
        for (compiled, outcome) in zip(plan.rules, assessment.outcomes) {
            if case .flagged(true) = outcome.observation {
                warnings.append("\(compiled.rule.subject)：企业申报为“是”。\(compiled.rule.clauseText)（\(compiled.rule.clause)），请核对")
            }
        }
        describeFigures(application, spec: spec, facts: &facts, warnings: &warnings)
        let routing = assessment.routeIndex.flatMap { routedDivision(spec.direction.routing[$0]) }
        if let index = assessment.routeIndex, let note = spec.direction.routing[index].supplementary {
            warnings.append(note)
        }
        if routing == nil {
            warnings.append("无法确定负责处室：\(spec.direction.name)按附件4分行业（或类别）确定处室，请先填写所属行业或试点示范类别")
        }
        let summary: String
        switch assessment.status {
        case .eligible: summary = "符合\(spec.fullName)申报条件"
        case .ineligible: summary = "不符合申报条件：" + results.filter { $0.passed == false }.map(\.message).joined(separator: "；")
        case .incomplete: summary = "尚有 \(assessment.missing.count) 项未填写或不符合填写要求"
        }
        return Verdict(
            status: assessment.status, summary: summary, round: round.id, programme: spec.programme.name, direction: spec.fullName,
            results: results, missing: assessment.missing, routing: routing,
            reviewAuthority: round.reviewAuthority(for: application.enterprise),
            tier: assessment.tier.map { Verdict.TierResult(id: $0.id, name: $0.name) }, facts: facts, warnings: warnings)
    }

    /// The rule's requirement as a short text: “≥ 3 亿元”, “省级或国家级”, “2022年12月31日前”.
    func threshold(for compiled: DirectionPlan.Rule) -> String? {
        let rule = compiled.rule
        switch rule.kind {
        case .isTrue, .isFalse: return "是"
        case .flag: return nil
        case .equals: return rule.value.map { shown($0, compiled) }
        case .oneOf: return rule.values?.joined(separator: "或")
        case .minimum: return rule.threshold.map { "≥ " + withUnit($0.compact(shift: shift(rule)), rule) }
        case .minimumRows: return "≥ \(rule.count ?? 1) \(rule.unit ?? "项")"
        case .onOrBefore: return rule.date.flatMap(CalendarDate.init).map { "\($0.chinese)前" }
        case .industryIn: return "属于：" + (rule.values ?? []).joined(separator: "、")
        case .industryNotIn: return "不属于：" + (rule.values ?? []).joined(separator: "、")
        case .notBlacklisted: return "未列入"
        case .monthlyGrowth: return "每月同比 > 0%，且任一月 ≥ \(compiled.tiers.first?.minimumPercent.compact() ?? "0")%"
        case .tableContains: return nil
        case .atLeastColumnSum: return "≥ 各月合计"
        }
    }

    func shift(_ rule: EligibilityRule) -> Int { rule.displayUnit == "亿元" ? 4 : 0 }

    func withUnit(_ number: String, _ rule: EligibilityRule) -> String {
        let unit = rule.displayUnit ?? "万元"
        return unit == "%" ? "\(number)%" : "\(number) \(unit)"
    }

    func shown(_ text: String, _ compiled: DirectionPlan.Rule) -> String {
        compiled.fieldSpec?.type == .year ? "\(text)年" : "“\(text)”"
    }

    func sentence(for compiled: DirectionPlan.Rule, outcome: RuleOutcome, facts: inout [Fact]) -> RuleResult {
        let rule = compiled.rule
        var threshold = threshold(for: compiled)
        let message: String
        var value: String?
        switch outcome.observation {
        case .notFilled:
            message = "未填写\(rule.subject)，暂无法判断"
        case .notApplicable:
            message = "\(rule.subject)：不涉及"
            threshold = nil
        case .flagged(let actual):
            value = actual ? "是" : "否"
            message = actual ? "\(rule.subject)：是，不影响申报；\(rule.clauseText)，审核时核对" : "\(rule.subject)：否"
        case .declaration(let actual, _):
            value = actual ? "是" : "否"
            message = outcome.passed == true ? "\(rule.subject)：是" : "\(rule.subject)：否，不符合“\(rule.clauseText)”"
        case .equals(let actual):
            value = shown(actual, compiled)
            message = outcome.passed == true ? "\(rule.subject)为\(value!)" : "\(rule.subject)为\(value!)，应为\(threshold ?? "")"
        case .oneOf(let actual):
            value = actual
            message = outcome.passed == true ? "\(rule.subject)为“\(actual)”" : "\(rule.subject)为“\(actual)”，应为\(threshold ?? "")"
        case .minimum(let actual):
            let shift = shift(rule)
            value = withUnit(Self.comparable({ actual.grouped(fractionDigits: $0, shift: shift) }, to: rule.threshold, shift: shift, passed: outcome.passed == true), rule)
            message = reachedSentence(rule, value!, outcome.passed == true)
        case .growth(let growth):
            value = withUnit(Self.comparable({ growth.formatted(fractionDigits: $0) }, to: rule.threshold, shift: 0, passed: outcome.passed == true), rule)
            message = reachedSentence(rule, value!, outcome.passed == true)
        case .growthUncomputable:
            let prior = round.finance.periods.first { $0.id == round.finance.priorPeriod }?.label ?? "上年"
            message = "\(prior)营业收入为 0，无法计算增速，不满足增速要求"
        case .rowCount(let counted):
            let unit = rule.unit ?? "项"
            value = "\(counted) \(unit)"
            message = "\(rule.subject)共 \(counted) \(unit)，" + (outcome.passed == true ? "达到 \(rule.count ?? 1) \(unit)" : "少于 \(rule.count ?? 1) \(unit)")
        case .date(let actual):
            let limit = rule.date.flatMap(CalendarDate.init)?.chinese ?? ""
            value = actual.chinese
            message = "\(rule.subject)为\(actual.chinese)，" + (outcome.passed == true ? "在\(limit)前" : "晚于\(limit)")
        case .industry(let industry):
            value = industry
            message = "所属行业为“\(industry)”，\(outcome.passed == true ? "符合" : "不符合")“\(rule.clauseText)”"
        case .blacklist(let entry, let listSize):
            value = entry == nil ? "未列入" : "已列入"
            if let entry {
                message = "统一社会信用代码 \(entry.creditCode) 列入\(entry.source)，不得申报"
            } else {
                message = "未列入失信名单" + (listSize == 0 ? "（尚未导入失信名单，请以审核时核查结果为准）" : "")
            }
        case .monthlyDecline(let period, let month, let change):
            let how: String
            switch change {
            case nil: how = "上年同月产值为 0，无法计算同比"
            case let change? where change.isNegative: how = "同比下降 \(change.magnitude.formatted())%"
            default: how = "同比持平"
            }
            value = change.map { "\(month) \($0.formatted())%" } ?? "\(month) —"
            message = "\(period)中\(month)当月产值\(how)，不满足每月同比正增长"
        case .monthlyGrowth(let period, let months, let best, let reached):
            let top = "\(months[best].change.formatted())%（\(months[best].month)）"
            value = "最高 " + top
            facts.append(Fact(label: "\(period)各月同比增速", value: months.map { "\($0.month) \($0.change.formatted())%" }.joined(separator: "，")))
            if let reached {
                message = "\(period)各月同比均为正增长，最高增速 \(top)，达到 \(reached.minimumPercent.compact())%以上，适用\(reached.name)"
            } else {
                message = "\(period)各月同比均为正增长，但最高增速 \(top)，未达到 \(compiled.tiers.first?.minimumPercent.compact() ?? "0")%"
            }
        case .tableContains(let wanted):
            value = wanted
            message = "“\(wanted)”\(outcome.passed == true ? "已列入" : "未列入")\(compiled.fieldSpec?.label ?? rule.subject)"
        case .columnSum(let actual, let sum):
            value = "\(actual.grouped()) 万元"
            message = "\(rule.subject)：年度 \(actual.grouped()) 万元，各月合计 \(sum.grouped()) 万元，" + (outcome.passed == true ? "一致" : "年度小于各月合计，请核对")
        }
        return RuleResult(ruleId: rule.id, clause: rule.clause, clauseText: rule.clauseText, subject: rule.subject,
                          threshold: threshold, value: value, passed: outcome.passed, message: "\(message)（\(rule.clause)）")
    }

    /// The value with as many decimals as it takes for the printed figure to compare with the threshold as the value
    /// does: 29,999.9 万元 reads “2.99999 亿元，低于 3 亿元”, never “3.00 亿元，低于 3 亿元”.
    static func comparable(_ text: (Int) -> String, to limit: FixedDecimal?, shift: Int, passed: Bool) -> String {
        guard let limit else { return text(2) }
        let limitExponent = FixedDecimal.fractionDigits + shift
        for digits in 2...12 {
            let shown = text(digits)
            guard let printed = scaled(shown) else { return shown }
            // printed ÷ 10^digits against limit ÷ 10^limitExponent, without dividing.
            let reached = printed * FixedDecimal.power10(limitExponent) >= Int128(limit.units) * FixedDecimal.power10(digits)
            if reached == passed { return shown }
        }
        return text(12)
    }

    /// “-2,999.95” as −299995 (the digits without the point).
    static func scaled(_ text: String) -> Int128? {
        let digits = text.filter { $0 != "," && $0 != "." }
        guard let magnitude = Int128(digits.hasPrefix("-") ? String(digits.dropFirst()) : digits) else { return nil }
        return digits.hasPrefix("-") ? -magnitude : magnitude
    }

    func reachedSentence(_ rule: EligibilityRule, _ value: String, _ reached: Bool) -> String {
        let limit = rule.threshold.map { withUnit($0.compact(shift: shift(rule)), rule) } ?? ""
        return reached ? "\(rule.subject) \(value)，达到 \(limit)以上" : "\(rule.subject) \(value)，低于 \(limit)"
    }

    /// Figures worth showing beside the rules, and inconsistencies worth a second look.
    func describeFigures(_ application: Application, spec: DirectionSpec, facts: inout [Fact], warnings: inout [String]) {
        let finance = round.finance
        if spec.direction.reportFigures?.contains(.revenueChange) == true, let increase = application.revenueIncrease(round: round) {
            facts.append(Fact(label: "营收增量", value: "\(increase.grouped()) 万元（\(increase.grouped(shift: 4)) 亿元）"))
            if let growth = application.revenueGrowth(round: round) {
                facts.append(Fact(label: "营收增速", value: "\(growth.formatted())%"))
            }
        }
        for period in finance.periods {
            let values = application.overview.finances[period.id] ?? [:]
            if let total = values["operatingRevenue"], let main = values["mainBusinessRevenue"], main > total {
                warnings.append("\(period.label)主营业务收入（\(main.grouped()) 万元）大于营业收入（\(total.grouped()) 万元），请核对")
            }
        }
        for field in spec.fields where [.rowCount, .shareOfRevenue].contains(field.figure?.kind) {
            guard let line = application.figure(for: field, round: round) else { continue }
            facts.append(Fact(label: line.label, value: line.value))
            if field.figure?.kind == .shareOfRevenue, let amount = application.content[field.id]?.number,
               let revenue = application.overview.finances[finance.basePeriod]?[finance.revenueItem], amount > revenue {
                warnings.append("\(field.label)大于企业\(finance.basePeriod)年营业收入，请核对")
            }
        }
        warnings += spec.direction.reviewNotes ?? []
    }
}
