import Foundation

/// What looks like a slip in a round file that is otherwise valid, reported as warnings by `jigai round check`: a year
/// left over from the previous notice, a threshold typed in 亿元 where the file counts in 万元.
struct RoundLint {
    let round: Round
    let file: String

    func warnings() -> [RoundError] {
        leftoverYears() + unitSlips()
    }

    func warn(_ entry: String, _ reason: String) -> RoundError {
        RoundError(file: file, entry: entry, reason: reason)
    }

    /// A round rewards its base year and is applied for in the next: other years in a rule, a field, a period or an
    /// attachment are most likely copied from last year's file. A dated law (“2020年7月1日后”) names a month and is left alone.
    func leftoverYears() -> [RoundError] {
        let expected = (round.baseYear - 1)...(round.baseYear + 1)
        var warnings: [RoundError] = []
        func check(_ text: String?, _ entry: String, identifier: Bool = false) {
            guard let text else { return }
            for year in Self.years(in: text, identifier: identifier) where !expected.contains(year) {
                warnings.append(warn(entry, "“\(text.prefix(40))”中的 \(year) 年不是基准年度 \(round.baseYear) 或其前后一年，是否沿用了上一批次的文字？"))
            }
        }
        func check(_ rule: EligibilityRule, _ entry: String) {
            check(rule.subject, "\(entry).subject")
            check(rule.clauseText, "\(entry).clauseText")
            check(rule.date, "\(entry).date", identifier: true)
            // A year compared with (“认定年度 equals 2022”) is a bare number.
            check(rule.value, "\(entry).value", identifier: rule.value.map { $0.count == 4 && Int($0) != nil } ?? false)
            for (index, value) in (rule.values ?? []).enumerated() { check(value, "\(entry).values[\(index)]") }
            check(rule.field, "\(entry).field", identifier: true)
        }
        func check(_ fields: [FieldSpec], _ entry: String) {
            for (index, field) in fields.enumerated() {
                check(field.id, "\(entry)[\(index)].id", identifier: true)
                check(field.label, "\(entry)[\(index)].label")
                check(field.help, "\(entry)[\(index)].help")
                check(field.figure?.label, "\(entry)[\(index)].figure.label")
                if let columns = field.columns { check(columns, "\(entry)[\(index)].columns") }
            }
        }
        func check(_ attachments: [AttachmentSpec], _ entry: String) {
            for (index, attachment) in attachments.enumerated() {
                check(attachment.id, "\(entry)[\(index)].id", identifier: true)
                check(attachment.title, "\(entry)[\(index)].title")
                check(attachment.help, "\(entry)[\(index)].help")
            }
        }
        for (index, rule) in round.generalRules.enumerated() { check(rule, "generalRules[\(index)]") }
        check(round.generalAttachments, "generalAttachments")
        for (index, text) in round.generalCommitments.enumerated() { check(text, "generalCommitments[\(index)]") }
        for (index, rule) in round.crossRules.enumerated() { check(rule.text, "crossRules[\(index)].text") }
        for (index, period) in round.finance.periods.enumerated() {
            check(period.id, "finance.periods[\(index)].id", identifier: true)
            check(period.label, "finance.periods[\(index)].label")
        }
        for (index, period) in round.vocabularies.whitelistPeriods.enumerated() {
            check(period.name, "vocabularies.whitelistPeriods[\(index)].name")
            if !expected.contains(period.year) {
                warnings.append(warn("vocabularies.whitelistPeriods[\(index)].year", "期间“\(period.name)”的年份 \(period.year) 不是基准年度 \(round.baseYear) 或其前后一年"))
            }
        }
        for (index, text) in round.summaryInstructions.enumerated() { check(text, "summaryInstructions[\(index)]") }
        for (index, text) in round.overviewTexts.enumerated() { check(text.label, "overviewTexts[\(index)].label") }
        for (p, programme) in round.programmes.enumerated() {
            for (d, direction) in programme.directions.enumerated() {
                let entry = "programmes[\(p)].directions[\(d)]"
                check(direction.scope, "\(entry).scope")
                for (index, rule) in direction.rules.enumerated() { check(rule, "\(entry).rules[\(index)]") }
                check(direction.fields ?? [], "\(entry).fields")
                check(direction.attachments ?? [], "\(entry).attachments")
                check(direction.projectNameRule.description, "\(entry).projectNameRule.description")
                for (index, row) in direction.routing.enumerated() { check(row.label, "\(entry).routing[\(index)].label") }
                for (index, commitment) in (direction.commitments ?? []).enumerated() { check(commitment.text, "\(entry).commitments[\(index)].text") }
                for (index, note) in (direction.reviewNotes ?? []).enumerated() { check(note, "\(entry).reviewNotes[\(index)]") }
                for (s, sub) in (direction.subDirections ?? []).enumerated() {
                    check(sub.fields, "\(entry).subDirections[\(s)].fields")
                    check(sub.attachments, "\(entry).subDirections[\(s)].attachments")
                    check(sub.clauseText, "\(entry).subDirections[\(s)].clauseText")
                }
            }
        }
        return warnings
    }

    /// Years in a text: “2022年” (not “2020年7月”, a dated law), or in an identifier any 19xx/20xx (`deductibleRD2022`).
    static func years(in text: String, identifier: Bool) -> [Int] {
        let characters = Array(text)
        var years: [Int] = []
        var index = 0
        while index < characters.count {
            guard characters[index].isASCII, characters[index].isNumber else { index += 1; continue }
            var end = index
            while end < characters.count, characters[end].isASCII, characters[end].isNumber { end += 1 }
            if end - index == 4, let year = Int(String(characters[index..<end])), (1900...2099).contains(year) {
                if identifier {
                    years.append(year)
                } else if end < characters.count, characters[end] == "年" {
                    var after = end + 1
                    while after < characters.count, characters[after].isASCII, characters[after].isNumber { after += 1 }
                    let namesMonth = after > end + 1 && after < characters.count && characters[after] == "月"
                    if !namesMonth { years.append(year) }
                }
            }
            index = end
        }
        return years
    }

    /// Thresholds are compared with the other thresholds of their unit in the file: one a thousand times off its
    /// neighbours was most likely typed in 亿元 (or 元) where 万元 are meant, or as a fraction where 百分比 are meant.
    func unitSlips() -> [RoundError] {
        var amounts: [(entry: String, subject: String, value: FixedDecimal)] = []
        var percents: [(entry: String, subject: String, value: FixedDecimal)] = []
        func collect(_ rule: EligibilityRule, _ entry: String, fields: [FieldSpec]) {
            if let threshold = rule.threshold, rule.kind == .minimum, let field = rule.field {
                let value = threshold
                switch FieldPath(field) {
                case .revenueIncrease: amounts.append(("\(entry).threshold", rule.subject, value))
                case .revenueGrowth: percents.append(("\(entry).threshold", rule.subject, value))
                case .content(let key):
                    switch fields.first(where: { $0.id == key })?.type {
                    case .amount?: amounts.append(("\(entry).threshold", rule.subject, value))
                    case .percent?: percents.append(("\(entry).threshold", rule.subject, value))
                    default: break
                    }
                default: break
                }
            }
            for (index, tier) in (rule.tiers ?? []).enumerated() {
                percents.append(("\(entry).tiers[\(index)].minimumPercent", "\(rule.subject)（\(tier.name)）", tier.minimumPercent))
            }
        }
        for (p, programme) in round.programmes.enumerated() {
            for (d, direction) in programme.directions.enumerated() {
                let fields = (direction.fields ?? []) + (direction.subDirections ?? []).flatMap(\.fields)
                for (index, rule) in direction.rules.enumerated() { collect(rule, "programmes[\(p)].directions[\(d)].rules[\(index)]", fields: fields) }
            }
        }
        return outliers(amounts, unit: "万元", hint: "金额门槛以万元为单位，是否按亿元或元填写了？")
            + outliers(percents, unit: "%", hint: "百分比门槛填写百分数（30 表示 30%），是否按小数填写了？")
    }

    func outliers(_ thresholds: [(entry: String, subject: String, value: FixedDecimal)], unit: String, hint: String) -> [RoundError] {
        guard thresholds.count > 1 else { return [] }
        return thresholds.enumerated().compactMap { index, threshold in
            let others = thresholds.enumerated().filter { $0.offset != index }.map(\.element.value).filter { $0 > .zero }.sorted()
            guard !others.isEmpty, threshold.value > .zero else { return nil }
            let median = Double(others[others.count / 2].units)
            let value = Double(threshold.value.units)
            let ratio = max(median / value, value / median)
            guard ratio >= 1000 else { return nil }
            let neighbours = others.map { $0.compact() }.joined(separator: "、")
            return warn(threshold.entry, "“\(threshold.subject)”的门槛 \(threshold.value.compact()) \(unit)与本文件其他门槛（\(neighbours) \(unit)）相差约 \(Int(ratio.rounded())) 倍：\(hint)")
        }
    }
}
