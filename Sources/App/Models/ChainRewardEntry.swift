import Fluent
import Foundation
import PolicyKit

/// One enterprise on an imported list of 重点产业链“链主”企业、链上企业营业收入奖励. The notice does not bar applying
/// for 营收增量/消费品增量 as well (不重复支持, not paid twice); the list lets reviewers see who has both.
final class ChainRewardEntry: Model, @unchecked Sendable {
    static let schema = "chain_reward_entries"

    @ID(key: .id) var id: UUID?
    @Field(key: "import_id") var importID: UUID
    @Field(key: "file_name") var fileName: String
    @Field(key: "credit_code") var creditCode: String
    @Field(key: "year") var year: Int
    @OptionalField(key: "name") var name: String?
    @OptionalField(key: "category") var category: String?
    @Field(key: "imported_at") var importedAt: Date
    @Field(key: "imported_by") var importedBy: String

    init() {}

    init(importID: UUID, fileName: String, entry: ChainRevenueReward.Listed, importedAt: Date, importedBy: String) {
        self.importID = importID
        self.fileName = fileName
        creditCode = entry.creditCode
        year = entry.year
        name = entry.name
        category = entry.category
        self.importedAt = importedAt
        self.importedBy = importedBy
    }

    /// The awards the enterprise has on the imported lists for `year`, as the reviewers' warning quotes them.
    static func awards(for creditCode: String, year: Int, on database: any Database) async throws -> [ChainRewardEntry] {
        try await query(on: database).filter(\.$creditCode == creditCode).filter(\.$year == year).sort(\.$importedAt).all()
    }

    /// Every listed award, for the cross-application check.
    static func rewards(on database: any Database) async throws -> Set<ChainRevenueReward> {
        Set(try await query(on: database).all().map { ChainRevenueReward(creditCode: $0.creditCode, year: $0.year) })
    }
}
