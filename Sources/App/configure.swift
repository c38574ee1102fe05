import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Leaf
import Vapor

/// Configures the application from the environment:
/// `DATABASE_URL` (PostgreSQL; SQLite under `JIGAI_DATA` otherwise), `JIGAI_POLICIES`, and in tests `TEST_DATABASE_URL`.
public func configure(_ app: Application) async throws {
    let workingDirectory = app.directory.workingDirectory
    let dataDirectory = Environment.get("JIGAI_DATA") ?? workingDirectory + "data"
    let policiesDirectory = Environment.get("JIGAI_POLICIES") ?? workingDirectory + "Policies"
    let rounds = try RoundCatalog.load(directory: policiesDirectory)

    let databaseURL = app.environment == .testing ? Environment.get("TEST_DATABASE_URL") : Environment.get("DATABASE_URL")
    let kind: DatabaseKind
    if let databaseURL, !databaseURL.isEmpty {
        try app.databases.use(.postgres(configuration: SQLPostgresConfiguration(url: databaseURL)), as: .psql)
        kind = .postgresql
    } else if app.environment == .testing {
        app.databases.use(.sqlite(.memory), as: .sqlite)
        kind = .sqlite
    } else {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        app.databases.use(.sqlite(.file(dataDirectory + "/jigai.sqlite")), as: .sqlite)
        kind = .sqlite
    }
    app.settings = Settings(databaseKind: kind, dataDirectory: dataDirectory, policiesDirectory: policiesDirectory, rounds: rounds)

    app.migrations.add(CreateRound())

    app.views.use(.leaf)
    app.leaf.cache.isEnabled = app.environment.isRelease
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory))

    app.asyncCommands.use(DemoCommand(), as: "demo")
    try routes(app)
}
