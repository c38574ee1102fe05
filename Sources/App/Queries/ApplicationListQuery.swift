import Foundation
import PolicyKit
import SQLKit
import Vapor

/// Hot lists are read with SQL into plain rows: Fluent's reflection over model properties cost ~60 % of the CPU here.
struct ApplicationListRow: Decodable {
    var id: UUID
    var round_code: String
    var direction: String
    var sub_direction: String?
    var project_name: String?
    var status: String
    var verdict: String?
    var updated_at: Date?
}

enum ApplicationListQuery {
    static func forEnterprise(_ enterpriseID: UUID, on database: any SQLDatabase) async throws -> [ApplicationListRow] {
        try await database.select()
            .columns("id", "round_code", "direction", "sub_direction", "project_name", "status", "verdict", "updated_at")
            .from(StoredApplication.schema)
            .where("enterprise_id", .equal, enterpriseID)
            .orderBy("updated_at", .descending)
            .all(decoding: ApplicationListRow.self)
    }
}

/// A row of the enterprise's 我的申报 list.
struct ApplicationListItem: Encodable {
    var id: String
    var programme: String
    var direction: String
    /// The round's notice, when the enterprise's applications belong to several rounds.
    var round: String?
    var projectName: String
    var status: String
    var statusLabel: String
    var verdictLabel: String?
    var updated: String

    init(_ row: ApplicationListRow, rounds: RoundCatalog, namingRound: Bool) {
        let round = rounds[row.round_code]
        let spec = round?.directionSpec(row.direction, subDirection: row.sub_direction)
        id = row.id.uuidString
        programme = spec?.programme.name ?? ""
        direction = spec?.fullName ?? row.direction
        self.round = namingRound ? round?.noticeNumber ?? row.round_code : nil
        projectName = row.project_name ?? "（未填写项目名称）"
        let status = ApplicationStatus(rawValue: row.status)
        self.status = row.status
        statusLabel = status?.label ?? row.status
        verdictLabel = status?.isEditableByEnterprise == true ? row.verdict.flatMap(Verdict.Status.init).map(\.label) : nil
        updated = row.updated_at.map { DateText.minute($0, timeZone: round?.timeZone ?? "Asia/Shanghai") } ?? ""
    }
}

/// What reviewers did to an enterprise's applications lately: status changes and their comments, newest first.
struct ReviewerActivityRow: Decodable {
    var application_id: UUID
    var project_name: String?
    var direction: String
    var sub_direction: String?
    var round_code: String
    var from_status: String?
    var to_status: String
    var comment: String?
    var created_at: Date?
    var display_name: String
}

extension ApplicationListQuery {
    static func reviewerActivity(of enterpriseID: UUID, limit: Int = 10, on database: any SQLDatabase) async throws -> [ReviewerActivityRow] {
        try await database.select()
            .column(SQLColumn("application_id", table: "ev")).column(SQLColumn("project_name", table: "a"))
            .column(SQLColumn("direction", table: "a")).column(SQLColumn("sub_direction", table: "a")).column(SQLColumn("round_code", table: "a"))
            .column(SQLColumn("from_status", table: "ev")).column(SQLColumn("to_status", table: "ev")).column(SQLColumn("comment", table: "ev"))
            .column(SQLColumn("created_at", table: "ev")).column(SQLColumn("display_name", table: "u"))
            .from(SQLAlias(SQLIdentifier(ApplicationEvent.schema), as: SQLIdentifier("ev")))
            .join(SQLAlias(SQLIdentifier(StoredApplication.schema), as: SQLIdentifier("a")), on: SQLColumn("id", table: "a"), .equal, SQLColumn("application_id", table: "ev"))
            .join(SQLAlias(SQLIdentifier(User.schema), as: SQLIdentifier("u")), on: SQLColumn("id", table: "u"), .equal, SQLColumn("actor_id", table: "ev"))
            .where(SQLColumn("enterprise_id", table: "a"), .equal, SQLBind(enterpriseID))
            .where(SQLColumn("role", table: "u"), .notEqual, SQLBind(Role.enterprise.rawValue))
            .orderBy(SQLOrderBy(expression: SQLColumn("created_at", table: "ev"), direction: SQLDirection.descending))
            .limit(limit)
            .all(decoding: ReviewerActivityRow.self)
    }
}

/// A line of the dashboard's 审核动态.
struct ActivityItem: Encodable {
    var href: String
    var subject: String
    var time: String
    var actor: String
    var change: String
    var comment: String?
    var attention: Bool

    init(_ row: ReviewerActivityRow, rounds: RoundCatalog) {
        let round = rounds[row.round_code]
        href = SiteURL.application(row.application_id).path
        subject = row.project_name ?? round?.directionSpec(row.direction, subDirection: row.sub_direction)?.fullName ?? row.direction
        time = row.created_at.map { DateText.minute($0, timeZone: round?.timeZone ?? "Asia/Shanghai") } ?? ""
        actor = row.display_name
        let to = ApplicationStatus(rawValue: row.to_status)
        change = [row.from_status.flatMap(ApplicationStatus.init)?.label, to?.label ?? row.to_status].compactMap { $0 }.joined(separator: " → ")
        comment = row.comment
        attention = to == .returned
    }
}
