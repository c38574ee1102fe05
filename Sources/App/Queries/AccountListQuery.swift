import Foundation
import PolicyKit
import SQLKit

/// The admin's account list: staff and enterprise accounts, filtered and paginated, read with SQL into plain rows.
struct AccountListQuery {
    struct Row: Decodable {
        var id: UUID
        var role: String
        var organisation: String?
        var login: String?
        var mobile: String?
        var display_name: String
        var disabled_at: Date?
        var created_at: Date?
        var enterprise_name: String?
        var credit_code: String?
    }

    let filters: UserAdminController.Filters
    let pageSize: Int

    func constrain(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
        var select = select.from(SQLAlias(SQLIdentifier(User.schema), as: SQLIdentifier("u")))
            .join(SQLAlias(SQLIdentifier(Enterprise.schema), as: SQLIdentifier("e")), method: SQLJoinMethod.left,
                  on: SQLColumn("id", table: "e"), .equal, SQLColumn("enterprise_id", table: "u"))
        if let role = filters.role.flatMap(Role.init) { select = select.where(SQLColumn("role", table: "u"), .equal, SQLBind(role.rawValue)) }
        if let organisation = filters.organisation, !organisation.isEmpty {
            select = select.where(SQLColumn("organisation", table: "u"), .equal, SQLBind(organisation))
        }
        if let pattern = LikePattern.containing(filters.keyword) {
            select = select.where { group in
                group.where(SQLColumn("display_name", table: "u"), .like, SQLBind(pattern))
                    .orWhere(SQLColumn("login", table: "u"), .like, SQLBind(pattern))
                    .orWhere(SQLColumn("mobile", table: "u"), .like, SQLBind(pattern))
                    .orWhere(SQLColumn("name", table: "e"), .like, SQLBind(pattern))
                    .orWhere(SQLColumn("credit_code", table: "e"), .like, SQLBind(pattern.uppercased()))
            }
        }
        return select
    }

    struct Count: Decodable {
        var count: Int
    }

    /// One page of rows, the number of matching accounts, and the page actually shown (clamped to the last one).
    func run(on database: any SQLDatabase) async throws -> (rows: [Row], total: Int, page: Int) {
        let total = try await constrain(database.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count"))
            .first(decoding: Count.self)?.count ?? 0
        let page = min(max(1, filters.page ?? 1), max(1, (total + pageSize - 1) / pageSize))
        let rows = try await constrain(database.select()
            .column(SQLColumn("id", table: "u")).column(SQLColumn("role", table: "u")).column(SQLColumn("organisation", table: "u"))
            .column(SQLColumn("login", table: "u")).column(SQLColumn("mobile", table: "u")).column(SQLColumn("display_name", table: "u"))
            .column(SQLColumn("disabled_at", table: "u")).column(SQLColumn("created_at", table: "u"))
            .column(SQLColumn("name", table: "e"), as: "enterprise_name").column(SQLColumn("credit_code", table: "e")))
            .orderBy(SQLColumn("role", table: "u")).orderBy(SQLColumn("organisation", table: "u")).orderBy(SQLColumn("display_name", table: "u"))
            .limit(pageSize).offset((page - 1) * pageSize)
            .all(decoding: Row.self)
        return (rows, total, page)
    }

    struct OrganisationCount: Decodable {
        var organisation: String
        var active: Int
    }

    /// Enabled reviewers per 审核单位 or 处室.
    static func activeReviewers(on database: any SQLDatabase) async throws -> [String: Int] {
        let counts = try await database.select().column("organisation").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "active")
            .from(User.schema).where("disabled_at", .is, SQLLiteral.null).where("organisation", .isNot, SQLLiteral.null)
            .groupBy("organisation").all(decoding: OrganisationCount.self)
        return Dictionary(uniqueKeysWithValues: counts.map { ($0.organisation, $0.active) })
    }
}

/// A LIKE pattern matching text that contains the keyword; the wildcards `%` and `_` typed by a user are dropped.
enum LikePattern {
    static func containing(_ keyword: String?) -> String? {
        guard let keyword = keyword?.trimmingCharacters(in: .whitespaces), !keyword.isEmpty else { return nil }
        return "%" + keyword.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "") + "%"
    }
}
