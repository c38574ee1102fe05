import Foundation
import PolicyKit
import SQLKit
import Vapor

/// 统计: counts and reward amounts applied for, by status, 专项, 方向, 审核单位 and 所属行业, under the same filters and
/// scope as the reviewers' list, so that every number links to the list that has exactly that many rows.
struct StatisticsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(DutyGuard(duty: .system)).get(SiteURL.adminStatistics, use: dashboard)
    }

    func dashboard(req: Request) async throws -> View {
        var filters = try req.query.decode(ReviewListQuery.Filters.self)
        // The statistics slice by these five; the list's own narrowing (county, keyword, paging) does not apply here.
        filters.county = nil
        filters.keyword = nil
        filters.page = nil
        filters.size = nil
        let (round, roundChoices) = try await req.listRound(filters.round)
        guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let cells = try await ReviewListQuery(scope: .province, filters: filters, round: round).statistics(on: sql)
        let page = Page(
            chrome: req.chrome("统计", breadcrumbs: [("统计", nil)], organisation: req.organisationName),
            filters: filters, round: round, roundChoices: roundChoices, cells: cells)
        return try await req.view.render("admin/statistics", page)
    }
}

extension StatisticsController.Page {
    typealias Cell = ReviewListQuery.StatisticsCell

    init(chrome: Chrome, filters: ReviewListQuery.Filters, round: Round, roundChoices: [SelectOption], cells: [Cell]) {
        let choices = ReviewFilterChoices(round: round, scope: .province, filters: filters)
        self.chrome = chrome
        self.filters = filters
        rounds = roundChoices.count > 1 ? roundChoices : []
        statuses = choices.statuses
        programmes = choices.programmes
        directions = choices.directions
        authorities = choices.authorities
        industries = choices.industries
        total = cells.reduce(0) { $0 + $1.applications }
        let totalUnits = cells.reduce(Int64(0)) { $0 + ($1.amount ?? 0) }
        totalAmount = Self.amount(totalUnits)
        totalHref = Self.href(filters)
        let programmeOf = Dictionary(round.allDirections.map { ($0.direction.id, $0.programme) }, uniquingKeysWith: { first, _ in first })
        let directionNames = Dictionary(choices.directions.map { ($0.value, $0.label) }, uniquingKeysWith: { first, _ in first })
        let authorityNames = Dictionary(round.reviewAuthorities.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let statusOrder = ApplicationStatus.allCases.map(\.rawValue)
        let directionOrder = choices.directions.map(\.value)
        let authorityOrder = round.reviewAuthorities.map(\.id)
        let industryOrder = round.vocabularies.industryCategories.flatMap(\.industries)
        let roundNames = Dictionary(roundChoices.map { ($0.value, $0.label) }, uniquingKeysWith: { first, _ in first })
        dimensions = (rounds.isEmpty ? [] : [Self.dimension("按申报批次", cells, filters, key: { $0.round_code }, parameter: \.round,
                                                           order: roundChoices.map(\.value), label: { roundNames[$0] ?? $0 })]) + [
            Self.dimension("按状态", cells, filters, key: { $0.status }, parameter: \.status, order: statusOrder,
                           label: { ApplicationStatus(rawValue: $0)?.label ?? $0 }),
            Self.dimension("按申报专项", cells, filters, key: { programmeOf[$0.direction]?.id }, parameter: \.programme,
                           order: round.programmes.map(\.id), label: { id in round.programmes.first { $0.id == id }?.name ?? id }),
            Self.dimension("按申报方向", cells, filters, key: { cell in cell.sub_direction.map { "\(cell.direction)/\($0)" } ?? cell.direction },
                           parameter: \.direction, order: directionOrder, label: { directionNames[$0] ?? $0 }),
            Self.dimension("按审核单位（所在市）", cells, filters, key: { $0.authority }, parameter: \.authority, order: authorityOrder,
                           label: { authorityNames[$0] ?? $0 }),
            Self.dimension("按所属行业", cells, filters, key: { $0.industry }, parameter: \.industry, order: industryOrder, label: { $0 }),
        ]
    }

    /// The groups of one dimension, in the catalogue's order; applications without a value (older profiles) come last, unlinked.
    static func dimension(_ title: String, _ cells: [Cell], _ filters: ReviewListQuery.Filters, key: (Cell) -> String?,
                          parameter: WritableKeyPath<ReviewListQuery.Filters, String?>, order: [String], label: (String) -> String) -> Dimension {
        var counts: [String?: (count: Int, units: Int64)] = [:]
        for cell in cells {
            let value = key(cell)
            counts[value, default: (0, 0)].count += cell.applications
            counts[value, default: (0, 0)].units += cell.amount ?? 0
        }
        let rank = Dictionary(order.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        let keys = counts.keys.sorted { lhs, rhs in
            switch (lhs, rhs) {
            case (nil, _): false
            case (_, nil): true
            case let (lhs?, rhs?): (rank[lhs] ?? Int.max, lhs) < (rank[rhs] ?? Int.max, rhs)
            }
        }
        let lines = keys.map { value -> Line in
            let group = counts[value]!
            var narrowed = filters
            narrowed[keyPath: parameter] = value
            return Line(label: value.map(label) ?? "未填写", count: group.count, amount: amount(group.units), href: value == nil ? nil : href(narrowed))
        }
        let chart = BarChart(title: "\(title)的申报数量", bars: lines.map { BarChart.Bar(label: $0.label, value: Int64($0.count), valueText: "\($0.count) 份，\($0.amount)", href: $0.href) })
        return Dimension(title: title, lines: lines, chart: chart.svg)
    }

    static func amount(_ units: Int64) -> String {
        FixedDecimal(units: units).grouped(fractionDigits: 2) + " 万元"
    }

    /// The reviewers' list with the same filters.
    static func href(_ filters: ReviewListQuery.Filters) -> String {
        var components = URLComponents()
        components.queryItems = [("round", filters.round), ("status", filters.status), ("programme", filters.programme), ("direction", filters.direction),
                                 ("authority", filters.authority), ("industry", filters.industry)]
            .compactMap { name, value in value.flatMap { $0.isEmpty ? nil : URLQueryItem(name: name, value: $0) } }
        let query = components.percentEncodedQuery ?? ""
        return query.isEmpty ? SiteURL.review.path : SiteURL.review.path + "?" + query
    }
}
