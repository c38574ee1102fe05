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

    /// No round by that id, or none opened yet.
    public struct UnknownRound: Error, CustomStringConvertible {
        public var name: String?
        public var known: [String]
        public var description: String {
            guard let name else { return "数据库中还没有开启的申报批次；请先运行 jigai round open" }
            return "没有申报批次“\(name)”；可选：\(known.joined(separator: "、"))"
        }
    }

    static let statuses: [ApplicationStatus] = [.cityApproved, .forwarded, .divisionReviewing, .proposedReward, .notRewarded]

    /// `authority` is a 审核单位's short name (太原市), full name (太原市工信局) or id (140100); `roundID` a round's id,
    /// the most recently opened round when nil. One sheet is one round's: its 填表说明 are that round's.
    public static func sheet(authority: String, roundID: String? = nil, app: Vapor.Application) async throws -> (sheet: SummarySheet, round: Round) {
        let round: Round
        if let roundID {
            guard let named = app.settings.rounds[roundID] else {
                throw UnknownRound(name: roundID, known: app.settings.rounds.rounds.keys.sorted())
            }
            round = named
        } else {
            guard let current = try await RoundRegistry(database: app.db, catalog: app.settings.rounds).current()?.round else {
                throw UnknownRound(name: nil, known: [])
            }
            round = current
        }
        let authorities = round.reviewAuthorities
        guard let match = authorities.first(where: { [$0.id, $0.name, $0.shortName].contains(authority) }) else {
            var seen = Set<String>()
            throw UnknownAuthority(name: authority, known: authorities.map(\.shortName).filter { seen.insert($0).inserted })
        }
        let stored = try await StoredApplication.query(on: app.db).filter(\.$authority == match.id).filter(\.$roundCode == round.id)
            .filter(\.$status ~~ statuses).sort(\.$submittedAt).sort(\.$id).all()
        let rows = try stored.map { SummaryRows.row(try $0.application(round: round), round: round) }
        return (SummarySheet(reviewAuthority: match.name, rows: rows, instructions: round.summaryInstructions), round)
    }
}
