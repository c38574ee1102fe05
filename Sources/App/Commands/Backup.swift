import Crypto
import Fluent
import FluentSQLiteDriver
import Foundation
import SQLKit
import Spawn
import Vapor

/// A refusal or failure of a command, said in Chinese; the command line prints it and exits with 1.
public struct CommandRefused: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    public init(message: String) {
        self.message = message
    }
}

/// What a backup holds, written as `manifest.json` at the top of the archive: enough to check a restore completely.
struct BackupManifest: Codable, Equatable {
    var format = 1
    var createdAt: Date
    var database: DatabaseKind
    /// Rows per table of the database snapshot.
    var tables: [String: Int]
    /// Attachment files by SHA-256 (which is also their name in the store), with their sizes.
    var files: [String: Int64]

    static let fileName = "manifest.json"
    static let sqliteFile = "database/jigai.sqlite"
    static let postgresFile = "database/jigai.dump"

    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }

    static func decode(_ data: Data) throws -> BackupManifest {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(BackupManifest.self, from: data)
    }
}

/// `jigai backup` and `jigai restore`: one tar archive with a consistent database snapshot (SQLite `VACUUM INTO`,
/// or `pg_dump` of an exported snapshot), the attachment files it refers to, and a manifest of row counts and hashes.
enum Backup {
    // MARK: Backup

    static func create(app: Vapor.Application, output: URL) async throws -> BackupManifest {
        let settings = app.settings
        let staging = output.deletingLastPathComponent().appendingPathComponent(".jigai-backup-" + UUID().uuidString, isDirectory: true)
        try FileManager.default.createDirectory(at: staging.appendingPathComponent("database"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: staging) }

        let tables: [String: Int]
        let referenced: [String]
        switch settings.databaseKind {
        case .sqlite:
            let snapshot = staging.appendingPathComponent(BackupManifest.sqliteFile)
            try await sql(app).raw("VACUUM INTO \(bind: snapshot.path)").run()
            (tables, referenced) = try await withSQLiteFile(snapshot, app: app) { try await (rowCounts($0, kind: .sqlite), AttachmentStore.referencedHashes(on: $0)) }
        case .postgresql:
            let dump = staging.appendingPathComponent(BackupManifest.postgresFile)
            (tables, referenced) = try await dumpPostgres(app: app, to: dump)
        }

        var files: [String: Int64] = [:]
        for sha256 in referenced {
            let file = settings.attachments.url(for: sha256)
            guard let (hash, size) = try? hashFile(file) else {
                throw CommandRefused(message: "附件文件缺失：\(file.path)（数据库中有记录）；备份未完成")
            }
            guard hash == sha256 else {
                throw CommandRefused(message: "附件文件已损坏：\(file.path) 的 SHA-256 与文件名不符；备份未完成")
            }
            files[sha256] = size
        }
        let manifest = BackupManifest(createdAt: Date(), database: settings.databaseKind, tables: tables, files: files)
        try manifest.encoded().write(to: staging.appendingPathComponent(BackupManifest.fileName))

        // Attachments are archived from the store itself, named as listed: stored files never change once written.
        let list = staging.appendingPathComponent("files.txt")
        try Data(files.keys.sorted().map { "attachments/\(sha256Folder($0))/\($0)\n" }.joined().utf8).write(to: list)
        let partial = output.appendingPathExtension("partial")
        try await ExternalTool.run("/usr/bin/tar", [
            "--create", "--file=\(partial.path)", "--directory=\(staging.path)", BackupManifest.fileName, "database",
            "--directory=\(settings.dataDirectory)", "--verbatim-files-from", "--files-from=\(list.path)",
        ], failure: "无法写入备份文件 \(output.path)")
        try? FileManager.default.removeItem(at: output)
        try FileManager.default.moveItem(at: partial, to: output)
        return manifest
    }

    /// pg_dump reads the snapshot exported by a repeatable-read transaction, in which the rows are also counted.
    static func dumpPostgres(app: Vapor.Application, to dump: URL) async throws -> (tables: [String: Int], files: [String]) {
        try await app.db.withConnection { database in
            let sql = database as! any SQLDatabase
            try await sql.raw("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").run()
            do {
                let snapshot = try requireRow(try await sql.raw("SELECT pg_export_snapshot() AS snapshot").first()).decode(column: "snapshot", as: String.self)
                let counted = try await (rowCounts(sql, kind: .postgresql), AttachmentStore.referencedHashes(on: sql))
                try await ExternalTool.run("/usr/bin/pg_dump", [
                    "--format=custom", "--no-owner", "--no-privileges", "--snapshot=\(snapshot)", "--file=\(dump.path)",
                ], environment: try libpqEnvironment(app), failure: "pg_dump 导出数据库失败")
                try await sql.raw("COMMIT").run()
                return counted
            } catch {
                try? await sql.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    // MARK: Restore

    static func restore(app: Vapor.Application, archive: URL) async throws -> BackupManifest {
        let settings = app.settings
        let dataDirectory = URL(fileURLWithPath: settings.dataDirectory, isDirectory: true)
        guard FileManager.default.fileExists(atPath: archive.path) else {
            throw CommandRefused(message: "找不到备份文件：\(archive.path)")
        }
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        // The server key is made by starting the command itself; it signs only CSRF tokens and is not backed up.
        let existing = try FileManager.default.contentsOfDirectory(atPath: dataDirectory.path).filter { $0 != ServerKey.defaultFileName }
        guard existing.isEmpty else {
            throw CommandRefused(message: "数据目录 \(dataDirectory.path) 不是空的（有 \(existing.count) 项）；恢复只能在空的数据目录中进行，以免覆盖现有数据")
        }
        if settings.databaseKind == .postgresql, !(try await tableNames(sql(app), kind: .postgresql).isEmpty) {
            throw CommandRefused(message: "PostgreSQL 数据库不是空的；恢复只能在没有任何表的空数据库中进行，以免覆盖现有数据")
        }

        // Unpacked inside the data folder so that the final moves stay on one file system.
        let staging = dataDirectory.appendingPathComponent(".restoring-" + UUID().uuidString, isDirectory: true)
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        do {
            let manifest = try await unpack(archive, into: staging, kind: settings.databaseKind)
            let attachments = staging.appendingPathComponent("attachments", isDirectory: true)
            try verifyFiles(manifest, store: AttachmentStore(directory: attachments))
            switch settings.databaseKind {
            case .sqlite:
                let database = staging.appendingPathComponent(BackupManifest.sqliteFile)
                let counts = try await withSQLiteFile(database, app: app) { try await rowCounts($0, kind: .sqlite) }
                try compare(counts, manifest.tables)
                try FileManager.default.moveItem(at: database, to: dataDirectory.appendingPathComponent("jigai.sqlite"))
            case .postgresql:
                // pg_restore prints the dump unless told the database: PGDATABASE alone does not name its target.
                let environment = try libpqEnvironment(app)
                try await ExternalTool.run("/usr/bin/pg_restore", [
                    "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                    "--dbname=\(environment["PGDATABASE"] ?? "")",
                    staging.appendingPathComponent(BackupManifest.postgresFile).path,
                ], environment: environment, failure: "pg_restore 恢复数据库失败")
            }
            if FileManager.default.fileExists(atPath: attachments.path) {
                try FileManager.default.moveItem(at: attachments, to: settings.attachments.directory)
            }
            try FileManager.default.removeItem(at: staging)
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
        let manifest = try await verify(app: app, archive: archive)
        return manifest
    }

    /// Checks the data folder and database in use against the manifest inside `archive`: every row count, every file hash.
    static func verify(app: Vapor.Application, archive: URL) async throws -> BackupManifest {
        let manifestData = try await ExternalTool.run("/usr/bin/tar", ["--extract", "--to-stdout", "--file=\(archive.path)", BackupManifest.fileName],
                                                      failure: "备份文件 \(archive.path) 无法读取")
        let manifest = try BackupManifest.decode(manifestData)
        try compare(try await rowCounts(sql(app), kind: app.settings.databaseKind), manifest.tables)
        try verifyFiles(manifest, store: app.settings.attachments)
        return manifest
    }

    static func unpack(_ archive: URL, into staging: URL, kind: DatabaseKind) async throws -> BackupManifest {
        // GNU tar refuses member names with `..` and strips leading slashes, so nothing lands outside `staging`.
        try await ExternalTool.run("/usr/bin/tar", ["--extract", "--no-same-owner", "--file=\(archive.path)", "--directory=\(staging.path)"],
                                   failure: "备份文件 \(archive.path) 已损坏或不是 jigai backup 生成的文件")
        guard let data = FileManager.default.contents(atPath: staging.appendingPathComponent(BackupManifest.fileName).path),
              let manifest = try? BackupManifest.decode(data) else {
            throw CommandRefused(message: "备份文件中没有可读的 manifest.json，不是 jigai backup 生成的文件")
        }
        guard manifest.database == kind else {
            throw CommandRefused(message: "备份来自 \(manifest.database.label) 数据库，当前配置的是 \(kind.label)；请按备份时的数据库类型配置后再恢复")
        }
        return manifest
    }

    /// Every listed file present with its hash and size, and no file that is not listed.
    static func verifyFiles(_ manifest: BackupManifest, store: AttachmentStore) throws {
        for (sha256, size) in manifest.files.sorted(by: { $0.key < $1.key }) {
            let file = store.url(for: sha256)
            guard let (hash, actualSize) = try? hashFile(file) else {
                throw CommandRefused(message: "附件文件缺失：\(sha256)")
            }
            guard hash == sha256, actualSize == size else {
                throw CommandRefused(message: "附件文件 \(sha256) 的内容与备份清单不符（SHA-256 或大小不同）")
            }
        }
        let present = storedFiles(store)
        let extra = present.subtracting(manifest.files.keys)
        guard extra.isEmpty else {
            throw CommandRefused(message: "附件目录中有 \(extra.count) 个备份清单以外的文件，例如 \(extra.sorted()[0])")
        }
    }

    static func compare(_ counts: [String: Int], _ expected: [String: Int]) throws {
        for table in Set(counts.keys).union(expected.keys).sorted() where counts[table] != expected[table] {
            throw CommandRefused(message: "表 \(table) 的行数为 \(counts[table].map(String.init) ?? "（无此表）")，备份清单中为 \(expected[table].map(String.init) ?? "（无此表）")")
        }
    }

    // MARK: Helpers

    static func sql(_ app: Vapor.Application) -> any SQLDatabase {
        app.db as! any SQLDatabase
    }

    static func tableNames(_ sql: any SQLDatabase, kind: DatabaseKind) async throws -> [String] {
        let query: SQLQueryString = switch kind {
        case .sqlite: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        case .postgresql: "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        }
        return try await sql.raw(query).all().map { try $0.decode(column: "name", as: String.self) }
    }

    static func rowCounts(_ sql: any SQLDatabase, kind: DatabaseKind) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in try await tableNames(sql, kind: kind) {
            let row = try await sql.select().column(SQLFunction("count", args: SQLLiteral.all), as: "n").from(SQLIdentifier(table)).first()
            counts[table] = try requireRow(row).decode(column: "n", as: Int.self)
        }
        return counts
    }

    /// Opens an SQLite file apart from the application's pool (a snapshot or a database not yet in place).
    static func withSQLiteFile<T>(_ file: URL, app: Vapor.Application, _ body: (any SQLDatabase) async throws -> T) async throws -> T {
        let connection = try await SQLiteConnection.open(storage: .file(path: file.path), threadPool: app.threadPool, logger: app.logger,
                                                         on: app.eventLoopGroup.any()).get()
        do {
            let result = try await body(connection.sql())
            try await connection.close().get()
            return result
        } catch {
            try? await connection.close().get()
            throw error
        }
    }

    static func sha256Folder(_ sha256: String) -> String {
        String(sha256.prefix(2))
    }

    /// The files in the store named like a SHA-256, the unfinished uploads in `incoming/` aside.
    static func storedFiles(_ store: AttachmentStore) -> Set<String> {
        guard let folders = try? FileManager.default.contentsOfDirectory(atPath: store.directory.path) else { return [] }
        var names = Set<String>()
        for folder in folders where folder != "incoming" {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: store.directory.appendingPathComponent(folder).path)) ?? []
            names.formUnion(files)
        }
        return names
    }

    static func hashFile(_ file: URL) throws -> (String, Int64) {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            size += Int64(chunk.count)
        }
        return (hasher.finalize().map { String(format: "%02x", $0) }.joined(), size)
    }

    /// libpq settings from the database URL, passed in the environment so that the password never shows in `ps`.
    static func libpqEnvironment(_ app: Vapor.Application) throws -> [String: String] {
        guard let text = app.settings.databaseURL, let url = URLComponents(string: text) else {
            throw CommandRefused(message: "未设置 DATABASE_URL")
        }
        var environment = ProcessInfo.processInfo.environment
        environment["PGHOST"] = url.host
        environment["PGPORT"] = url.port.map(String.init) ?? "5432"
        environment["PGUSER"] = url.user
        environment["PGPASSWORD"] = url.password
        environment["PGDATABASE"] = String(url.path.drop(while: { $0 == "/" }))
        environment["PGSSLMODE"] = url.queryItems?.first(where: { $0.name == "sslmode" })?.value ?? "prefer"
        return environment.compactMapValues { $0 }
    }
}

extension DatabaseKind {
    var label: String {
        switch self {
        case .sqlite: "SQLite"
        case .postgresql: "PostgreSQL"
        }
    }
}

/// The row a query that always answers one row did not answer is an internal error, not a crash.
func requireRow<Row>(_ row: Row?) throws -> Row {
    guard let row else { throw CommandRefused(message: "数据库没有返回预期的结果") }
    return row
}

/// Runs a system tool (tar, pg_dump, pg_restore) and returns its standard output; a failure carries its message.
enum ExternalTool {
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, failure: String) async throws -> Data {
        let outcome = try await ChildProcess.run(executable, arguments, environment: environment)
        guard outcome.exitCode == 0 else {
            let detail = outcome.errorText.trimmingCharacters(in: .whitespacesAndNewlines)
            throw CommandRefused(message: failure + (detail.isEmpty ? "" : "：\(detail)"))
        }
        return outcome.output
    }
}
