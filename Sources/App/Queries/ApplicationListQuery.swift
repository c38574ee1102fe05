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
    var projectName: String
    var status: String
    var statusLabel: String
    var verdictLabel: String?
    var updated: String

    init(_ row: ApplicationListRow, rounds: RoundCatalog) {
        let round = rounds[row.round_code]
        let spec = round?.directionSpec(row.direction, subDirection: row.sub_direction)
        id = row.id.uuidString
        programme = spec?.programme.name ?? ""
        direction = spec?.fullName ?? row.direction
        projectName = row.project_name ?? "（未填写项目名称）"
        let status = ApplicationStatus(rawValue: row.status)
        self.status = row.status
        statusLabel = status?.label ?? row.status
        verdictLabel = status?.isEditableByEnterprise == true ? row.verdict.flatMap(Verdict.Status.init).map(\.label) : nil
        updated = row.updated_at.map { DateText.minute($0, timeZone: round?.timeZone ?? "Asia/Shanghai") } ?? ""
    }
}
