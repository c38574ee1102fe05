import Foundation

/// One difference between two rounds, worded for whoever turns last year's policy file into this year's.
public struct RoundChange: Sendable, Equatable, Codable {
    /// The part of the notice a change belongs to; the report lists sections in this order.
    public enum Section: String, Sendable, Codable, CaseIterable {
        case notice, deadline, periods, directions, rules, crossRules, fields, attachments, commitments, routing, divisions, vocabularies, locations, instructions

        public var title: String {
            switch self {
            case .notice: "通知基本信息"
            case .deadline: "申报截止时间"
            case .periods: "财务期间与“白名单”申报期间"
            case .directions: "专项与申报方向"
            case .rules: "资格条件"
            case .crossRules: "跨申报规则（不重复支持、只奖励一次）"
            case .fields: "填报内容"
            case .attachments: "申报材料"
            case .commitments: "承诺事项"
            case .routing: "负责处室与联系人（附件4）"
            case .divisions: "处室"
            case .vocabularies: "行业、试点示范类别与企业性质"
            case .locations: "行政区划与审核单位"
            case .instructions: "附件3 填表说明"
            }
        }
    }

    /// The text already says it (“新增…”, “删除…”, “…：旧 → 新”); the kind is for filtering and counting.
    public enum Kind: String, Sendable, Codable {
        case added, removed, changed
    }

    public var section: Section
    public var kind: Kind
    /// Where: names from the round joined by “ · ”, then the item's id where it has one (“营收增量奖励 · 资格条件
    /// revenue.increase”), so the item can be found in the policy file. The only place a change carries ids.
    public var entry: String
    /// One Chinese sentence with values as users read them (“3 亿元”, “2023-11-10 23:59”).
    public var text: String

    public init(section: Section, kind: Kind, entry: String, text: String) {
        self.section = section
        self.kind = kind
        self.entry = entry
        self.text = text
    }
}

/// What changed between two rounds (申报批次): items are matched by id, never by position, so reordering is no change.
public enum RoundDiff {
    /// Every difference, grouped by section in `Section` order; within a section in the round's own order, and for
    /// each list what was removed, then what changed, then what was added.
    public static func changes(from old: Round, to new: Round) -> [RoundChange] {
        var comparison = RoundComparison(old: old, new: new)
        comparison.compareNotice()
        comparison.compareDeadline()
        comparison.comparePeriods()
        comparison.compareGeneralProvisions()
        comparison.compareProgrammes()
        comparison.compareDirections()
        comparison.compareDivisions()
        comparison.compareVocabularies()
        comparison.compareLocations()
        comparison.compareCrossRules()
        comparison.compareInstructions()
        let found = comparison.changes
        return RoundChange.Section.allCases.flatMap { section in found.filter { $0.section == section } }
    }

    /// A plain-text report for a terminal: both rounds, then each section's changes, then the count.
    public static func render(_ changes: [RoundChange], old: Round, new: Round) -> String {
        var lines = ["批次比较：\(old.id)（\(old.noticeNumber)）→ \(new.id)（\(new.noticeNumber)）"]
        guard !changes.isEmpty else { return (lines + ["两个批次没有差别"]).joined(separator: "\n") + "\n" }
        let sections = RoundChange.Section.allCases.filter { section in changes.contains { $0.section == section } }
        for (index, section) in sections.enumerated() {
            lines += ["", "\(chineseNumeral(index + 1))、\(section.title)"]
            for change in changes where change.section == section {
                lines.append("  · \(change.text)【\(change.entry)】")
            }
        }
        lines += ["", "共 \(changes.count) 处变化"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// 一 … 十四: enough for the sections and for the hours of a time zone.
    static func chineseNumeral(_ number: Int) -> String {
        let numerals = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四"]
        return numerals.indices.contains(number) ? numerals[number] : String(number)
    }

    /// “东八区（+08:00）”: the offset users know, where the zone's identifier would be English.
    static func zoneName(_ identifier: String, at date: Date) -> String {
        guard let zone = TimeZone(identifier: identifier) else { return "未知时区" }
        let seconds = zone.secondsFromGMT(for: date)
        let hours = abs(seconds) / 3600, minutes = abs(seconds) % 3600 / 60
        let name = seconds == 0 ? "零时区" : "\(seconds > 0 ? "东" : "西")\(chineseNumeral(hours))区"
        return name + "（" + (seconds < 0 ? "-" : "+") + String(format: "%02d:%02d", hours, minutes) + "）"
    }
}

/// The items of two lists paired by key wherever they stand: those only the old list has (in its order), then
/// those both have and those only the new list has (in the new order).
private struct Matching<Item> {
    var removed: [Item] = []
    var kept: [(before: Item, after: Item)] = []
    var added: [Item] = []

    init(_ old: [Item], _ new: [Item], by key: (Item) -> String) {
        // A key met again is told apart by its occurrence (a routing row number or a commitment given twice),
        // so that no item goes unreported.
        func keyed(_ items: [Item]) -> [(key: String, item: Item)] {
            var seen: [String: Int] = [:]
            return items.map { item in
                let base = key(item)
                let occurrence = seen[base, default: 0]
                seen[base] = occurrence + 1
                return (occurrence == 0 ? base : "\(base)#\(occurrence)", item)
            }
        }
        let before = keyed(old), after = keyed(new)
        let oldByKey = Dictionary(uniqueKeysWithValues: before.map { ($0.key, $0.item) })
        let newKeys = Set(after.map(\.key))
        removed = before.filter { !newKeys.contains($0.key) }.map(\.item)
        for (key, item) in after {
            if let previous = oldByKey[key] { kept.append((previous, item)) } else { added.append(item) }
        }
    }
}

/// Walks both rounds once, section by section, appending one sentence per differing parameter.
private struct RoundComparison {
    let old: Round
    let new: Round
    var changes: [RoundChange] = []

    static let general = "各方向通用"

    mutating func record(_ section: RoundChange.Section, _ kind: RoundChange.Kind, _ entry: String, _ text: String) {
        changes.append(RoundChange(section: section, kind: kind, entry: entry, text: text))
    }

    /// “label：before → after”, when what users would read differs.
    mutating func compare(_ section: RoundChange.Section, _ entry: String, _ label: String, _ before: String, _ after: String) {
        if before != after { record(section, .changed, entry, "\(label)：\(before) → \(after)") }
    }

    // MARK: - Across applications, and the 填表说明

    mutating func compareCrossRules() {
        let name = { (round: Round, ids: [String]?) in
            (ids ?? []).map { id in round.allDirections.first { $0.direction.id == id }?.direction.name ?? id }.joined(separator: "、")
        }
        let rules = Matching(old.crossRules, new.crossRules) { $0.id }
        for rule in rules.removed { record(.crossRules, .removed, "跨申报规则 \(rule.id)", "删除跨申报规则“\(rule.text)”（\(rule.clause)）") }
        for (before, after) in rules.kept {
            let entry = "跨申报规则 \(after.id)"
            compare(.crossRules, entry, "规则内容", "“\(before.text)”", "“\(after.text)”")
            compare(.crossRules, entry, "“\(after.text)”的条款", before.clause, after.clause)
            // By id: a renamed direction is reported once, under 申报方向.
            if before.directions ?? [] != after.directions ?? [] {
                record(.crossRules, .changed, entry, "“\(after.text)”适用的方向：\(name(old, before.directions)) → \(name(new, after.directions))")
            }
            if before.kind != after.kind || before.field != after.field || before.perEnterprise != after.perEnterprise {
                record(.crossRules, .changed, entry, "“\(after.text)”的比对方式有改动，请核对政策文件")
            }
        }
        for rule in rules.added {
            let directions = name(new, rule.directions)
            record(.crossRules, .added, "跨申报规则 \(rule.id)", "新增跨申报规则“\(rule.text)”（\(rule.clause)）" + (directions.isEmpty ? "" : "，适用于\(directions)"))
        }
    }

    /// The paragraphs are compared as texts: the notice renumbers them freely.
    mutating func compareInstructions() {
        let paragraphs = Matching(old.summaryInstructions, new.summaryInstructions) { $0 }
        for text in paragraphs.removed { record(.instructions, .removed, "附件3 填表说明", "删除填表说明“\(text)”") }
        for text in paragraphs.added { record(.instructions, .added, "附件3 填表说明", "新增填表说明“\(text)”") }
    }

    // MARK: - Notice

    mutating func compareNotice() {
        let facts: [(key: String, label: String, shown: (Round) -> String)] = [
            ("noticeNumber", "文号", { $0.noticeNumber }),
            ("title", "通知标题", { "“\($0.title)”" }),
            ("programmeTitle", "专项资金名称", { "“\($0.programmeTitle)”" }),
            ("issuer", "发文单位", { $0.issuer }),
            ("issuedOn", "印发日期", { $0.issuedOn }),
            ("baseYear", "基准年度", { "\($0.baseYear)年" }),
            ("supportMode", "支持方式", { $0.supportMode }),
        ]
        for fact in facts {
            compare(.notice, "通知 · \(fact.label) \(fact.key)", fact.label, fact.shown(old), fact.shown(new))
        }
        guard old.timeZone != new.timeZone else { return }
        let entry = "通知 · 时区 timeZone"
        let before = RoundDiff.zoneName(old.timeZone, at: old.deadline), after = RoundDiff.zoneName(new.timeZone, at: new.deadline)
        if before == after {
            record(.notice, .changed, entry, "时区标识有改动，时差不变，仍为\(after)")
        } else {
            compare(.notice, entry, "时区", before, after)
        }
    }

    mutating func compareDeadline() {
        let entry = "通知 · 申报截止时间 deadline"
        let before = DateText.minute(old.deadline, timeZone: old.timeZone), after = DateText.minute(new.deadline, timeZone: new.timeZone)
        if before != after {
            compare(.deadline, entry, "申报截止时间", before, after)
        } else if old.deadline != new.deadline {
            record(.deadline, .changed, entry, "申报截止时间仍为\(after)，改动不足一分钟")
        }
    }

    // MARK: - Periods

    mutating func comparePeriods() {
        let periods = Matching(old.finance.periods, new.finance.periods) { $0.id }
        for period in periods.removed { record(.periods, .removed, "财务期间 \(period.id)", "删除财务期间“\(period.label)”") }
        for (before, after) in periods.kept {
            compare(.periods, "财务期间 \(after.id)", "财务期间名称", "“\(before.label)”", "“\(after.label)”")
        }
        for period in periods.added { record(.periods, .added, "财务期间 \(period.id)", "新增财务期间“\(period.label)”") }

        func span(_ round: Round) -> String {
            func label(_ id: String) -> String { round.finance.periods.first { $0.id == id }?.label ?? id }
            return "\(label(round.finance.priorPeriod))至\(label(round.finance.basePeriod))"
        }
        compare(.periods, "财务期间 · 营收增量计算期间", "营收增量计算期间", span(old), span(new))
        func revenueItem(_ round: Round) -> String {
            round.finance.items.first { $0.id == round.finance.revenueItem }?.label ?? round.finance.revenueItem
        }
        compare(.periods, "财务期间 · 营收增量指标 revenueItem", "营收增量所依据的财务指标", revenueItem(old), revenueItem(new))

        let whitelist = Matching(old.vocabularies.whitelistPeriods, new.vocabularies.whitelistPeriods) { $0.id }
        func entry(_ period: WhitelistPeriod) -> String { "“白名单”申报期间 \(period.id)" }
        for period in whitelist.removed { record(.periods, .removed, entry(period), "删除“白名单”申报期间“\(period.name)”") }
        for (before, after) in whitelist.kept {
            compare(.periods, entry(after), "申报期间名称", "“\(before.name)”", "“\(after.name)”")
            compare(.periods, entry(after), "“\(after.name)”月份", before.months.joined(separator: "、"), after.months.joined(separator: "、"))
            compare(.periods, entry(after), "“\(after.name)”所属年度", "\(before.year)年", "\(after.year)年")
            compare(.periods, entry(after), "“\(after.name)”说明", before.note.map { "“\($0)”" } ?? "无", after.note.map { "“\($0)”" } ?? "无")
        }
        for period in whitelist.added {
            record(.periods, .added, entry(period), "新增“白名单”申报期间“\(period.name)”，月份：\(period.months.joined(separator: "、"))")
        }
    }

    // MARK: - Provisions common to every direction

    mutating func compareGeneralProvisions() {
        let place = Self.general
        compareRules(old.generalRules, new.generalRules, place: place, oldFields: [], newFields: [])
        compareAttachments(old.generalAttachments, new.generalAttachments, place: place)
        compareCommitments(old.generalCommitments, new.generalCommitments, place: place)
        compareFields(old.overviewTexts, new.overviewTexts, place: "企业基本情况")
        let items = Matching(old.finance.items, new.finance.items) { $0.id }
        for item in items.removed { record(.fields, .removed, "财务数据 · 指标 \(item.id)", "删除财务指标“\(item.label)”") }
        for (before, after) in items.kept {
            compare(.fields, "财务数据 · 指标 \(after.id)", "财务指标名称", "“\(before.label)”", "“\(after.label)”")
        }
        for item in items.added { record(.fields, .added, "财务数据 · 指标 \(item.id)", "新增财务指标“\(item.label)”") }
    }

    // MARK: - Programmes and directions

    mutating func compareProgrammes() {
        let programmes = Matching(old.programmes, new.programmes) { $0.id }
        for programme in programmes.removed { record(.directions, .removed, "专项 \(programme.id)", "删除专项“\(programme.name)”") }
        for (before, after) in programmes.kept {
            compare(.directions, "专项 \(after.id)", "专项名称", "“\(before.name)”", "“\(after.name)”")
        }
        for programme in programmes.added {
            record(.directions, .added, "专项 \(programme.id)", "新增专项“\(programme.name)”，含申报方向 \(programme.directions.count) 个")
        }
    }

    mutating func compareDirections() {
        let directions = Matching(old.allDirections, new.allDirections) { $0.direction.id }
        for (programme, direction) in directions.removed {
            record(.directions, .removed, "\(direction.name) \(direction.id)", "删除申报方向“\(direction.name)”（原属\(programme.name)）")
        }
        for (before, after) in directions.kept {
            compareDirection(before, after)
        }
        for (programme, direction) in directions.added {
            let subs = direction.subDirections ?? []
            let attachments = (direction.attachments ?? []).count + subs.reduce(0) { $0 + $1.attachments.count }
            var contents = ["资格条件 \(direction.rules.count) 条", "申报材料 \(attachments) 项"]
            if !subs.isEmpty { contents.append("细分方向 \(subs.count) 个") }
            record(.directions, .added, "\(direction.name) \(direction.id)",
                   "新增申报方向“\(direction.name)”（\(direction.clause)），属\(programme.name)，含\(contents.joined(separator: "、"))")
        }
    }

    mutating func compareDirection(_ before: (programme: Programme, direction: Direction), _ after: (programme: Programme, direction: Direction)) {
        let (was, now) = (before.direction, after.direction)
        let place = now.name, entry = "\(now.name) \(now.id)"
        if before.programme.id != after.programme.id {
            record(.directions, .changed, entry, "申报方向由\(before.programme.name)调整至\(after.programme.name)")
        }
        compare(.directions, entry, "申报方向名称", "“\(was.name)”", "“\(now.name)”")
        compare(.directions, entry, "条款", was.clause, now.clause)
        if was.scope != now.scope { record(.directions, .changed, entry, "适用范围改为“\(now.scope)”") }
        compareProjectNameRule(was.projectNameRule, now.projectNameRule, entry: entry)

        compareFields(was.fields ?? [], now.fields ?? [], place: place)
        compareAttachments(was.attachments ?? [], now.attachments ?? [], place: place)
        let oldSubs = was.subDirections ?? [], newSubs = now.subDirections ?? []
        let subs = Matching(oldSubs, newSubs) { $0.id }
        for sub in subs.removed { record(.directions, .removed, "\(place) · 细分方向 \(sub.id)", "删除细分方向“\(sub.name)”") }
        for (before, after) in subs.kept {
            let subEntry = "\(place) · 细分方向 \(after.id)"
            compare(.directions, subEntry, "细分方向名称", "“\(before.name)”", "“\(after.name)”")
            if before.clauseText != after.clauseText { record(.directions, .changed, subEntry, "细分方向条文改为“\(after.clauseText)”") }
            let subPlace = "\(place)—\(after.name)"
            compareFields(before.fields, after.fields, place: subPlace)
            compareAttachments(before.attachments, after.attachments, place: subPlace)
        }
        for sub in subs.added { record(.directions, .added, "\(place) · 细分方向 \(sub.id)", "新增细分方向“\(sub.name)”") }

        // Rules and routing conditions may name any field of the direction, its sub-directions' included.
        let oldFields = (was.fields ?? []) + oldSubs.flatMap(\.fields), newFields = (now.fields ?? []) + newSubs.flatMap(\.fields)
        compareRules(was.rules, now.rules, place: place, oldFields: oldFields, newFields: newFields)
        compareCommitments((was.commitments ?? []).map(\.text), (now.commitments ?? []).map(\.text), place: place)
        compareRouting(was.routing, now.routing, place: place, oldFields: oldFields, newFields: newFields)
    }

    mutating func compareProjectNameRule(_ before: ProjectNameRule, _ after: ProjectNameRule, entry: String) {
        if before.description != after.description {
            compare(.directions, entry, "项目名称填写要求", "“\(before.description)”", "“\(after.description)”")
        } else if [before.kind.rawValue, before.value, before.field, before.column, before.template]
                    != [after.kind.rawValue, after.value, after.field, after.column, after.template] {
            record(.directions, .changed, entry, "项目名称规则有改动，填写要求仍为“\(after.description)”")
        }
    }

    mutating func compareFields(_ oldFields: [FieldSpec], _ newFields: [FieldSpec], place: String) {
        let fields = Matching(oldFields, newFields) { $0.id }
        func entry(_ field: FieldSpec) -> String { "\(place) · 填报项 \(field.id)" }
        for field in fields.removed { record(.fields, .removed, entry(field), "删除填报项“\(field.label)”") }
        func requirement(_ field: FieldSpec) -> String {
            field.requiredWhen != nil ? "按条件必填" : field.isRequired ? "必填" : "选填"
        }
        func choices(_ field: FieldSpec) -> String {
            field.optionsFrom.map { _ in "取自词表" } ?? (field.options ?? []).joined(separator: "、")
        }
        for (before, after) in fields.kept {
            compare(.fields, entry(after), "填报项名称", "“\(before.label)”", "“\(after.label)”")
            compare(.fields, entry(after), "“\(after.label)”是否必填", requirement(before), requirement(after))
            compare(.fields, entry(after), "“\(after.label)”的可选项", choices(before), choices(after))
            // A figure's label follows the year; what it computes, and from what, is the change worth a look.
            if before.type != after.type || before.figure?.kind != after.figure?.kind || before.figure?.from != after.figure?.from
                || (before.columns ?? []).map(\.id) != (after.columns ?? []).map(\.id) {
                record(.fields, .changed, entry(after), "“\(after.label)”的类型、列或计算方式有改动，请核对政策文件")
            }
        }
        for field in fields.added { record(.fields, .added, entry(field), "新增填报项“\(field.label)”") }
    }

    mutating func compareAttachments(_ oldAttachments: [AttachmentSpec], _ newAttachments: [AttachmentSpec], place: String) {
        let attachments = Matching(oldAttachments, newAttachments) { $0.id }
        func entry(_ attachment: AttachmentSpec) -> String { "\(place) · 申报材料 \(attachment.id)" }
        func requirement(_ attachment: AttachmentSpec) -> String {
            attachment.requiredWhen != nil ? "按条件提交" : attachment.isRequired ? "必须提交" : "可不提交"
        }
        func source(_ attachment: AttachmentSpec) -> String {
            switch attachment.source {
            case .generated: "系统生成"
            case .upload: "企业上传"
            }
        }
        for attachment in attachments.removed {
            record(.attachments, .removed, entry(attachment), "删除申报材料“\(attachment.title)”")
        }
        for (before, after) in attachments.kept {
            compare(.attachments, entry(after), "申报材料名称", "“\(before.title)”", "“\(after.title)”")
            compare(.attachments, entry(after), "“\(after.title)”提交要求", requirement(before), requirement(after))
            compare(.attachments, entry(after), "“\(after.title)”来源", source(before), source(after))
            compare(.attachments, entry(after), "“\(after.title)”条款", before.clause, after.clause)
        }
        for attachment in attachments.added {
            record(.attachments, .added, entry(attachment), "新增申报材料“\(attachment.title)”（\(requirement(attachment))）")
        }
    }

    /// Commitments have no id: one whose wording changed reads as one removed and one added.
    mutating func compareCommitments(_ oldTexts: [String], _ newTexts: [String], place: String) {
        let commitments = Matching(oldTexts, newTexts) { $0 }
        for text in commitments.removed { record(.commitments, .removed, "\(place) · 承诺事项", "删除承诺事项“\(text)”") }
        for text in commitments.added { record(.commitments, .added, "\(place) · 承诺事项", "新增承诺事项“\(text)”") }
    }

    // MARK: - Rules

    mutating func compareRules(_ oldRules: [EligibilityRule], _ newRules: [EligibilityRule], place: String,
                               oldFields: [FieldSpec], newFields: [FieldSpec]) {
        let rules = Matching(oldRules, newRules) { $0.id }
        func entry(_ rule: EligibilityRule) -> String { "\(place) · 资格条件 \(rule.id)" }
        for rule in rules.removed { record(.rules, .removed, entry(rule), "删除资格条件“\(rule.subject)”") }
        for (before, after) in rules.kept {
            compareRule(before, after, entry: entry(after), oldFields: oldFields, newFields: newFields)
        }
        for rule in rules.added {
            let requirement = RuleWording(rule: rule, fields: newFields).requirement.map { "：\($0)" } ?? ""
            record(.rules, .added, entry(rule), "新增资格条件“\(rule.subject)”\(requirement)（\(rule.clause)）")
        }
    }

    mutating func compareRule(_ before: EligibilityRule, _ after: EligibilityRule, entry: String, oldFields: [FieldSpec], newFields: [FieldSpec]) {
        let was = RuleWording(rule: before, fields: oldFields), now = RuleWording(rule: after, fields: newFields)
        let subject = after.subject
        compare(.rules, entry, "条件名称", "“\(before.subject)”", "“\(after.subject)”")
        compare(.rules, entry, "\(subject)判断方式", was.kind, now.kind)
        compare(.rules, entry, "\(subject)所依据的填报项", was.field, now.field)
        compare(.rules, entry, "\(subject)门槛", was.threshold, now.threshold)
        compare(.rules, entry, "\(subject)数量要求", was.count, now.count)
        compare(.rules, entry, "\(subject)应为", was.value, now.value)
        compare(.rules, entry, "\(subject)取值范围", was.values, now.values)
        compare(.rules, entry, "\(subject)须不晚于", was.date, now.date)
        compareTiers(before.tiers ?? [], after.tiers ?? [], entry: entry)
        compare(.rules, entry, "\(subject)适用条件", was.condition, now.condition)
        compare(.rules, entry, "\(subject)条款", before.clause, after.clause)
        if before.clauseText != after.clauseText { record(.rules, .changed, entry, "\(subject)条文改为“\(after.clauseText)”") }
        // Table and column names are ids with no wording of their own: say that they changed, not to what.
        if was.otherParameters != now.otherParameters { record(.rules, .changed, entry, "\(subject)的其他判断参数有改动，请核对政策文件") }
    }

    mutating func compareTiers(_ oldTiers: [EligibilityRule.Tier], _ newTiers: [EligibilityRule.Tier], entry: String) {
        let tiers = Matching(oldTiers, newTiers) { $0.id }
        for tier in tiers.removed { record(.rules, .removed, entry, "删除分档“\(tier.name)”") }
        for (before, after) in tiers.kept {
            compare(.rules, entry, "分档名称", "“\(before.name)”", "“\(after.name)”")
            compare(.rules, entry, "\(after.name)最低增速", "\(before.minimumPercent.compact())%", "\(after.minimumPercent.compact())%")
        }
        for tier in tiers.added {
            record(.rules, .added, entry, "新增分档“\(tier.name)”：任一月同比增速不低于 \(tier.minimumPercent.compact())%")
        }
    }

    // MARK: - Routing (附件4)

    mutating func compareRouting(_ oldRows: [RoutingRow], _ newRows: [RoutingRow], place: String, oldFields: [FieldSpec], newFields: [FieldSpec]) {
        let rows = Matching(oldRows, newRows) { String($0.row) }
        func entry(_ row: RoutingRow) -> String { "\(place) · 附件4第\(row.row)行" }
        func division(_ row: RoutingRow, in round: Round) -> String { round.division(row.division)?.name ?? row.division }
        for row in rows.removed { record(.routing, .removed, entry(row), "删除附件4第\(row.row)行“\(row.label)”") }
        for (before, after) in rows.kept {
            compare(.routing, entry(after), "类别", "“\(before.label)”", "“\(after.label)”")
            // By id: a division renamed is one change, under 处室, not one per row it handles.
            if before.division != after.division {
                record(.routing, .changed, entry(after), "负责处室：\(division(before, in: old)) → \(division(after, in: new))")
            }
            compare(.routing, entry(after), "联系人", before.contacts.joined(separator: "、"), after.contacts.joined(separator: "、"))
            compare(.routing, entry(after), "联系电话", before.phone, after.phone)
            compare(.routing, entry(after), "适用条件",
                    FieldWording.condition(before.when, fields: oldFields), FieldWording.condition(after.when, fields: newFields))
        }
        for row in rows.added {
            let contacts = row.contacts.joined(separator: "、")
            record(.routing, .added, entry(row), "新增附件4第\(row.row)行“\(row.label)”，由\(division(row, in: new))负责，联系人\(contacts)，电话 \(row.phone)")
        }
    }

    // MARK: - Divisions, vocabularies, locations

    mutating func compareDivisions() {
        let divisions = Matching(old.divisions, new.divisions) { $0.id }
        for division in divisions.removed { record(.divisions, .removed, "处室 \(division.id)", "删除处室“\(division.name)”") }
        for (before, after) in divisions.kept {
            compare(.divisions, "处室 \(after.id)", "处室名称", "“\(before.name)”", "“\(after.name)”")
        }
        for division in divisions.added { record(.divisions, .added, "处室 \(division.id)", "新增处室“\(division.name)”") }
    }

    mutating func compareVocabularies() {
        let (before, after) = (old.vocabularies, new.vocabularies)
        let pilots = Matching(before.pilotCategories, after.pilotCategories) { $0.id }
        func entry(_ category: PilotCategory) -> String { "试点示范类别 \(category.id)" }
        for category in pilots.removed { record(.vocabularies, .removed, entry(category), "删除试点示范类别“\(category.name)”") }
        for (was, now) in pilots.kept {
            compare(.vocabularies, entry(now), "试点示范类别名称", "“\(was.name)”", "“\(now.name)”")
            compare(.vocabularies, entry(now), "“\(now.name)”归类", was.group, now.group)
        }
        for category in pilots.added {
            record(.vocabularies, .added, entry(category), "新增试点示范类别“\(category.name)”（\(category.group)）")
        }

        let categories = Matching(before.industryCategories, after.industryCategories) { $0.name }
        for category in categories.removed { record(.vocabularies, .removed, "行业分类 · \(category.name)", "删除行业分类“\(category.name)”") }
        for category in categories.added { record(.vocabularies, .added, "行业分类 · \(category.name)", "新增行业分类“\(category.name)”") }
        let industries = Matching(old.industries, new.industries) { $0 }
        for industry in industries.removed {
            record(.vocabularies, .removed, "所属行业 · \(industry)", "删除行业“\(industry)”（原属\(old.category(ofIndustry: industry) ?? "")）")
        }
        for (industry, _) in industries.kept {
            compare(.vocabularies, "所属行业 · \(industry)", "“\(industry)”所属行业分类",
                    old.category(ofIndustry: industry) ?? "", new.category(ofIndustry: industry) ?? "")
        }
        for industry in industries.added {
            record(.vocabularies, .added, "所属行业 · \(industry)", "新增行业“\(industry)”，属\(new.category(ofIndustry: industry) ?? "")")
        }
        let consumerGoods = Matching(before.consumerGoodsIndustries, after.consumerGoodsIndustries) { $0 }
        for industry in consumerGoods.removed { record(.vocabularies, .removed, "消费品行业 · \(industry)", "“\(industry)”不再列为消费品行业") }
        for industry in consumerGoods.added { record(.vocabularies, .added, "消费品行业 · \(industry)", "“\(industry)”列为消费品行业") }
        let ownership = Matching(before.ownership, after.ownership) { $0 }
        for kind in ownership.removed { record(.vocabularies, .removed, "企业性质 · \(kind)", "删除企业性质“\(kind)”") }
        for kind in ownership.added { record(.vocabularies, .added, "企业性质 · \(kind)", "新增企业性质“\(kind)”") }
    }

    mutating func compareLocations() {
        let cities = Matching(old.locations.cities, new.locations.cities) { $0.code }
        for city in cities.removed { record(.locations, .removed, "设区市 \(city.code)", "删除设区市“\(city.name)”") }
        for (before, after) in cities.kept {
            compare(.locations, "设区市 \(after.code)", "设区市名称", before.name, after.name)
            let counties = Matching(before.counties, after.counties) { $0.code }
            func entry(_ county: County) -> String { "\(after.name) · 县级区划 \(county.code)" }
            for county in counties.removed { record(.locations, .removed, entry(county), "删除县级区划“\(county.name)”") }
            for (was, now) in counties.kept { compare(.locations, entry(now), "县级区划名称", was.name, now.name) }
            for county in counties.added { record(.locations, .added, entry(county), "新增县级区划“\(county.name)”") }
        }
        for city in cities.added {
            record(.locations, .added, "设区市 \(city.code)", "新增设区市“\(city.name)”，含县级区划 \(city.counties.count) 个")
        }

        let authorities = Matching(old.locations.specialAuthorities, new.locations.specialAuthorities) { $0.id }
        func hosts(_ authority: SpecialAuthority, in round: Round) -> String {
            let counties = round.locations.cities.flatMap(\.counties)
            return authority.hostCounties.map { code in counties.first { $0.code == code }?.name ?? code }.joined(separator: "、")
        }
        for authority in authorities.removed { record(.locations, .removed, "审核单位 \(authority.id)", "删除审核单位“\(authority.name)”") }
        for (before, after) in authorities.kept {
            compare(.locations, "审核单位 \(after.id)", "审核单位名称", "“\(before.name)”", "“\(after.name)”")
            compare(.locations, "审核单位 \(after.id)", "“\(after.name)”所辖县级区划", hosts(before, in: old), hosts(after, in: new))
        }
        for authority in authorities.added { record(.locations, .added, "审核单位 \(authority.id)", "新增审核单位“\(authority.name)”") }
    }
}

/// A rule's parameters as the diff shows them; “无” where a parameter is absent, so adding one reads “无 → …”.
private struct RuleWording {
    let rule: EligibilityRule
    let fields: [FieldSpec]

    var kind: String {
        switch rule.kind {
        case .isTrue: "须为“是”"
        case .isFalse: "须为“否”"
        case .equals: "等于规定值"
        case .oneOf: "为所列之一"
        case .minimum: "不低于门槛"
        case .minimumRows: "不少于规定数量"
        case .onOrBefore: "不晚于规定日期"
        case .industryIn: "属于所列行业"
        case .industryNotIn: "不属于所列行业"
        case .notBlacklisted: "未列入失信名单"
        case .monthlyGrowth: "每月同比增长并达到分档"
        case .tableContains: "表格中列有所填项"
        case .flag: "仅提示，不影响申报"
        case .atLeastColumnSum: "不小于各月合计"
        }
    }

    var field: String { rule.field.map { FieldWording.name($0, fields: fields) } ?? "无" }

    /// As `VerdictRendering` shows a threshold: 万元 unless the rule says 亿元 or %, no trailing zeros (“2.5 亿元”).
    var threshold: String {
        guard let threshold = rule.threshold else { return "无" }
        let unit = rule.displayUnit ?? "万元"
        let number = threshold.compact(shift: unit == "亿元" ? 4 : 0)
        return unit == "%" ? "\(number)%" : "\(number) \(unit)"
    }

    var count: String { rule.count.map { "\($0) \(rule.unit ?? "项")" } ?? "无" }

    /// A year reads “2022年”, any other value is quoted, as the verdicts show it.
    var value: String {
        guard let value = rule.value else { return "无" }
        return FieldWording.spec(rule.field, fields: fields)?.type == .year ? "\(value)年" : "“\(value)”"
    }

    var values: String { rule.values.map { $0.joined(separator: "、") } ?? "无" }

    var date: String { rule.date.map { CalendarDate($0)?.chinese ?? $0 } ?? "无" }

    var condition: String { FieldWording.condition(rule.when, fields: fields) }

    var otherParameters: [String?] {
        [rule.periodField, rule.column, rule.valueField, rule.tableField,
         rule.rowCondition?.column, rule.rowCondition?.greaterThan?.description, rule.rowCondition?.isTrue?.description]
    }

    /// What a new rule asks, where a parameter says it.
    var requirement: String? {
        switch rule.kind {
        case .minimum: "不低于 \(threshold)"
        case .minimumRows: "不少于 \(count)"
        case .onOrBefore: "不晚于\(date)"
        case .equals: "应为\(value)"
        case .oneOf: "应为\(values)之一"
        case .industryIn: "行业属于\(values)"
        case .industryNotIn: "行业不属于\(values)"
        case .isTrue, .isFalse, .notBlacklisted, .monthlyGrowth, .tableContains, .flag, .atLeastColumnSum: nil
        }
    }
}

/// Field paths (`content.x`, `enterprise.industry`, `metric.revenueIncrease`) in the words of the form.
private enum FieldWording {
    static func spec(_ path: String?, fields: [FieldSpec]) -> FieldSpec? {
        guard let path, case .content(let key) = FieldPath(path) else { return nil }
        return fields.first { $0.id == key }
    }

    static func name(_ path: String, fields: [FieldSpec]) -> String {
        switch FieldPath(path) {
        case .content(let key): return "“\(spec(path, fields: fields)?.label ?? key)”"
        case .revenueIncrease: return "营收增量"
        case .revenueGrowth: return "营收增速"
        case .subDirection: return "细分方向"
        // Only a round built in code, never validated, names a path no form has: show it as written.
        case .unknown: return path
        case .enterprise(let field):
            switch field {
            case .creditCode: return "统一社会信用代码"
            case .name: return "企业名称"
            case .city: return "所在设区市"
            case .county: return "所在县（市、区）"
            case .ownership: return "企业性质"
            case .industryCategory: return "行业分类"
            case .industry: return "所属行业"
            case .inTransformationZone: return "位于山西转型综改示范区"
            case .independentLegalPerson: return "具有独立法人资格"
            case .implementedInShanxi: return "项目在山西省内实施"
            case .noOtherProvincialFunds: return "未获得其他省级财政资金支持"
            }
        }
    }

    /// “所属行业为钢铁、有色、建材”; a declaration's true and false read 是 and 否.
    static func condition(_ condition: FieldCondition?, fields: [FieldSpec]) -> String {
        guard let condition else { return "不限" }
        let values = condition.values.map { $0 == "true" ? "是" : $0 == "false" ? "否" : $0 }
        return "\(name(condition.field, fields: fields))为\(values.joined(separator: "、"))"
    }
}
