import FluentKit
import FluentSQLiteDriver
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import SQLKit
import SQLiteNIO

/// SQLite with WAL, `synchronous=FULL` and a busy timeout on every connection.
///
/// FluentSQLiteDriver has no hook for a newly opened connection, and SQLiteNIO gives each connection a busy handler
/// that retries forever (a writer waiting for a lock spins until it gets it). So every query goes through this
/// wrapper, which configures a connection the first time it is checked out of the pool; the pragma `busy_timeout`
/// replaces the endless handler. Transactions begin `IMMEDIATE`: a deferred one that has read and then writes fails
/// at once with SQLITE_BUSY when another connection wrote in between, where waiting for the lock succeeds.
struct SQLiteConnectionSettings: DatabaseConfiguration {
    /// Long enough for any write of this application to finish, short enough that a stuck lock is an error, not a hang.
    static let busyTimeoutMilliseconds = 5000
    static let pragmas = ["PRAGMA busy_timeout = \(busyTimeoutMilliseconds)", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL"]

    var inner: any DatabaseConfiguration

    var middleware: [any AnyModelMiddleware] {
        get { inner.middleware }
        set { inner.middleware = newValue }
    }

    func makeDriver(for databases: Databases) -> any DatabaseDriver {
        Driver(inner: inner.makeDriver(for: databases), configured: ConfiguredConnections())
    }

    struct Driver: DatabaseDriver {
        let inner: any DatabaseDriver
        let configured: ConfiguredConnections

        func makeDatabase(with context: DatabaseContext) -> any Database {
            ConfiguredSQLiteDatabase(inner: inner.makeDatabase(with: context), configured: configured, inTransaction: false)
        }

        func shutdown() { inner.shutdown() }
        func shutdownAsync() async { await inner.shutdownAsync() }
    }
}

extension DatabaseConfigurationFactory {
    /// The SQLite database at `path` (or an in-memory one), configured by ``SQLiteConnectionSettings``.
    static func configuredSQLite(_ configuration: SQLiteConfiguration) -> DatabaseConfigurationFactory {
        // Requests queue for a connection rather than fail during a deadline rush.
        let inner = DatabaseConfigurationFactory.sqlite(configuration, connectionPoolTimeout: .seconds(60))
        return DatabaseConfigurationFactory { SQLiteConnectionSettings(inner: inner.make()) }
    }
}

/// The connections already configured, held weakly: a closed connection's address may be reused by a new one.
final class ConfiguredConnections: Sendable {
    private struct Entry {
        weak var connection: SQLiteConnection?
    }

    private let entries = NIOLockedValueBox<[ObjectIdentifier: Entry]>([:])

    /// True the first time a connection is seen (the caller then configures it).
    func claim(_ connection: SQLiteConnection) -> Bool {
        entries.withLockedValue { entries in
            let key = ObjectIdentifier(connection)
            if entries[key]?.connection === connection { return false }
            entries = entries.filter { $0.value.connection != nil }
            entries[key] = Entry(connection: connection)
            return true
        }
    }

    /// Forgets a connection whose configuration failed, so that the next checkout tries again.
    func release(_ connection: SQLiteConnection) {
        entries.withLockedValue { _ = $0.removeValue(forKey: ObjectIdentifier(connection)) }
    }
}

/// A Fluent and SQLKit database whose every query runs on a configured connection.
struct ConfiguredSQLiteDatabase: Database, SQLDatabase {
    let inner: any Database
    let configured: ConfiguredConnections
    let inTransaction: Bool

    var context: DatabaseContext { inner.context }

    private var sql: any SQLDatabase {
        // Both databases FluentSQLiteDriver hands out, pooled and connection-bound, are SQL databases.
        inner as! any SQLDatabase
    }

    /// Runs `body` with a database bound to one configured connection.
    private func withConfiguredConnection<T>(_ body: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        inner.withConnection { database in
            (database as! any SQLiteDatabase).withConnection { connection in
                configure(connection)
            }.flatMap { body(database).map(Passed.init) }.map(\.value)
        }
    }

    private func configure(_ connection: SQLiteConnection) -> EventLoopFuture<Void> {
        guard configured.claim(connection) else { return connection.eventLoop.makeSucceededVoidFuture() }
        let configured = self.configured
        var future = connection.eventLoop.makeSucceededVoidFuture()
        for pragma in SQLiteConnectionSettings.pragmas {
            future = future.flatMap { connection.query(pragma).map { _ in } }
        }
        return future.flatMapErrorThrowing { error in
            configured.release(connection)
            throw error
        }
    }

    func execute(query: DatabaseQuery, onOutput: @escaping @Sendable (any DatabaseOutput) -> Void) -> EventLoopFuture<Void> {
        withConfiguredConnection { $0.execute(query: query, onOutput: onOutput) }
    }

    func execute(schema: DatabaseSchema) -> EventLoopFuture<Void> {
        withConfiguredConnection { $0.execute(schema: schema) }
    }

    func execute(enum: DatabaseEnum) -> EventLoopFuture<Void> {
        withConfiguredConnection { $0.execute(enum: `enum`) }
    }

    func withConnection<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        withConfiguredConnection { database in
            closure(ConfiguredSQLiteDatabase(inner: database, configured: configured, inTransaction: inTransaction))
        }
    }

    func transaction<T>(_ closure: @escaping @Sendable (any Database) -> EventLoopFuture<T>) -> EventLoopFuture<T> {
        if inTransaction { return closure(self) }
        return withConfiguredConnection { database in
            let bound = ConfiguredSQLiteDatabase(inner: database, configured: configured, inTransaction: true)
            let sql = database as! any SQLDatabase
            return sql.raw("BEGIN IMMEDIATE TRANSACTION").run().flatMap {
                closure(bound).map(Passed.init).flatMap { passed in
                    sql.raw("COMMIT TRANSACTION").run().map { passed }
                }.flatMapError { error in
                    sql.raw("ROLLBACK TRANSACTION").run().flatMapThrowing { throw error }.flatMapErrorThrowing { _ in throw error }
                }
            }.map(\.value)
        }
    }

    /// Fluent leaves a transaction's result type unconstrained; it only passes between futures of one connection.
    private struct Passed<Value>: @unchecked Sendable {
        var value: Value
    }

    // SQLDatabase

    var logger: Logger { inner.logger }
    var eventLoop: any EventLoop { inner.eventLoop }
    var dialect: any SQLDialect { sql.dialect }
    var version: (any SQLDatabaseReportedVersion)? { sql.version }
    var queryLogLevel: Logger.Level? { sql.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        withConfiguredConnection { ($0 as! any SQLDatabase).execute(sql: query, onRow) }
    }
}
