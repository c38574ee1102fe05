import Fluent
import Foundation
import PolicyKit

/// The admin's 链主、链上企业奖励名单 page: the imports, and the 营收增量/消费品增量 applications to check for
/// 不重复支持 — on the list for their round's year, or declaring the reward themselves.
enum ChainRewardQuery {
    struct Import {
        var id: UUID
        var entries: [ChainRewardEntry]
    }

    struct Flagged {
        var application: StoredApplication
        var round: Round
        var awards: [ChainRewardEntry]
        var declared: Bool
    }

    /// Newest import first, each with its entries.
    static func imports(on database: any Database) async throws -> [Import] {
        let entries = try await ChainRewardEntry.query(on: database).sort(\.$importedAt, .descending).all()
        var order: [UUID] = []
        var groups: [UUID: [ChainRewardEntry]] = [:]
        for entry in entries {
            if groups[entry.importID] == nil { order.append(entry.importID) }
            groups[entry.importID, default: []].append(entry)
        }
        return order.map { Import(id: $0, entries: groups[$0]!) }
    }

    static func flagged(_ imports: [Import], rounds: RoundCatalog, on database: any Database) async throws -> [Flagged] {
        let listed = Dictionary(grouping: imports.flatMap(\.entries)) { ChainRevenueReward(creditCode: $0.creditCode, year: $0.year) }
        let candidates = try await StoredApplication.query(on: database)
            .filter(\.$direction ~~ Array(CrossApplicationRules.chainRewardDirections(rounds.rounds.values))).filter(\.$status != .draft).with(\.$enterprise).all()
        return try candidates.compactMap { stored in
            guard let round = rounds[stored.roundCode] else { return nil }
            let awards = listed[ChainRevenueReward(creditCode: stored.enterprise.creditCode, year: round.baseYear)] ?? []
            let declared = try stored.application(round: round).content["chainRevenueRewardSameYear"]?.bool == true
            return awards.isEmpty && !declared ? nil : Flagged(application: stored, round: round, awards: awards, declared: declared)
        }
    }
}
