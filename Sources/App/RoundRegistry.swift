import Fluent
import Foundation
import PolicyKit
import Vapor

/// The rounds opened in the database, joined with their policy files.
struct RoundRegistry {
    let database: Database
    let catalog: RoundCatalog

    /// Opens `round` for applications, or refreshes its texts if already open. The deadline of an open round is kept,
    /// because an admin may have extended it.
    @discardableResult
    func open(_ round: Round) async throws -> RoundRecord {
        if let existing = try await RoundRecord.query(on: database).filter(\.$code == round.id).first() {
            existing.noticeNumber = round.noticeNumber
            existing.title = round.title
            try await existing.save(on: database)
            return existing
        }
        let record = RoundRecord(code: round.id, noticeNumber: round.noticeNumber, title: round.title, deadline: round.deadline)
        try await record.create(on: database)
        return record
    }

    /// The most recently opened round whose policy file is present.
    func current() async throws -> (record: RoundRecord, round: Round)? {
        let records = try await RoundRecord.query(on: database).sort(\.$openedAt, .descending).all()
        for record in records {
            if let round = catalog[record.code] { return (record, round) }
        }
        return nil
    }
}
