import Foundation
import PolicyKit
import SQLKit
import Vapor

/// The reviewers' list: scoped, filtered, paginated, read with SQL into plain rows.
struct ReviewListQuery {
    struct Filters: Content {
        /// A round's id; every round when nil.
        var round: String?
        var status: String?
        var programme: String?
        var direction: String?
        var county: String?
        /// 审核单位 id and 所属行业, as the statistics page links to lists.
        var authority: String?
        var industry: String?
        var keyword: String?
        var page: Int?
        var size: Int?
    }

    struct Row: Decodable {
        var id: UUID
        var round_code: String
        var direction: String
        var sub_direction: String?
        var project_name: String?
        var status: String
        var verdict: String?
        var submitted_at: Date?
        var name: String
        var credit_code: String
        var county: String?
        /// The 失信名单 the enterprise is on, if any.
        var blacklist_source: String?
    }

    static let pageSizes = [20, 50, 100]

    let scope: AccessScope
    let filters: Filters
    let round: Round

    var pageSize: Int { Self.pageSizes.contains(filters.size ?? 0) ? filters.size! : Self.pageSizes[0] }
    var page: Int { max(1, filters.page ?? 1) }

    func constrain(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
        var select = scope.apply(to: select.from(SQLAlias(SQLIdentifier(StoredApplication.schema), as: SQLIdentifier("a")))
            .join(SQLAlias(SQLIdentifier(Enterprise.schema), as: SQLIdentifier("e")), on: SQLColumn("id", table: "e"), .equal, SQLColumn("enterprise_id", table: "a")))
        if let round = filters.round, !round.isEmpty {
            select = select.where(SQLColumn("round_code", table: "a"), .equal, SQLBind(round))
        }
        if let status = filters.status.flatMap(ApplicationStatus.init) {
            select = select.where(SQLColumn("status", table: "a"), .equal, SQLBind(status.rawValue))
        }
        if let programme = filters.programme, let directions = round.programmes.first(where: { $0.id == programme })?.directions.map(\.id) {
            select = select.where(SQLColumn("direction", table: "a"), .in, SQLBind.group(directions))
        }
        if let direction = filters.direction, !direction.isEmpty {
            let parts = direction.split(separator: "/", maxSplits: 1).map(String.init)
            select = select.where(SQLColumn("direction", table: "a"), .equal, SQLBind(parts[0]))
            if parts.count > 1 { select = select.where(SQLColumn("sub_direction", table: "a"), .equal, SQLBind(parts[1])) }
        }
        if let county = filters.county, !county.isEmpty {
            select = select.where(SQLColumn("county", table: "e"), .equal, SQLBind(county))
        }
        if let authority = filters.authority, !authority.isEmpty {
            select = select.where(SQLColumn("authority", table: "a"), .equal, SQLBind(authority))
        }
        if let industry = filters.industry, !industry.isEmpty {
            select = select.where(SQLColumn("industry", table: "a"), .equal, SQLBind(industry))
        }
        if let pattern = LikePattern.containing(filters.keyword) {
            select = select.where { group in
                group.where(SQLColumn("name", table: "e"), .like, SQLBind(pattern))
                    .orWhere(SQLColumn("project_name", table: "a"), .like, SQLBind(pattern))
                    .orWhere(SQLColumn("credit_code", table: "e"), .like, SQLBind(pattern.uppercased()))
            }
        }
        return select
    }

    struct Count: Decodable {
        var total: Int
    }

    func run(on database: any SQLDatabase) async throws -> (rows: [Row], total: Int) {
        let total = try await constrain(database.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "total"))
            .first(decoding: Count.self)?.total ?? 0
        // A page past the end (even one whose offset would not fit in an Int) is empty, not an error.
        let (offset, overflow) = (page - 1).multipliedReportingOverflow(by: pageSize)
        guard !overflow, offset < total else { return ([], total) }
        let rows = try await constrain(database.select()
            .column(SQLColumn("id", table: "a")).column(SQLColumn("round_code", table: "a")).column(SQLColumn("direction", table: "a"))
            .column(SQLColumn("sub_direction", table: "a")).column(SQLColumn("project_name", table: "a")).column(SQLColumn("status", table: "a"))
            .column(SQLColumn("verdict", table: "a")).column(SQLColumn("submitted_at", table: "a"))
            .column(SQLColumn("name", table: "e")).column(SQLColumn("credit_code", table: "e")).column(SQLColumn("county", table: "e"))
            .column(SQLColumn("source", table: "b"), as: "blacklist_source"))
            .join(BlacklistEntry.listedCodes(as: "b"), method: SQLJoinMethod.left, on: SQLColumn("credit_code", table: "b"), .equal, SQLColumn("credit_code", table: "e"))
            .orderBy(SQLOrderBy(expression: SQLColumn("submitted_at", table: "a"), direction: SQLDirection.descending))
            .limit(pageSize).offset(offset)
            .all(decoding: Row.self)
        return (rows, total)
    }

    /// One group of the statistics: a combination of the six dimensions they slice by, with its count and amount.
    struct StatisticsCell: Decodable {
        var round_code: String
        var status: String
        var direction: String
        var sub_direction: String?
        var authority: String?
        var industry: String?
        var applications: Int
        var amount: Int64?
    }

    /// The matching applications grouped by status, direction, authority and industry (the list's paging aside).
    func statistics(on database: any SQLDatabase) async throws -> [StatisticsCell] {
        try await constrain(database.select()
            .column(SQLColumn("round_code", table: "a"))
            .column(SQLColumn("status", table: "a")).column(SQLColumn("direction", table: "a")).column(SQLColumn("sub_direction", table: "a"))
            .column(SQLColumn("authority", table: "a")).column(SQLColumn("industry", table: "a"))
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "applications")
            // PostgreSQL sums a BIGINT as NUMERIC; the cast keeps the result an integer on both databases.
            .column(SQLQueryString("CAST(SUM(\(ident: "a").\(ident: "requested_amount")) AS BIGINT)"), as: "amount"))
            .groupBy(SQLColumn("round_code", table: "a"))
            .groupBy(SQLColumn("status", table: "a")).groupBy(SQLColumn("direction", table: "a")).groupBy(SQLColumn("sub_direction", table: "a"))
            .groupBy(SQLColumn("authority", table: "a")).groupBy(SQLColumn("industry", table: "a"))
            .all(decoding: StatisticsCell.self)
    }
}
