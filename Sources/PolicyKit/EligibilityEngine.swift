import Foundation

/// Evaluates applications against a round's 资格条件.
///
/// `assess` decides (status, each rule's outcome, routing, tier) without building any text;
/// `evaluate` adds the Chinese sentences a user reads. Lists and statistics need only the first.
public struct EligibilityEngine: Sendable {
    public let round: Round
    let plans: [String: [DirectionPlan]]

    public init(round: Round) {
        self.round = round
        var plans: [String: [DirectionPlan]] = [:]
        for (programme, direction) in round.allDirections {
            let specs = direction.subDirections.map { subs in subs.map { DirectionSpec(programme: programme, direction: direction, subDirection: $0) } }
                ?? [DirectionSpec(programme: programme, direction: direction)]
            plans[direction.id] = specs.map { DirectionPlan(spec: $0, round: round) }
        }
        self.plans = plans
    }

    func plan(for application: Application) -> DirectionPlan? {
        plans[application.direction]?.first { $0.spec.subDirection?.id == application.subDirection }
    }

    public func assess(_ application: Application, blacklist: CreditBlacklist = .empty) -> Assessment {
        guard let plan = plan(for: application) else {
            return Assessment(status: .incomplete, outcomes: [], missing: [InputProblem(path: "direction", message: "申报方向“\(application.direction)”不在本批次目录中")], routeIndex: nil, tier: nil)
        }
        var assessor = Assessor(round: round, plan: plan, application: application, blacklist: blacklist)
        assessor.checkCompleteness()
        let outcomes = plan.rules.map { assessor.assess($0) }
        var failed = false
        var undecided = false
        for outcome in outcomes {
            switch outcome.passed {
            case false?: failed = true
            case nil: undecided = true
            default: break
            }
        }
        let status: Verdict.Status = failed ? .ineligible : assessor.missing.isEmpty && !undecided ? .eligible : .incomplete
        let routeIndex = plan.routing.firstIndex { $0.condition?.holds(for: application, round: round) ?? true }
        return Assessment(status: status, outcomes: outcomes, missing: assessor.missing, routeIndex: routeIndex,
                          tier: status == .ineligible ? nil : assessor.tier)
    }

    public func evaluate(_ application: Application, blacklist: CreditBlacklist = .empty) -> Verdict {
        render(assess(application, blacklist: blacklist), of: application)
    }

    /// Evaluates many applications (conflict reports, statistics, re-checks after a blacklist import) on every core, in order.
    public func evaluateAll(_ applications: [Application], blacklist: CreditBlacklist = .empty) -> [Verdict] {
        Parallel.map(applications) { evaluate($0, blacklist: blacklist) }
    }

    /// Decisions only, for many applications on every core.
    public func assessAll(_ applications: [Application], blacklist: CreditBlacklist = .empty) -> [Assessment] {
        Parallel.map(applications) { assess($0, blacklist: blacklist) }
    }

    /// 附件4: the first row whose condition holds (or the direction's only row).
    public func route(_ application: Application) -> RoutedDivision? {
        guard let plan = plan(for: application),
              let index = plan.routing.firstIndex(where: { $0.condition?.holds(for: application, round: round) ?? true }) else { return nil }
        return routedDivision(plan.spec.direction.routing[index])
    }

    func routedDivision(_ row: RoutingRow) -> RoutedDivision? {
        guard let division = round.division(row.division) else { return nil }
        return RoutedDivision(row: row.row, label: row.label, divisionId: division.id, division: division.name, contacts: row.contacts, phone: row.phone)
    }
}

/// The decision for one application: what `Verdict` puts into words.
public struct Assessment: Sendable {
    public var status: Verdict.Status
    /// One per rule of the direction's plan (general rules first).
    var outcomes: [RuleOutcome]
    public var missing: [InputProblem]
    /// Index into the direction's routing rows.
    var routeIndex: Int?
    public var tier: EligibilityRule.Tier?
}

/// A direction (and sub-direction) with its rules, uploads and routing compiled once.
struct DirectionPlan: Sendable {
    struct Rule: Sendable {
        let rule: EligibilityRule
        let field: FieldPath?
        let periodField: FieldPath?
        let valueField: FieldPath?
        let tableField: FieldPath?
        let condition: CompiledCondition?
        let fieldSpec: FieldSpec?
        let tableSpec: FieldSpec?
        let tiers: [EligibilityRule.Tier]
    }

    struct Upload: Sendable {
        let spec: AttachmentSpec
        let condition: CompiledCondition?
    }

    struct Route: Sendable {
        let condition: CompiledCondition?
    }

    let spec: DirectionSpec
    let fields: [FieldSpec]
    let rules: [Rule]
    let uploads: [Upload]
    let routing: [Route]
    let requiredTableColumns: [String: [FieldSpec]]
    /// Fields required only when a condition holds, by id.
    let requiredWhen: [String: CompiledCondition]

    init(spec: DirectionSpec, round: Round) {
        self.spec = spec
        let fields = spec.fields
        self.fields = fields
        func contentField(_ path: String?) -> FieldSpec? {
            guard let path, case .content(let id) = FieldPath(path) else { return nil }
            return fields.first { $0.id == id }
        }
        rules = (round.generalRules + spec.direction.rules).map { original in
            var rule = original
            // A direction split into sub-directions quotes the chosen one's own sentence of the notice.
            if let sub = spec.subDirection, spec.direction.rules.contains(where: { $0.id == rule.id }) {
                rule.clauseText = sub.clauseText
            }
            return Rule(
                rule: rule, field: rule.field.map(FieldPath.init), periodField: rule.periodField.map(FieldPath.init),
                valueField: rule.valueField.map(FieldPath.init), tableField: rule.tableField.map(FieldPath.init),
                condition: rule.when.map(CompiledCondition.init),
                fieldSpec: contentField(rule.field), tableSpec: contentField(rule.tableField),
                tiers: (rule.tiers ?? []).sorted { $0.minimumPercent < $1.minimumPercent })
        }
        uploads = round.attachments(for: spec).filter { $0.source == .upload }.map { Upload(spec: $0, condition: $0.requiredWhen.map(CompiledCondition.init)) }
        routing = spec.direction.routing.map { Route(condition: $0.when.map(CompiledCondition.init)) }
        requiredTableColumns = Dictionary(uniqueKeysWithValues: fields.filter { $0.type == .table }.map { ($0.id, ($0.columns ?? []).filter(\.isRequired)) })
        requiredWhen = Dictionary(uniqueKeysWithValues: fields.compactMap { field in field.requiredWhen.map { (field.id, CompiledCondition($0)) } })
    }
}

/// What a rule found, kept as values so that sentences are built only when shown.
enum Observation: Sendable {
    case notFilled
    case notApplicable
    case declaration(actual: Bool, expected: Bool)
    case flagged(Bool)
    case equals(actual: String)
    case oneOf(actual: String)
    case minimum(actual: FixedDecimal)
    case growth(PercentChange)
    case growthUncomputable
    case rowCount(Int)
    case date(CalendarDate)
    case industry(String)
    case blacklist(CreditBlacklist.Entry?, listSize: Int)
    case monthlyDecline(period: String, month: String, change: PercentChange?)
    case monthlyGrowth(period: String, months: [(month: String, change: PercentChange)], best: Int, reached: EligibilityRule.Tier?)
    case tableContains(String)
    case columnSum(actual: FixedDecimal, sum: FixedDecimal)
}

struct RuleOutcome: Sendable {
    var passed: Bool?
    var observation: Observation
}

/// The working state of one assessment.
struct Assessor {
    let round: Round
    let plan: DirectionPlan
    let application: Application
    let blacklist: CreditBlacklist
    var missing: [InputProblem] = []
    var tier: EligibilityRule.Tier?

    init(round: Round, plan: DirectionPlan, application: Application, blacklist: CreditBlacklist) {
        self.round = round
        self.plan = plan
        self.application = application
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
        let spec = plan.spec
        if let name = application.projectName {
            if let message = ProjectNameRules.check(name, spec: spec, application: application, round: round) {
                missing.append(InputProblem(path: "projectName", message: message))
            }
        } else {
            let hint = ProjectNameRules.expectedName(for: spec, application: application, round: round).map { "，应为“\($0)”" } ?? "（\(spec.direction.projectNameRule.description)）"
            missing.append(InputProblem(path: "projectName", message: "请填写项目名称\(hint)"))
        }
        for text in round.overviewTexts where text.isRequired {
            need("overview.texts." + text.id, text.label, present: application.overview.texts[text.id] != nil)
        }
        let items = round.finance.items
        for period in round.finance.periods {
            let values = application.overview.finances[period.id]
            // The reader admits only the round's items, so a period with as many values as items is complete.
            if values?.count == items.count { continue }
            for item in items {
                need("overview.finances.\(period.id).\(item.id)", "\(period.label)\(item.label)", present: values?[item.id] != nil)
            }
        }
        for field in plan.fields {
            checkField(field, value: application.content[field.id])
        }
        checkPerformanceTargets()
        for upload in plan.uploads where upload.condition?.holds(for: application, round: round) ?? upload.spec.isRequired {
            if !application.attachments.contains(where: { $0.item == upload.spec.id }) {
                missing.append(InputProblem(path: "attachments." + upload.spec.id, message: "请上传附件：\(upload.spec.title)"))
            }
        }
        if application.commitmentAccepted != true {
            missing.append(InputProblem(path: "commitmentAccepted", message: "请确认承诺书内容"))
        }
    }

    mutating func checkField(_ field: FieldSpec, value: FieldValue?) {
        guard let value else {
            let required = plan.requiredWhen[field.id]?.holds(for: application, round: round) ?? field.isRequired
            if required { need("content." + field.id, field.label, present: false) }
            return
        }
        guard field.type == .table, let rows = value.rows else { return }
        if rows.count < (field.minRows ?? 0) {
            missing.append(InputProblem(path: "content." + field.id, message: "\(field.label)至少填写 \(field.minRows ?? 0) 行"))
        }
        let columnCount = field.columns?.count ?? 0
        let required = plan.requiredTableColumns[field.id] ?? []
        // The reader admits only the table's own columns, so a row with as many cells as columns is complete.
        for (index, row) in rows.enumerated() where row.count < columnCount {
            for column in required where row[column.id] == nil {
                missing.append(InputProblem(path: "content.\(field.id)[\(index)].\(column.id)", message: "请填写\(field.label)第 \(index + 1) 行的\(column.label)"))
            }
        }
    }

    mutating func checkPerformanceTargets() {
        let spec = round.performanceTargets
        let targets = application.performanceTargets
        for source in spec.fundingSources where source.required == true && targets.funding[source.id] == nil {
            missing.append(InputProblem(path: "performanceTargets.funding." + source.id, message: "请填写绩效目标表资金情况的\(source.label)（\(source.help ?? "万元")）"))
        }
        if targets.goals.isEmpty {
            missing.append(InputProblem(path: "performanceTargets.goals", message: "请填写绩效目标表的总体目标"))
        }
        for level in spec.indicatorLevels where !targets.indicators.contains(where: { $0.level1 == level.name }) {
            missing.append(InputProblem(path: "performanceTargets.indicators", message: "请至少填写一项\(level.name)"))
        }
    }

    // MARK: - Rules

    /// A rule that cannot be decided yet; its field is listed as missing unless something already names it.
    mutating func notFilled(_ compiled: DirectionPlan.Rule) -> RuleOutcome {
        if let field = compiled.rule.field, !field.hasPrefix("metric."), !missing.contains(where: { $0.path.hasPrefix(field) }) {
            missing.append(InputProblem(path: field, message: "请填写\(compiled.rule.subject)"))
        }
        return RuleOutcome(passed: nil, observation: .notFilled)
    }

    mutating func assess(_ compiled: DirectionPlan.Rule) -> RuleOutcome {
        let rule = compiled.rule
        if let condition = compiled.condition, !condition.holds(for: application, round: round) {
            return RuleOutcome(passed: true, observation: .notApplicable)
        }
        let value = compiled.field.flatMap { application.value(at: $0, round: round) }
        switch rule.kind {
        case .isTrue, .isFalse:
            guard let actual = value?.bool else { return notFilled(compiled) }
            let expected = rule.kind == .isTrue
            return RuleOutcome(passed: actual == expected, observation: .declaration(actual: actual, expected: expected))

        case .flag:
            guard let actual = value?.bool else { return notFilled(compiled) }
            return RuleOutcome(passed: true, observation: .flagged(actual))

        case .equals:
            guard let actual = value?.text else { return notFilled(compiled) }
            return RuleOutcome(passed: actual == rule.value, observation: .equals(actual: actual))

        case .oneOf:
            guard let actual = value?.text else { return notFilled(compiled) }
            return RuleOutcome(passed: rule.values?.contains(actual) ?? false, observation: .oneOf(actual: actual))

        case .minimum:
            guard let limit = rule.threshold else { return notFilled(compiled) }
            if compiled.field == .revenueGrowth {
                guard let growth = application.revenueGrowth(round: round) else {
                    if application.revenueChange(round: round) != nil {
                        return RuleOutcome(passed: false, observation: .growthUncomputable)
                    }
                    return notFilled(compiled)
                }
                return RuleOutcome(passed: growth.isAtLeast(limit), observation: .growth(growth))
            }
            guard let actual = value?.number else { return notFilled(compiled) }
            return RuleOutcome(passed: actual >= limit, observation: .minimum(actual: actual))

        case .minimumRows:
            guard let rows = value?.rows else { return notFilled(compiled) }
            let counted: Int
            if let condition = rule.rowCondition {
                counted = rows.reduce(0) { count, row in count + (condition.holds(for: row) ? 1 : 0) }
            } else {
                counted = rows.count
            }
            return RuleOutcome(passed: counted >= (rule.count ?? 1), observation: .rowCount(counted))

        case .onOrBefore:
            guard let limit = rule.date.flatMap(CalendarDate.init), let text = value?.text, let actual = CalendarDate(text) else {
                return notFilled(compiled)
            }
            return RuleOutcome(passed: actual <= limit, observation: .date(actual))

        case .industryIn, .industryNotIn:
            guard let industry = application.enterprise.industry else { return notFilled(compiled) }
            let listed = rule.values?.contains(industry) ?? false
            return RuleOutcome(passed: listed == (rule.kind == .industryIn), observation: .industry(industry))

        case .notBlacklisted:
            guard let code = application.enterprise.creditCode else { return notFilled(compiled) }
            let entry = blacklist.entry(for: code)
            return RuleOutcome(passed: entry == nil, observation: .blacklist(entry, listSize: blacklist.count))

        case .monthlyGrowth:
            return monthlyGrowth(compiled, value: value)

        case .tableContains:
            guard let wanted = compiled.valueField.flatMap({ application.value(at: $0, round: round)?.text }),
                  let rows = value?.rows, let column = rule.column else { return notFilled(compiled) }
            return RuleOutcome(passed: rows.contains { $0[column]?.text == wanted }, observation: .tableContains(wanted))

        case .atLeastColumnSum:
            guard let actual = value?.number, let column = rule.column,
                  let rows = compiled.tableField.flatMap({ application.value(at: $0, round: round) })?.rows else { return notFilled(compiled) }
            let sum = rows.reduce(FixedDecimal.zero) { $0 + ($1[column]?.number ?? .zero) }
            guard actual >= sum else {
                let label = compiled.fieldSpec?.label ?? rule.subject
                let columnLabel = compiled.tableSpec?.columns?.first { $0.id == column }?.label ?? column
                missing.append(InputProblem(path: rule.field ?? "", message:
                    "\(label)（\(actual.grouped()) 万元）小于\(compiled.tableSpec?.label ?? "")中“\(columnLabel)”的合计（\(sum.grouped()) 万元），年度产值应包含这些月份，请核对"))
                return RuleOutcome(passed: nil, observation: .columnSum(actual: actual, sum: sum))
            }
            return RuleOutcome(passed: true, observation: .columnSum(actual: actual, sum: sum))
        }
    }

    /// 白名单: every month (2023's Jan+Feb as one) up year on year, and some month at a tier.
    mutating func monthlyGrowth(_ compiled: DirectionPlan.Rule, value: FieldValue?) -> RuleOutcome {
        let rule = compiled.rule
        guard let periodName = compiled.periodField.flatMap({ application.value(at: $0, round: round)?.text }),
              let period = round.vocabularies.whitelistPeriods.first(where: { $0.name == periodName }) else {
            return notFilled(compiled)
        }
        let path = rule.field ?? ""
        guard let rows = value?.rows, !rows.isEmpty else {
            missing.append(InputProblem(path: path, message: "请填写\(period.name)每月当月产值（\(period.months.joined(separator: "、"))）"))
            return notFilled(compiled)
        }
        var growth: [(month: String, change: PercentChange?)] = []
        var incomplete = false
        for month in period.months {
            guard let row = rows.first(where: { $0["month"]?.text == month }),
                  let prior = row["priorOutput"]?.number, let current = row["currentOutput"]?.number else {
                missing.append(InputProblem(path: path, message: "请填写\(period.name)中“\(month)”的当月产值及上年同月产值"))
                incomplete = true
                continue
            }
            growth.append((month, PercentChange(from: prior, to: current)))
        }
        let extra = rows.compactMap { $0["month"]?.text }.filter { !period.months.contains($0) }
        if !extra.isEmpty {
            missing.append(InputProblem(path: path, message: "“\(extra.joined(separator: "、"))”不属于\(period.name)；月份应为：\(period.months.joined(separator: "、"))\(period.note.map { "（\($0)）" } ?? "")"))
            incomplete = true
        }
        var months: [(month: String, change: PercentChange)] = []
        for (month, change) in growth {
            guard let change, change.isPositive else {
                return RuleOutcome(passed: false, observation: .monthlyDecline(period: period.name, month: month, change: change))
            }
            months.append((month, change))
        }
        if incomplete { return notFilled(compiled) }
        let best = months.indices.max { months[$0].change < months[$1].change }!
        let reached = compiled.tiers.last { months[best].change.isAtLeast($0.minimumPercent) }
        tier = reached
        return RuleOutcome(passed: reached != nil, observation: .monthlyGrowth(period: period.name, months: months, best: best, reached: reached))
    }
}

/// Splits work over the cores, keeping order.
enum Parallel {
    static func map<Input, Output>(_ inputs: [Input], _ transform: (Input) -> Output) -> [Output] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, inputs.count / 256))
        guard workers > 1 else { return inputs.map(transform) }
        return withoutActuallyEscaping(transform) { transform in
            let slots = Slots<Output>(count: workers)
            let transformBox = UncheckedBox(transform)
            let inputBox = UncheckedBox(inputs)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let all = inputBox.value
                let range = (all.count * worker / workers)..<(all.count * (worker + 1) / workers)
                slots.store(all[range].map(transformBox.value), at: worker)
            }
            return slots.joined()
        }
    }

    /// Values handed to worker threads that only read them.
    private struct UncheckedBox<Value>: @unchecked Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    /// One slot per worker; each worker writes only its own.
    private final class Slots<Output>: @unchecked Sendable {
        private var slots: [[Output]]
        private let lock = NSLock()

        init(count: Int) {
            slots = Array(repeating: [], count: count)
        }

        func store(_ outputs: [Output], at index: Int) {
            lock.lock()
            slots[index] = outputs
            lock.unlock()
        }

        func joined() -> [Output] {
            lock.lock()
            defer { lock.unlock() }
            return slots.flatMap { $0 }
        }
    }
}
