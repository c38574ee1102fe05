import Fluent
import Foundation
import PolicyKit
import Vapor

/// The rounds opened in the database, joined with the rounds the catalogue serves.
struct RoundRegistry {
    let database: Database
    let catalog: RoundCatalog

    /// Opens `round` from its file, as `jigai round open` does, unless it is open already: the demo and the tests.
    @discardableResult
    func open(_ round: Round, cryptography: CryptographySettings) async throws -> RoundRecord {
        if let existing = try await RoundRecord.query(on: database).filter(\.$code == round.id).first() { return existing }
        return try await RoundLifecycle(database: database, catalog: catalog, cryptography: cryptography, actor: nil, address: nil).open(round.id).record
    }

    /// Every opened round the catalogue serves, newest first, closed or not.
    func opened() async throws -> [(record: RoundRecord, round: Round)] {
        try await RoundRecord.query(on: database).sort(\.$openedAt, .descending).all().compactMap { record in
            catalog[record.code].map { (record, $0) }
        }
    }

    /// The most recently opened round that is not closed.
    func current() async throws -> (record: RoundRecord, round: Round)? {
        let records = try await RoundRecord.query(on: database).filter(\.$closedAt == nil).sort(\.$openedAt, .descending).all()
        for record in records {
            if let round = catalog[record.code] { return (record, round) }
        }
        return nil
    }
}

extension Vapor.Application {
    /// Serves every opened round as it was opened, and returns where its file now differs and how to apply it.
    /// Called before serving and by the commands that read the database; nothing before the database is migrated.
    public func installRoundSnapshots() async throws -> [String] {
        let migrated = (try? await MigrationLog.query(on: db).filter(\.$name == UpdateRoundAddSnapshot().name).count()) ?? 0
        guard migrated > 0 else { return [] }
        return try await RoundSnapshot.install(from: db, into: settings.rounds)
    }
}
