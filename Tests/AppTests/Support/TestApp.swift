import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import App

enum PackageRoot {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path + "/"
}

/// The database the suite runs on: in-memory SQLite, or PostgreSQL when `TEST_DATABASE_URL` is set.
let expectedDatabase: DatabaseKind = (ProcessInfo.processInfo.environment["TEST_DATABASE_URL"]?.isEmpty == false) ? .postgresql : .sqlite

/// An application configured as in production, on a freshly migrated database that is reverted afterwards.
func withTestApp(
    environment: Environment = .testing,
    workingDirectory: String = PackageRoot.path,
    _ test: (Application) async throws -> Void
) async throws {
    let app = try await Application.make(environment)
    do {
        app.directory = DirectoryConfiguration(workingDirectory: workingDirectory)
        try await configure(app)
        try await app.autoRevert()
        try await app.autoMigrate()
        try await test(app)
        try await app.autoRevert()
    } catch {
        try? FileManager.default.removeItem(atPath: app.settings.dataDirectory)
        try? await app.asyncShutdown()
        throw error
    }
    try? FileManager.default.removeItem(atPath: app.settings.dataDirectory)
    try await app.asyncShutdown()
}

extension Application {
    func openRound(_ code: String) async throws -> RoundRecord {
        let round = try #require(settings.rounds[code])
        return try await RoundRegistry(database: db, catalog: settings.rounds).open(round, cryptography: settings.cryptography)
    }
}

extension String {
    /// Leaf escapes these five characters in `#()` output.
    var htmlEscaped: String {
        replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;").replacingOccurrences(of: "'", with: "&#39;")
    }
}
