import Documents
import Fluent
import Foundation
import PolicyKit
import Vapor

/// A reviewing authority's 申报汇总表 (通知附件3) from the database: every application it has approved, forwarded or
/// that the province has since decided, in the order they were submitted.
public enum AuthoritySummary {
    /// No reviewing authority by that name or id.
    public struct UnknownAuthority: Error, CustomStringConvertible {
        public var name: String
        public var known: [String]
        public var description: String { "没有审核单位“\(name)”；可选：\(known.joined(separator: "、"))" }
    }

    static let statuses: [ApplicationStatus] = [.cityApproved, .forwarded, .divisionReviewing, .proposedReward, .notRewarded]

    /// `authority` is a 审核单位's short name (太原市), full name (太原市工信局) or id (140100).
    public static func sheet(authority: String, app: Vapor.Application) async throws -> SummarySheet {
        let rounds = app.settings.rounds.rounds.values
        let authorities = rounds.flatMap(\.reviewAuthorities)
        guard let match = authorities.first(where: { [$0.id, $0.name, $0.shortName].contains(authority) }) else {
            var seen = Set<String>()
            throw UnknownAuthority(name: authority, known: authorities.map(\.shortName).filter { seen.insert($0).inserted })
        }
        let stored = try await StoredApplication.query(on: app.db).filter(\.$authority == match.id).filter(\.$status ~~ statuses)
            .sort(\.$submittedAt).sort(\.$id).all()
        let rows = try stored.compactMap { record -> SummarySheet.Row? in
            guard let round = app.settings.rounds[record.roundCode] else { return nil }
            return SummaryRows.row(try record.application(round: round), round: round)
        }
        return SummarySheet(reviewAuthority: match.name, rows: rows)
    }
}
