import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Leaf
import PolicyKit
import Vapor

/// Configures the application from the environment:
/// `DATABASE_URL` (PostgreSQL; SQLite under `JIGAI_DATA`, by default `data/` in the working folder, otherwise),
/// `JIGAI_POLICIES`, `JIGAI_HOME` (see `InstallLayout`), and in tests `TEST_DATABASE_URL`.
/// Tests use an SQLite file in their own data folder, as the 申请报告 is built by a child process that opens it too.
public func configure(_ app: Vapor.Application) async throws {
    // Templates and public files come from the checkout or the install prefix, whatever folder jigai is started in.
    let working = URL(fileURLWithPath: app.directory.workingDirectory, isDirectory: true)
    let home = InstallLayout.holdsResources(working) ? working : InstallLayout.home()
    if home != working {
        let installed = DirectoryConfiguration(workingDirectory: home.path + "/")
        app.directory.resourcesDirectory = installed.resourcesDirectory
        app.directory.viewsDirectory = installed.viewsDirectory
        app.directory.publicDirectory = installed.publicDirectory
    }
    // Each test application gets its own data folder, so uploads of one test never meet another's.
    let dataDirectory = Environment.get("JIGAI_DATA")
        ?? (app.environment == .testing ? NSTemporaryDirectory() + "jigai-test-" + UUID().uuidString : FileManager.default.currentDirectoryPath + "/data")
    let policiesInWorking = working.appendingPathComponent("Policies", isDirectory: true)
    let policiesDirectory = Environment.get("JIGAI_POLICIES").flatMap { $0.isEmpty ? nil : $0 }
        ?? (FileManager.default.fileExists(atPath: policiesInWorking.path) ? policiesInWorking : home.appendingPathComponent("Policies", isDirectory: true)).path
    let rounds = try RoundCatalog.load(directory: policiesDirectory)

    let databaseURL = app.environment == .testing ? Environment.get("TEST_DATABASE_URL") : Environment.get("DATABASE_URL")
    let kind: DatabaseKind
    if let databaseURL, !databaseURL.isEmpty {
        // Requests queue for a connection rather than fail during a deadline rush.
        try app.databases.use(.postgres(configuration: SQLPostgresConfiguration(url: databaseURL), maxConnectionsPerEventLoop: 4,
                                        connectionPoolTimeout: .seconds(60)), as: .psql)
        kind = .postgresql
    } else {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        app.databases.use(.configuredSQLite(.file(dataDirectory + "/jigai.sqlite")), as: .sqlite)
        kind = .sqlite
    }
    let security = try SecurityConfiguration.fromEnvironment(dataDirectory: dataDirectory, production: app.environment == .production)
    app.settings = Settings(
        databaseKind: kind, databaseURL: kind == .postgresql ? databaseURL : nil, dataDirectory: dataDirectory, homeDirectory: home.path, policiesDirectory: policiesDirectory, rounds: rounds, security: security,
        cryptography: try CryptographySettings.fromEnvironment(), auditRetention: try AuditRetention.fromEnvironment())

    app.migrations.add(Migrations.all)

    // Bcrypt's cost makes each hash take ~0.25 s; tests use the minimum so that hundreds of sign-ins stay fast.
    app.passwords.use(.bcrypt(cost: app.environment == .testing ? 4 : 12))
    app.unknownAccountHash = try app.password.hash(SecureToken.make())

    // Forms and application documents (a 200-row table among them) fit in 2 MB; uploads stream and have their own limits.
    app.routes.defaultMaxBodySize = "2mb"
    // A connection silent in both directions for `JIGAI_IDLE_SECONDS` (120) is closed, so stalled clients cannot hold
    // connections open; the default is longer than the 60 s a request may wait for a database connection during a rush.
    app.http.server.configuration.idleTimeout = .seconds(Environment.get("JIGAI_IDLE_SECONDS").flatMap(Int64.init) ?? 120)

    app.views.use(.leaf)
    // Parsing templates on every request cost a quarter of a list page's CPU; Leaf itself reloads them in development.
    app.leaf.cache.isEnabled = app.environment != .development

    // Outermost first: security headers wrap even error pages; errors become Chinese pages before headers are added.
    app.middleware = Middlewares()
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(RouteLoggingMiddleware(logLevel: .info))
    app.middleware.use(ChineseErrorMiddleware())
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory))
    app.middleware.use(QueryLimitMiddleware())
    app.middleware.use(SessionAuthenticator(configuration: security))
    app.middleware.use(CSRFMiddleware())

    app.lifecycle.use(StoreSweeper())
    app.reportBuilder = ReportBuilder()
    app.lifecycle.use(app.reportBuilder)

    app.asyncCommands.use(DemoCommand(), as: "demo")
    app.asyncCommands.use(AuditCommand(), as: "audit")
    app.asyncCommands.use(BackupCommand(), as: "backup")
    app.asyncCommands.use(RestoreCommand(), as: "restore")
    try routes(app)
}
