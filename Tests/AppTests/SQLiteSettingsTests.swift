import Fluent
import FluentSQLiteDriver
import Foundation
import SQLKit
import Testing
import Vapor
@testable import App

@Suite("SQLite：每个连接的设置")
struct SQLiteSettingsTests {
    /// An application on its own SQLite file, one pooled connection per event loop.
    func withFileDatabase(_ test: (Application, [any SQLDatabase]) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jigai-sqlite-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let app = try await Application.make(.testing)
        app.databases.use(.configuredSQLite(.file(folder.appendingPathComponent("jigai.sqlite").path)), as: .sqlite)
        let loops = Array(app.eventLoopGroup.makeIterator())
        let databases = loops.map { app.databases.database(.sqlite, logger: app.logger, on: $0)! as! any SQLDatabase }
        do {
            try await test(app, databases)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    func pragma<Value: Decodable>(_ name: String, as type: Value.Type, on database: any SQLDatabase) async throws -> Value {
        let row = try #require(try await database.raw(SQLQueryString("PRAGMA \(unsafeRaw: name)")).first())
        return try row.decode(column: try #require(row.allColumns.first), as: Value.self)
    }

    @Test("WAL、synchronous=FULL、忙等待超时在每个连接上生效")
    func pragmasOnEveryConnection() async throws {
        try await withFileDatabase { _, databases in
            #expect(databases.count >= 1)
            for database in databases {
                let journalMode = try await pragma("journal_mode", as: String.self, on: database)
                let synchronous = try await pragma("synchronous", as: Int.self, on: database)
                let busyTimeout = try await pragma("busy_timeout", as: Int.self, on: database)
                #expect(journalMode == "wal")
                #expect(synchronous == 2, "2 is FULL")
                #expect(busyTimeout == SQLiteConnectionSettings.busyTimeoutMilliseconds)
            }
        }
    }

    @Test("两个连接同时先读后写的事务都能提交（不因 SQLITE_BUSY 失败）")
    func concurrentReadThenWriteTransactions() async throws {
        try await withFileDatabase { app, _ in
            let loops = Array(app.eventLoopGroup.makeIterator())
            try await app.databases.database(.sqlite, logger: app.logger, on: loops[0])!.transaction { database in
                try await (database as! any SQLDatabase).raw("CREATE TABLE counter (n INTEGER NOT NULL)").run()
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    let database = app.databases.database(.sqlite, logger: app.logger, on: loops[index % loops.count])!
                    group.addTask {
                        try await database.transaction { transaction in
                            let sql = transaction as! any SQLDatabase
                            let rows = try await sql.raw("SELECT count(*) AS n FROM counter").all()
                            try await Task.sleep(for: .milliseconds(2))
                            try await sql.raw("INSERT INTO counter (n) VALUES (\(bind: rows.count))").run()
                        }
                    }
                }
                try await group.waitForAll()
            }
            let sql = app.databases.database(.sqlite, logger: app.logger, on: loops[0])! as! any SQLDatabase
            let count = try #require(try await sql.raw("SELECT count(*) AS n FROM counter").first()).decode(column: "n", as: Int.self)
            #expect(count == 40)
        }
    }
}
