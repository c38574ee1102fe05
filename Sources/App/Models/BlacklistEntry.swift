import Fluent
import Foundation
import PolicyKit
import SQLKit

/// One enterprise on an imported 失信名单. The rows of one uploaded file share `importID`, so that a list is removed as
/// it was imported; a credit code may be on several lists (信用中国（山西） and the national list).
final class BlacklistEntry: Model, @unchecked Sendable {
    static let schema = "blacklist_entries"

    @ID(key: .id) var id: UUID?
    @Field(key: "import_id") var importID: UUID
    @Field(key: "file_name") var fileName: String
    @Field(key: "credit_code") var creditCode: String
    @OptionalField(key: "name") var name: String?
    @Field(key: "source") var source: String
    @Field(key: "imported_at") var importedAt: Date
    @Field(key: "imported_by") var importedBy: String

    init() {}

    init(importID: UUID, fileName: String, entry: CreditBlacklist.Entry, importedAt: Date, importedBy: String) {
        self.importID = importID
        self.fileName = fileName
        self.creditCode = entry.creditCode
        self.name = entry.name
        self.source = entry.source
        self.importedAt = importedAt
        self.importedBy = importedBy
    }

    /// The stored lists as the eligibility engine needs them for one enterprise: its entries, and the lists' size.
    static func blacklist(for creditCode: String, on database: any Database) async throws -> CreditBlacklist {
        let entries = try await query(on: database).filter(\.$creditCode == creditCode).sort(\.$importedAt).all()
        let size = try await query(on: database).count()
        return CreditBlacklist(matching: entries.map { CreditBlacklist.Entry(creditCode: $0.creditCode, name: $0.name, source: $0.source) }, listSize: size)
    }

    /// Re-evaluates the stored self-check status of every application of the enterprises with these codes, after a
    /// list naming them was imported or removed, so that lists and statistics agree with the detail pages.
    static func refreshVerdicts(of creditCodes: [String], settings: Settings, on database: any Database) async throws {
        let codes = Array(Set(creditCodes))
        for start in stride(from: 0, to: codes.count, by: 500) {
            let enterprises = try await Enterprise.query(on: database).filter(\.$creditCode ~~ Array(codes[start..<min(start + 500, codes.count)])).all()
            for enterprise in enterprises {
                let blacklist = try await blacklist(for: enterprise.creditCode, on: database)
                for stored in try await StoredApplication.query(on: database).filter(\.$enterprise.$id == enterprise.requireID()).all() {
                    guard let round = settings.rounds[stored.roundCode] else { continue }
                    let engine = settings.rounds.engine(for: round)
                    let status = engine.assess(try stored.application(round: round), blacklist: blacklist).status
                    if stored.verdict != status {
                        stored.verdict = status
                        try await stored.save(on: database)
                    }
                }
            }
        }
    }

    /// Every list naming the code, as the reviewers' warning quotes them.
    static func sources(for creditCode: String, on database: any Database) async throws -> [String] {
        var seen = Set<String>()
        return try await query(on: database).filter(\.$creditCode == creditCode).sort(\.$importedAt).all().map(\.source).filter { seen.insert($0).inserted }
    }

    /// A one-row-per-code view of all lists, for LEFT JOINs that flag applications without multiplying their rows.
    static func listedCodes(as alias: String) -> any SQLExpression {
        SQLAlias(SQLGroupExpression(SQLQueryString("SELECT credit_code, MIN(source) AS source FROM \(ident: schema) GROUP BY credit_code")),
                 as: SQLIdentifier(alias))
    }
}
