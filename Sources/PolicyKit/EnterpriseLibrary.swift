import Foundation

/// 资料库: what every application of one enterprise repeats — 正文（一） (the 概况 texts and the finance table) and the
/// 绩效目标表 — kept once and offered in each new application. The common uploads are kept beside it by the caller.
public struct LibraryContent: Codable, Sendable, Equatable {
    public var overview: Overview
    public var performanceTargets: PerformanceTargets

    public init(overview: Overview, performanceTargets: PerformanceTargets) {
        self.overview = overview
        self.performanceTargets = performanceTargets
    }

    public init(_ application: Application) {
        self.init(overview: application.overview, performanceTargets: application.performanceTargets)
    }

    /// Nothing worth keeping yet: a new draft's empty form.
    public var isEmpty: Bool {
        overview.texts.isEmpty && overview.finances.isEmpty && overview.otherFinances.isEmpty
            && performanceTargets.funding.isEmpty && performanceTargets.goals.isEmpty && performanceTargets.indicators.isEmpty
    }

    /// The content as `round` can hold it: texts, periods, items, funding sources and indicator levels another round
    /// does not have are left out, so that a library kept under last year's notice still fills this year's form.
    public func fitted(to round: Round) -> LibraryContent {
        let texts = Set(round.overviewTexts.map(\.id))
        let periods = Set(round.finance.periods.map(\.id))
        let items = Set(round.finance.items.map(\.id))
        let sources = Set(round.performanceTargets.fundingSources.map(\.id))
        var fitted = self
        fitted.overview.texts = overview.texts.filter { texts.contains($0.key) }
        fitted.overview.finances = overview.finances.filter { periods.contains($0.key) }.mapValues { $0.filter { items.contains($0.key) } }
        fitted.overview.otherFinances = overview.otherFinances.map { Overview.OtherFinance(label: $0.label, values: $0.values.filter { periods.contains($0.key) }) }
        fitted.performanceTargets.funding = performanceTargets.funding.filter { sources.contains($0.key) }
        fitted.performanceTargets.indicators = performanceTargets.indicators.filter { indicator in
            round.performanceTargets.indicatorLevels.contains { $0.name == indicator.level1 && $0.secondLevel.contains(indicator.level2) }
        }
        return fitted
    }

    /// Fills an application's shared parts from the library, as the round reads them.
    public func prefill(_ application: inout Application, round: Round) {
        let fitted = fitted(to: round)
        application.overview = fitted.overview
        application.performanceTargets = fitted.performanceTargets
    }
}
