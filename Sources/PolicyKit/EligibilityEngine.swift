import Foundation

extension Application {
    /// The value a rule or condition names: `content.x`, `enterprise.x`, `metric.x`, `subDirection`.
    public func value(at path: String, round: Round) -> FieldValue? {
        guard let dot = path.firstIndex(of: ".") else {
            return path == "subDirection" ? subDirection.map(FieldValue.text) : nil
        }
        let scope = path[..<dot]
        let key = path[path.index(after: dot)...]
        switch scope {
        case "content": return content[String(key)]
        case "metric": return key == "revenueIncrease" ? revenueIncrease(round: round).map(FieldValue.number) : nil
        case "enterprise":
            switch key {
            case "creditCode": return enterprise.creditCode.map(FieldValue.text)
            case "name": return enterprise.name.map(FieldValue.text)
            case "city": return enterprise.city.map(FieldValue.text)
            case "county": return enterprise.county.map(FieldValue.text)
            case "ownership": return enterprise.ownership.map(FieldValue.text)
            case "industryCategory": return enterprise.industryCategory.map(FieldValue.text)
            case "industry": return enterprise.industry.map(FieldValue.text)
            case "inTransformationZone": return enterprise.inTransformationZone.map(FieldValue.bool)
            case "independentLegalPerson": return enterprise.independentLegalPerson.map(FieldValue.bool)
            case "implementedInShanxi": return enterprise.implementedInShanxi.map(FieldValue.bool)
            case "noOtherProvincialFunds": return enterprise.noOtherProvincialFunds.map(FieldValue.bool)
            default: return nil
            }
        default: return nil
        }
    }

    /// 营收增量 (万元) of the base period over the prior one.
    public func revenueIncrease(round: Round) -> FixedDecimal? {
        guard let change = revenueChange(round: round) else { return nil }
        return change.current - change.prior
    }

    /// 营收增速; nil where either year is missing or the prior year's revenue is not positive.
    public func revenueGrowth(round: Round) -> PercentChange? {
        revenueChange(round: round).flatMap { PercentChange(from: $0.prior, to: $0.current) }
    }

    func revenueChange(round: Round) -> (prior: FixedDecimal, current: FixedDecimal)? {
        let finance = round.finance
        guard let current = overview.finances[finance.basePeriod]?[finance.revenueItem],
              let prior = overview.finances[finance.priorPeriod]?[finance.revenueItem] else { return nil }
        return (prior, current)
    }
}

/// Evaluates applications against a round's 资格条件.
public struct EligibilityEngine: Sendable {
    public let round: Round

    public init(round: Round) {
        self.round = round
    }

    public func evaluate(_ application: Application, blacklist: CreditBlacklist = .empty) -> Verdict {
        guard let spec = round.directionSpec(application.direction, subDirection: application.subDirection) else {
            let problem = InputProblem(path: "direction", message: "申报方向“\(application.direction)”不在本批次目录中")
            return Verdict(
                status: .incomplete, summary: problem.message, round: round.id, programme: "", direction: application.direction,
                results: [], missing: [problem], routing: nil, reviewAuthority: nil, tier: nil, facts: [], warnings: [])
        }
        var evaluation = Evaluation(round: round, application: application, spec: spec, blacklist: blacklist)
        evaluation.checkCompleteness()
        for rule in round.generalRules + spec.direction.rules {
            evaluation.results.append(evaluation.evaluate(rule))
        }
        evaluation.describeFigures()
        let routing = route(application, spec: spec)
        if routing == nil {
            evaluation.warnings.append("无法确定负责处室：\(spec.direction.name)按附件4分行业（或类别）确定处室，请先填写所属行业或试点示范类别")
        }
        let failed = evaluation.results.filter { $0.passed == false }
        let undecided = evaluation.results.contains { $0.passed == nil }
        let status: Verdict.Status = !failed.isEmpty ? .ineligible : evaluation.missing.isEmpty && !undecided ? .eligible : .incomplete
        let summary: String
        switch status {
        case .eligible: summary = "符合\(spec.fullName)申报条件"
        case .ineligible: summary = "不符合申报条件：" + failed.map(\.message).joined(separator: "；")
        case .incomplete: summary = "尚有 \(evaluation.missing.count) 项未填写或不符合填写要求"
        }
        return Verdict(
            status: status, summary: summary, round: round.id, programme: spec.programme.name, direction: spec.fullName,
            results: evaluation.results, missing: evaluation.missing, routing: routing,
            reviewAuthority: round.reviewAuthority(for: application.enterprise),
            tier: status == .eligible || status == .incomplete ? evaluation.tier : nil,
            facts: evaluation.facts, warnings: evaluation.warnings)
    }

    /// Evaluates many applications (conflict reports, statistics, re-checks after a blacklist import) on every core, in order.
    public func evaluateAll(_ applications: [Application], blacklist: CreditBlacklist = .empty) -> [Verdict] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, applications.count / 256))
        guard workers > 1 else { return applications.map { evaluate($0, blacklist: blacklist) } }
        let slices = (0..<workers).map { worker in
            (applications.count * worker / workers)..<(applications.count * (worker + 1) / workers)
        }
        let results = VerdictSlots(count: workers)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            results.store(slices[worker].map { evaluate(applications[$0], blacklist: blacklist) }, at: worker)
        }
        return results.joined()
    }

    /// 附件4: the first row whose condition holds (or the direction's only row).
    public func route(_ application: Application, spec: DirectionSpec) -> RoutedDivision? {
        let row = spec.direction.routing.first { row in
            guard let condition = row.when else { return true }
            return application.value(at: condition.field, round: round)?.text.map(condition.values.contains) ?? false
        }
        guard let row, let division = round.division(row.division) else { return nil }
        return RoutedDivision(row: row.row, label: row.label, divisionId: division.id, division: division.name, contacts: row.contacts, phone: row.phone)
    }
}

/// One slot per worker of `evaluateAll`; each worker writes only its own slot.
private final class VerdictSlots: @unchecked Sendable {
    private var slots: [[Verdict]]
    private let lock = NSLock()

    init(count: Int) {
        slots = Array(repeating: [], count: count)
    }

    func store(_ verdicts: [Verdict], at index: Int) {
        lock.lock()
        slots[index] = verdicts
        lock.unlock()
    }

    func joined() -> [Verdict] {
        lock.lock()
        defer { lock.unlock() }
        return slots.flatMap { $0 }
    }
}

/// The working state of one evaluation.
struct Evaluation {
    let round: Round
    let application: Application
    let spec: DirectionSpec
    let blacklist: CreditBlacklist
    var results: [RuleResult] = []
    var missing: [InputProblem] = []
    var warnings: [String] = []
    var facts: [Fact] = []
    var tier: Verdict.TierResult?

    init(round: Round, application: Application, spec: DirectionSpec, blacklist: CreditBlacklist) {
        self.round = round
        self.application = application
        self.spec = spec
        self.blacklist = blacklist
    }

    // MARK: - Completeness

    /// Paths and labels are built only for what is missing: most applications being checked are nearly complete.
    mutating func need(_ path: @autoclosure () -> String, _ label: @autoclosure () -> String, present: Bool) {
        if !present { missing.append(InputProblem(path: path(), message: "请填写\(label())")) }
    }

    mutating func checkCompleteness() {
        let enterprise = application.enterprise
        need("enterprise.creditCode", "统一社会信用代码", present: enterprise.creditCode != nil)
        need("enterprise.name", "企业（单位）名称", present: enterprise.name != nil)
        need("enterprise.city", "所在市", present: enterprise.city != nil)
        need("enterprise.county", "所在县", present: enterprise.county != nil)
        need("enterprise.ownership", "企业（单位）性质", present: enterprise.ownership != nil)
        need("enterprise.industryCategory", "行业分类", present: enterprise.industryCategory != nil)
        need("enterprise.industry", "所属行业", present: enterprise.industry != nil)
        need("enterprise.independentLegalPerson", "是否为独立法人企业或其他法人单位", present: enterprise.independentLegalPerson != nil)
        need("enterprise.implementedInShanxi", "项目是否在山西省境内实施", present: enterprise.implementedInShanxi != nil)
        need("enterprise.noOtherProvincialFunds", "项目是否获得过其他省级财政资金支持", present: enterprise.noOtherProvincialFunds != nil)
        need("contact.name", "项目联系人", present: application.contact.name != nil)
        need("contact.mobile", "联系手机", present: application.contact.mobile != nil)
        if let name = application.projectName {
            if let message = ProjectNameRules.check(name, spec: spec, application: application, round: round) {
                missing.append(InputProblem(path: "projectName", message: message))
            }
        } else {
            let hint = ProjectNameRules.expectedName(for: spec, application: application, round: round).map { "，应为“\($0)”" } ?? "（\(spec.direction.projectNameRule.description)）"
            missing.append(InputProblem(path: "projectName", message: "请填写项目名称\(hint)"))
        }
        for text in round.overviewTexts where text.isRequired {
            need("overview.texts.\(text.id)", text.label, present: application.overview.texts[text.id] != nil)
        }
        for period in round.finance.periods {
            for item in round.finance.items {
                need("overview.finances.\(period.id).\(item.id)", "\(period.label)\(item.label)",
                     present: application.overview.finances[period.id]?[item.id] != nil)
            }
        }
        for field in spec.fields {
            checkField(field, value: application.content[field.id], path: "content." + field.id)
        }
        checkPerformanceTargets()
        for attachment in round.attachments(for: spec) where attachment.source == .upload && isRequired(attachment) {
            if !application.attachments.contains(where: { $0.item == attachment.id }) {
                missing.append(InputProblem(path: "attachments.\(attachment.id)", message: "请上传附件：\(attachment.title)"))
            }
        }
        if application.commitmentAccepted != true {
            missing.append(InputProblem(path: "commitmentAccepted", message: "请确认承诺书内容"))
        }
    }

    func isRequired(_ attachment: AttachmentSpec) -> Bool {
        guard let condition = attachment.requiredWhen else { return attachment.isRequired }
        return application.value(at: condition.field, round: round)?.text.map(condition.values.contains) ?? false
    }

    mutating func checkField(_ field: FieldSpec, value: FieldValue?, path: @autoclosure () -> String) {
        guard let value else {
            if field.isRequired { need(path(), field.label, present: false) }
            return
        }
        guard field.type == .table, let rows = value.rows else { return }
        if rows.count < (field.minRows ?? 0) {
            missing.append(InputProblem(path: path(), message: "\(field.label)至少填写 \(field.minRows ?? 0) 行"))
        }
        let required = (field.columns ?? []).filter(\.isRequired)
        for (index, row) in rows.enumerated() {
            for column in required where row[column.id] == nil {
                missing.append(InputProblem(path: "\(path())[\(index)].\(column.id)", message: "请填写\(field.label)第 \(index + 1) 行的\(column.label)"))
            }
        }
    }

    mutating func checkPerformanceTargets() {
        let spec = round.performanceTargets
        let targets = application.performanceTargets
        for source in spec.fundingSources where source.required == true && targets.funding[source.id] == nil {
            missing.append(InputProblem(path: "performanceTargets.funding.\(source.id)", message: "请填写绩效目标表资金情况的\(source.label)（\(source.help ?? "万元")）"))
        }
        if targets.goals.isEmpty {
            missing.append(InputProblem(path: "performanceTargets.goals", message: "请填写绩效目标表的总体目标"))
        }
        for level in spec.indicatorLevels where !targets.indicators.contains(where: { $0.level1 == level.name }) {
            missing.append(InputProblem(path: "performanceTargets.indicators", message: "请至少填写一项\(level.name)"))
        }
    }

    // MARK: - Rules

    func result(_ rule: EligibilityRule, passed: Bool?, message: String, threshold: String? = nil, value: String? = nil) -> RuleResult {
        RuleResult(ruleId: rule.id, clause: rule.clause, clauseText: rule.clauseText, subject: rule.subject,
                   threshold: threshold, value: value, passed: passed, message: "\(message)（\(rule.clause)）")
    }

    /// A rule that cannot be decided yet; its field is listed as missing unless something already names it.
    mutating func notFilled(_ rule: EligibilityRule, threshold: String? = nil) -> RuleResult {
        if let field = rule.field, !field.hasPrefix("metric."), !missing.contains(where: { $0.path.hasPrefix(field) }) {
            missing.append(InputProblem(path: field, message: "请填写\(rule.subject)"))
        }
        return result(rule, passed: nil, message: "未填写\(rule.subject)，暂无法判断", threshold: threshold)
    }

    mutating func evaluate(_ rule: EligibilityRule) -> RuleResult {
        if let condition = rule.when {
            let actual = application.value(at: condition.field, round: round)?.text
            guard let actual, condition.values.contains(actual) else {
                return result(rule, passed: true, message: "\(rule.subject)：不涉及")
            }
        }
        let value = rule.field.flatMap { application.value(at: $0, round: round) }
        switch rule.kind {
        case .isTrue, .isFalse:
            let expected = rule.kind == .isTrue
            guard let actual = value?.bool else { return notFilled(rule) }
            return actual == expected
                ? result(rule, passed: true, message: "\(rule.subject)：是", threshold: "是", value: "是")
                : result(rule, passed: false, message: "\(rule.subject)：否，不符合“\(rule.clauseText)”", threshold: "是", value: "否")

        case .equals:
            let required = rule.value ?? ""
            guard let actual = value?.text else { return notFilled(rule, threshold: required) }
            let isYear = spec.field(fieldID(rule))?.type == .year
            let shown = { (text: String) in isYear ? "\(text)年" : "“\(text)”" }
            return actual == required
                ? result(rule, passed: true, message: "\(rule.subject)为\(shown(actual))", threshold: shown(required), value: shown(actual))
                : result(rule, passed: false, message: "\(rule.subject)为\(shown(actual))，应为\(shown(required))", threshold: shown(required), value: shown(actual))

        case .oneOf:
            let allowed = rule.values ?? []
            let threshold = allowed.joined(separator: "或")
            guard let actual = value?.text else { return notFilled(rule, threshold: threshold) }
            return allowed.contains(actual)
                ? result(rule, passed: true, message: "\(rule.subject)为“\(actual)”", threshold: threshold, value: actual)
                : result(rule, passed: false, message: "\(rule.subject)为“\(actual)”，应为\(threshold)", threshold: threshold, value: actual)

        case .minimum:
            return minimum(rule, value: value)

        case .minimumRows:
            let required = rule.count ?? 1
            let unit = rule.unit ?? "项"
            let threshold = "≥ \(required) \(unit)"
            guard let rows = value?.rows else { return notFilled(rule, threshold: threshold) }
            let counted = rows.filter { row in
                guard let condition = rule.rowCondition else { return true }
                return (row[condition.column]?.number).map { $0 > condition.greaterThan } ?? false
            }.count
            return counted >= required
                ? result(rule, passed: true, message: "\(rule.subject)共 \(counted) \(unit)，达到 \(required) \(unit)", threshold: threshold, value: "\(counted) \(unit)")
                : result(rule, passed: false, message: "\(rule.subject)共 \(counted) \(unit)，少于 \(required) \(unit)", threshold: threshold, value: "\(counted) \(unit)")

        case .onOrBefore:
            guard let limitText = rule.date, let limit = CalendarDate(limitText) else { return notFilled(rule) }
            guard let text = value?.text, let actual = CalendarDate(text) else { return notFilled(rule, threshold: "\(limit.chinese)前") }
            return actual <= limit
                ? result(rule, passed: true, message: "\(rule.subject)为\(actual.chinese)，在\(limit.chinese)前", threshold: "\(limit.chinese)前", value: actual.chinese)
                : result(rule, passed: false, message: "\(rule.subject)为\(actual.chinese)，晚于\(limit.chinese)", threshold: "\(limit.chinese)前", value: actual.chinese)

        case .industryIn, .industryNotIn:
            let listed = rule.values ?? []
            let wanted = rule.kind == .industryIn
            guard let industry = application.enterprise.industry else { return notFilled(rule) }
            let threshold = (wanted ? "属于：" : "不属于：") + listed.joined(separator: "、")
            return listed.contains(industry) == wanted
                ? result(rule, passed: true, message: "所属行业为“\(industry)”，符合“\(rule.clauseText)”", threshold: threshold, value: industry)
                : result(rule, passed: false, message: "所属行业为“\(industry)”，不符合“\(rule.clauseText)”", threshold: threshold, value: industry)

        case .notBlacklisted:
            guard let code = application.enterprise.creditCode else { return notFilled(rule) }
            if let entry = blacklist.entry(for: code) {
                return result(rule, passed: false, message: "统一社会信用代码 \(code) 列入\(entry.source)，不得申报", threshold: "未列入", value: "已列入")
            }
            let checked = blacklist.count == 0 ? "（尚未导入失信名单，请以审核时核查结果为准）" : ""
            return result(rule, passed: true, message: "未列入失信名单\(checked)", threshold: "未列入", value: "未列入")

        case .monthlyGrowth:
            return monthlyGrowth(rule, value: value)

        case .tableContains:
            guard let wanted = rule.valueField.flatMap({ application.value(at: $0, round: round)?.text }),
                  let rows = value?.rows, let column = rule.column else { return notFilled(rule) }
            return rows.contains { $0[column]?.text == wanted }
                ? result(rule, passed: true, message: "“\(wanted)”已列入\(spec.field(fieldID(rule))?.label ?? rule.subject)", value: wanted)
                : result(rule, passed: false, message: "“\(wanted)”未列入\(spec.field(fieldID(rule))?.label ?? rule.subject)", value: wanted)
        }
    }

    func fieldID(_ rule: EligibilityRule) -> String {
        rule.field.map { String($0.split(separator: ".").last ?? "") } ?? ""
    }

    /// 以上 includes the number. Amounts may be shown in 亿元 while stored in 万元; growth rates are compared exactly.
    mutating func minimum(_ rule: EligibilityRule, value: FieldValue?) -> RuleResult {
        guard let limit = rule.threshold else { return notFilled(rule) }
        let unit = rule.displayUnit ?? "万元"
        let shift = unit == "亿元" ? 4 : 0
        let join = { (number: String) in unit == "%" ? "\(number)%" : "\(number) \(unit)" }
        let threshold = "≥ " + join(limit.compact(shift: shift))
        let reached: Bool
        let shown: String
        if rule.field == "metric.revenueGrowth" {
            guard let growth = application.revenueGrowth(round: round) else {
                if application.revenueChange(round: round) != nil {
                    let prior = round.finance.periods.first { $0.id == round.finance.priorPeriod }?.label ?? "上年"
                    return result(rule, passed: false, message: "\(prior)营业收入为 0，无法计算增速，不满足增速要求", threshold: threshold)
                }
                return notFilled(rule, threshold: threshold)
            }
            reached = growth.isAtLeast(limit)
            shown = join(growth.formatted())
        } else {
            guard let actual = value?.number else { return notFilled(rule, threshold: threshold) }
            reached = actual >= limit
            shown = join(actual.grouped(shift: shift))
        }
        let limitText = join(limit.compact(shift: shift))
        return reached
            ? result(rule, passed: true, message: "\(rule.subject) \(shown)，达到 \(limitText)以上", threshold: threshold, value: shown)
            : result(rule, passed: false, message: "\(rule.subject) \(shown)，低于 \(limitText)", threshold: threshold, value: shown)
    }

    /// 白名单: every month (2023's Jan+Feb as one) up year on year, and some month at a tier.
    mutating func monthlyGrowth(_ rule: EligibilityRule, value: FieldValue?) -> RuleResult {
        let tiers = (rule.tiers ?? []).sorted { $0.minimumPercent < $1.minimumPercent }
        let lowest = tiers.first?.minimumPercent.compact() ?? "0"
        let threshold = "每月同比 > 0%，且任一月 ≥ \(lowest)%"
        guard let periodName = rule.periodField.flatMap({ application.value(at: $0, round: round)?.text }),
              let period = round.vocabularies.whitelistPeriods.first(where: { $0.name == periodName }) else {
            return notFilled(rule, threshold: threshold)
        }
        guard let rows = value?.rows, !rows.isEmpty else {
            missing.append(InputProblem(path: rule.field ?? "", message: "请填写\(period.name)每月当月产值（\(period.months.joined(separator: "、"))）"))
            return notFilled(rule, threshold: threshold)
        }
        var growth: [(month: String, change: PercentChange?)] = []
        var incomplete = false
        for month in period.months {
            guard let row = rows.first(where: { $0["month"]?.text == month }),
                  let prior = row["priorOutput"]?.number, let current = row["currentOutput"]?.number else {
                missing.append(InputProblem(path: rule.field ?? "", message: "请填写\(period.name)中“\(month)”的当月产值及上年同月产值"))
                incomplete = true
                continue
            }
            growth.append((month, PercentChange(from: prior, to: current)))
        }
        let extra = rows.compactMap { $0["month"]?.text }.filter { !period.months.contains($0) }
        if !extra.isEmpty {
            missing.append(InputProblem(path: rule.field ?? "", message: "“\(extra.joined(separator: "、"))”不属于\(period.name)；月份应为：\(period.months.joined(separator: "、"))\(period.note.map { "（\($0)）" } ?? "")"))
            incomplete = true
        }
        var months: [(month: String, change: PercentChange)] = []
        for (month, change) in growth {
            guard let change, change.isPositive else {
                let how: String
                switch change {
                case nil: how = "上年同月产值为 0，无法计算同比"
                case let change? where change.isNegative: how = "同比下降 \(change.magnitude.formatted())%"
                default: how = "同比持平"
                }
                let shown = change.map { "\(month) \($0.formatted())%" } ?? "\(month) —"
                return result(rule, passed: false, message: "\(period.name)中\(month)当月产值\(how)，不满足每月同比正增长", threshold: threshold, value: shown)
            }
            months.append((month, change))
        }
        if incomplete { return notFilled(rule, threshold: threshold) }
        let best = months.max { $0.change < $1.change }!
        let shown = "最高 \(best.change.formatted())%（\(best.month)）"
        facts.append(Fact(label: "\(period.name)各月同比增速", value: months.map { "\($0.month) \($0.change.formatted())%" }.joined(separator: "，")))
        guard let reached = tiers.last(where: { best.change.isAtLeast($0.minimumPercent) }) else {
            return result(rule, passed: false, message: "\(period.name)各月同比均为正增长，但最高增速 \(best.change.formatted())%（\(best.month)），未达到 \(lowest)%", threshold: threshold, value: shown)
        }
        tier = Verdict.TierResult(id: reached.id, name: reached.name)
        return result(rule, passed: true, message: "\(period.name)各月同比均为正增长，最高增速 \(best.change.formatted())%（\(best.month)），达到 \(reached.minimumPercent.compact())%以上，适用\(reached.name)", threshold: threshold, value: shown)
    }

    // MARK: - Figures and warnings

    mutating func describeFigures() {
        let finance = round.finance
        if ["revenue-increase", "consumer-increase"].contains(spec.direction.id),
           let increase = application.revenueIncrease(round: round) {
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
        if let sales = application.content["productSalesRevenue"]?.number,
           let revenue = application.overview.finances[finance.basePeriod]?[finance.revenueItem],
           let share = sales.percentage(of: revenue) {
            facts.append(Fact(label: "该产品销售收入占企业营业收入比重", value: "\(share)%"))
            if sales > revenue {
                warnings.append("该产品销售收入大于企业\(finance.basePeriod)年营业收入，请核对")
            }
        }
        if spec.direction.id == "pilot-demonstration", let cumulative = application.content["cumulativePilots"]?.rows {
            let upToBase = cumulative.filter { ($0["year"]?.number).map { $0 <= FixedDecimal(round.baseYear) } ?? true }
            facts.append(Fact(label: "截至\(round.baseYear)年度累计获批国家级试点示范", value: "\(upToBase.count) 项"))
            warnings.append("试点示范奖励按截至\(round.baseYear)年度累计获批情况分档，分档标准以省厅审核为准")
        }
    }
}
