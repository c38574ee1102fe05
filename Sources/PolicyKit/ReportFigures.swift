import Foundation

/// A figure computed from an application, as the 申请报告 prints it: what it is, its value, and how it was reached, so
/// that a reviewer can check it against the 专项审计报告 (附件2 三（二）: “数据须与附件专项审计报告一致”).
public struct FigureLine: Sendable, Equatable {
    public var label: String
    public var value: String
    /// The formula with its inputs, e.g. “98,000.00 − 86,000.00”; nil where the value is entered, not computed.
    public var working: String?

    public init(label: String, value: String, working: String? = nil) {
        self.label = label
        self.value = value
        self.working = working
    }

    /// “2022年营收增量：98,000.00 − 86,000.00 = 12,000.00 万元（1.20 亿元）”.
    public var text: String {
        "\(label)：" + (working.map { "\($0) = " } ?? "") + value
    }
}

extension Application {
    /// 附件2 三（二）5（1）（2）: 企业所属行业, both years' 营业收入, the 营收增量 and the 营收增速.
    public func revenueFigures(round: Round) -> [FigureLine] {
        let finance = round.finance
        let prior = finance.periods.first { $0.id == finance.priorPeriod }?.label ?? finance.priorPeriod
        let base = finance.periods.first { $0.id == finance.basePeriod }?.label ?? finance.basePeriod
        let revenue = finance.items.first { $0.id == finance.revenueItem }?.label ?? "营业收入"
        let priorValue = overview.finances[finance.priorPeriod]?[finance.revenueItem]
        let baseValue = overview.finances[finance.basePeriod]?[finance.revenueItem]
        var lines = [
            FigureLine(label: "企业所属行业", value: enterprise.industry ?? "未填写"),
            FigureLine(label: prior + revenue, value: priorValue.map { "\($0.grouped()) 万元" } ?? "未填写"),
            FigureLine(label: base + revenue, value: baseValue.map { "\($0.grouped()) 万元" } ?? "未填写"),
        ]
        guard let priorValue, let baseValue else {
            lines.append(FigureLine(label: "\(base)营收增量", value: "未填写两年营业收入，无法计算"))
            lines.append(FigureLine(label: "\(base)营收增速", value: "未填写两年营业收入，无法计算"))
            return lines
        }
        let increase = baseValue - priorValue
        lines.append(FigureLine(label: "\(base)营收增量", value: "\(increase.grouped()) 万元（\(increase.grouped(shift: 4)) 亿元）",
                                working: "\(baseValue.grouped()) − \(priorValue.grouped())"))
        if let growth = PercentChange(from: priorValue, to: baseValue) {
            lines.append(FigureLine(label: "\(base)营收增速", value: "\(growth.formatted())%",
                                    working: "\(increase.grouped()) ÷ \(priorValue.grouped()) × 100%"))
        } else {
            lines.append(FigureLine(label: "\(base)营收增速", value: "\(prior)\(revenue)不为正数，无法计算"))
        }
        return lines
    }

    /// The figure a field of the round file asks for (`FieldSpec.figure`), or nil where it has none or it cannot be
    /// computed yet.
    public func figure(for field: FieldSpec, round: Round) -> FigureLine? {
        guard let figure = field.figure else { return nil }
        switch figure.kind {
        case .rowCount:
            return FigureLine(label: figure.label, value: "\(content[field.id]?.rows?.count ?? 0) 项")
        case .shareOfRevenue:
            let finance = round.finance
            let base = finance.periods.first { $0.id == finance.basePeriod }?.label ?? finance.basePeriod
            guard let amount = content[field.id]?.number, let revenue = overview.finances[finance.basePeriod]?[finance.revenueItem] else { return nil }
            guard let share = amount.percentage(of: revenue) else {
                return FigureLine(label: figure.label, value: "\(base)营业收入不为正数，无法计算")
            }
            return FigureLine(label: figure.label, value: "\(share)%",
                              working: "\(amount.grouped()) ÷ \(base)营业收入 \(revenue.grouped()) × 100%")
        case .growth:
            guard let current = content[field.id]?.number, let from = figure.from, let prior = content[from]?.number else { return nil }
            guard let change = PercentChange(from: prior, to: current) else {
                return FigureLine(label: figure.label, value: "上年为 0，无法计算")
            }
            return FigureLine(label: figure.label, value: "\(change.formatted())%",
                              working: "（\(current.grouped()) − \(prior.grouped())）÷ \(prior.grouped()) × 100%")
        case .periodTotal:
            guard let totals = outputTotals(of: field) else { return nil }
            return FigureLine(label: figure.label, value: "上年同期 \(totals.prior.grouped()) 万元，本期 \(totals.current.grouped()) 万元，同比 \(totals.change?.formatted() ?? "—")%")
        }
    }

    /// The sums of a monthly output table's two columns and their change (the period's 产值 and its 同比).
    public func outputTotals(of field: FieldSpec) -> (prior: FixedDecimal, current: FixedDecimal, change: PercentChange?)? {
        guard let rows = content[field.id]?.rows, !rows.isEmpty else { return nil }
        let prior = rows.reduce(FixedDecimal.zero) { $0 + ($1["priorOutput"]?.number ?? .zero) }
        let current = rows.reduce(FixedDecimal.zero) { $0 + ($1["currentOutput"]?.number ?? .zero) }
        return (prior, current, PercentChange(from: prior, to: current))
    }
}
