import Foundation
import Spawn
import Testing

/// The restore drill: a data folder with the demo data is backed up, restored into an empty folder, and the copy is
/// checked with the system's own sqlite3 and sha256sum rather than with the code under test.
extension CommandLineTests {
    func tool(_ path: String, _ arguments: [String]) throws -> String {
        let outcome = try ChildProcess.runSynchronously(path, arguments, errors: .discard)
        #expect(outcome.exitCode == 0, "\(path) \(arguments)")
        return outcome.text
    }

    func rowCounts(_ database: URL) throws -> [String: Int] {
        let tables = try tool("/usr/bin/sqlite3", [database.path, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"])
            .split(separator: "\n").map(String.init)
        var counts: [String: Int] = [:]
        for table in tables {
            counts[table] = Int(try tool("/usr/bin/sqlite3", [database.path, "SELECT count(*) FROM \"\(table)\""]).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return counts
    }

    /// File name → SHA-256 of its content, for every stored attachment.
    func fileHashes(_ store: URL) throws -> [String: String] {
        var hashes: [String: String] = [:]
        let files = try FileManager.default.subpathsOfDirectory(atPath: store.path).filter { $0.split(separator: "/").count == 2 && !$0.hasPrefix("incoming/") }
        for file in files {
            let line = try tool("/usr/bin/sha256sum", [store.appendingPathComponent(file).path])
            hashes[String(file.split(separator: "/")[1])] = String(line.prefix(64))
        }
        return hashes
    }

    @Test("备份与恢复演练：恢复到空数据目录，每张表的行数、每个附件的 SHA-256 都一致；非空目录拒绝恢复")
    func backupRestoreDrill() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jigai-drill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("source")
        let restored = folder.appendingPathComponent("restored")
        let archive = folder.appendingPathComponent("备份.tar")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)

        #expect(try jigai(["migrate", "--yes"], environment: ["JIGAI_DATA": source.path]).status == 0)
        #expect(try jigai(["demo"], environment: ["JIGAI_DATA": source.path]).status == 0)
        let backup = try jigai(["backup", "-o", archive.path], environment: ["JIGAI_DATA": source.path])
        #expect(backup.status == 0, "\(backup.errors)")
        #expect(backup.output.contains("已备份到"))

        let restore = try jigai(["restore", archive.path], environment: ["JIGAI_DATA": restored.path])
        #expect(restore.status == 0, "\(restore.errors)")
        #expect(restore.output.contains("校验通过"))

        let sourceCounts = try rowCounts(source.appendingPathComponent("jigai.sqlite"))
        #expect(sourceCounts["applications"] ?? 0 > 0)
        #expect(sourceCounts["attachments"] ?? 0 > 0)
        #expect(try rowCounts(restored.appendingPathComponent("jigai.sqlite")) == sourceCounts)

        let sourceFiles = try fileHashes(source.appendingPathComponent("attachments"))
        let restoredFiles = try fileHashes(restored.appendingPathComponent("attachments"))
        #expect(!restoredFiles.isEmpty)
        #expect(restoredFiles == sourceFiles)
        for (name, hash) in restoredFiles { #expect(name == hash) }
        let referenced = Set(try tool("/usr/bin/sqlite3", [restored.appendingPathComponent("jigai.sqlite").path, "SELECT DISTINCT sha256 FROM attachments"])
            .split(separator: "\n").map(String.init))
        #expect(referenced == Set(restoredFiles.keys))

        let refused = try jigai(["restore", archive.path], environment: ["JIGAI_DATA": source.path])
        #expect(refused.status == 1)
        #expect(refused.errors.contains("不是空的"))
        #expect(try rowCounts(source.appendingPathComponent("jigai.sqlite")) == sourceCounts)
    }
}
