import Foundation

/// What-if: the applications of a round re-assessed under a draft of next year's round, so that the programme office
/// sets thresholds with numbers. Each application keeps its figures; only the rules change.
public enum RoundSimulation {
    /// One direction's applications: how many qualify and what they ask for, today and under the draft.
    public struct Line: Codable, Sendable, Equatable {
        public var direction: String
        public var applications: Int
        public var eligibleNow: Int
        public var eligibleDraft: Int
        /// 申请金额 (省级资金, 万元) of the qualifying applications.
        public var amountNow: FixedDecimal
        public var amountDraft: FixedDecimal
        /// Why the draft cannot assess them (the direction is dropped), when so.
        public var note: String?

        /// How many more qualify under the draft: “+1”, “0”, “-2”.
        public var changeText: String {
            let change = eligibleDraft - eligibleNow
            return change > 0 ? "+\(change)" : "\(change)"
        }
    }

    /// An application of `current` as the draft would read it: the same direction (nil when the draft drops it),
    /// finance periods and 白名单 periods matched by position (last year's base year is this year's), a field or an
    /// upload whose id carries the year (`deductibleRD2022` → `deductibleRD2023`) matched by its place, and years and
    /// dates moved on by the years between the rounds. The figures stay as entered.
    public static func carry(_ application: Application, from current: Round, to draft: Round) -> Application? {
        guard let spec = draft.directionSpec(application.direction, subDirection: application.subDirection) else { return nil }
        var carried = application
        carried.round = draft.id
        let periods = Dictionary(zip(current.finance.periods.map(\.id), draft.finance.periods.map(\.id)), uniquingKeysWith: { first, _ in first })
        carried.overview.finances = Dictionary(application.overview.finances.compactMap { key, values in periods[key].map { ($0, values) } },
                                               uniquingKeysWith: { first, _ in first })
        carried.overview.otherFinances = application.overview.otherFinances.map { row in
            var row = row
            row.values = Dictionary(row.values.compactMap { key, value in periods[key].map { ($0, value) } }, uniquingKeysWith: { first, _ in first })
            return row
        }
        let whitelist = Dictionary(zip(current.vocabularies.whitelistPeriods.map(\.name), draft.vocabularies.whitelistPeriods.map(\.name)),
                                   uniquingKeysWith: { first, _ in first })
        let oldFields = current.directionSpec(application.direction, subDirection: application.subDirection)?.fields ?? []
        let fieldSources = sources(oldFields.map(\.id), spec.fields.map(\.id))
        var content: [String: FieldValue] = [:]
        for field in spec.fields {
            var value = fieldSources[field.id].flatMap { application.content[$0] }
            if field.optionsFrom == "whitelistPeriods", let name = value?.text, let moved = whitelist[name] {
                value = .text(moved)
            }
            content[field.id] = value.map { shifted($0, field, years: draft.baseYear - current.baseYear) }
        }
        carried.content = content
        // A name the rule derives (“白名单”企业奖励（期间）) is derived anew for the moved period.
        if spec.direction.projectNameRule.kind == .template, let name = ProjectNameRules.expectedName(for: spec, application: carried, round: draft) {
            carried.projectName = name
        }
        // Uploads follow the same way: last year's “2021年财务审计报告” is this year's “2022年…” at the same place.
        let oldItems = current.directionSpec(application.direction, subDirection: application.subDirection).map { current.attachments(for: $0).map(\.id) } ?? []
        let itemSources = sources(oldItems, draft.attachments(for: spec).map(\.id))
        let itemTargets = Dictionary(itemSources.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
        carried.attachments = application.attachments.compactMap { reference in
            var reference = reference
            guard let item = itemTargets[reference.item] else { return nil }
            reference.item = item
            return reference
        }
        return carried
    }

    /// The same situation a year (or `years`) later: a year or a date moves with the rounds' base years, in tables too,
    /// so that “recognised in the base year” still holds of last year's recognition.
    static func shifted(_ value: FieldValue, _ field: FieldSpec, years: Int) -> FieldValue {
        guard years != 0 else { return value }
        switch (field.type, value) {
        case (.year, .number(let year)) where year.isInteger:
            return .number(FixedDecimal(year.integerValue + years))
        case (.date, .date(let text)), (.date, .text(let text)):
            guard let day = CalendarDate(text) else { return value }
            // 29 February has no match in a common year: the 28th stands in.
            let leap = { (year: Int) in (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }
            let moved = CalendarDate(year: day.year + years, month: day.month, day: day.month == 2 && day.day == 29 && !leap(day.year + years) ? 28 : day.day)
            return .date(String(format: "%04d-%02d-%02d", moved.year, moved.month, moved.day))
        case (.table, .rows(let rows)):
            let columns = field.columns ?? []
            return .rows(rows.map { row in
                var row = row
                for column in columns { row[column.id] = row[column.id].map { shifted($0, column, years: years) } }
                return row
            })
        default:
            return value
        }
    }

    /// For each new id, the old id its value comes from: one carrying a year (`output2022`) from the old id at the same
    /// place when that one carries a year too (last year's `output2021`, the prior year then as now); any other by id.
    static func sources(_ old: [String], _ new: [String]) -> [String: String] {
        let carriesYear = { (id: String) in !RoundLint.years(in: id, identifier: true).isEmpty }
        let known = Set(old)
        var sources: [String: String] = [:]
        for (index, id) in new.enumerated() {
            if carriesYear(id), index < old.count, carriesYear(old[index]) {
                sources[id] = old[index]
            } else if known.contains(id) {
                sources[id] = id
            }
        }
        return sources
    }

    /// Per direction of `current`, in catalogue order, then a total line; directions nobody applied for are left out.
    public static func run(_ applications: [Application], current: Round, draft: Round) -> [Line] {
        let now = EligibilityEngine(round: current).assessAll(applications)
        let carried = applications.map { carry($0, from: current, to: draft) }
        let assessable = carried.compactMap { $0 }
        var draftAssessments = EligibilityEngine(round: draft).assessAll(assessable).makeIterator()
        let underDraft = carried.map { $0 == nil ? nil : draftAssessments.next() }
        var lines: [Line] = []
        for (_, direction) in current.allDirections {
            let indices = applications.indices.filter { applications[$0].direction == direction.id }
            guard !indices.isEmpty else { continue }
            let dropped = draft.allDirections.contains { $0.direction.id == direction.id } ? nil : "新批次已取消此方向"
            var line = Line(direction: direction.name, applications: indices.count, eligibleNow: 0, eligibleDraft: 0, amountNow: .zero, amountDraft: .zero, note: dropped)
            for index in indices {
                let amount = applications[index].performanceTargets.requestedAmount ?? .zero
                if now[index].status == .eligible {
                    line.eligibleNow += 1
                    line.amountNow = line.amountNow + amount
                }
                if underDraft[index]?.status == .eligible {
                    line.eligibleDraft += 1
                    line.amountDraft = line.amountDraft + amount
                }
            }
            lines.append(line)
        }
        let total = lines.reduce(Line(direction: "合计", applications: 0, eligibleNow: 0, eligibleDraft: 0, amountNow: .zero, amountDraft: .zero)) { sum, line in
            Line(direction: "合计", applications: sum.applications + line.applications, eligibleNow: sum.eligibleNow + line.eligibleNow,
                 eligibleDraft: sum.eligibleDraft + line.eligibleDraft, amountNow: sum.amountNow + line.amountNow, amountDraft: sum.amountDraft + line.amountDraft)
        }
        return lines + [total]
    }

    /// A table for the terminal, with both rounds named.
    public static func render(_ lines: [Line], current: Round, draft: Round) -> String {
        var text = "按 \(draft.id)（\(draft.noticeNumber)）的条件重新判断 \(current.id)（\(current.noticeNumber)）的申报：\n"
        text += "申报方向\t申报数\t现符合条件\t草案下符合条件\t变化\t现申请金额（万元）\t草案下申请金额（万元）\t说明\n"
        for line in lines {
            text += [line.direction, "\(line.applications)", "\(line.eligibleNow)", "\(line.eligibleDraft)", line.changeText,
                     line.amountNow.grouped(), line.amountDraft.grouped(), line.note ?? ""].joined(separator: "\t") + "\n"
        }
        return text
    }
}
