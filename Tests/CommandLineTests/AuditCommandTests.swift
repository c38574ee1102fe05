import Foundation
import Spawn
import Testing

/// `jigai audit` as an operator runs it, on a chain written with the system's sqlite3 and hashed by the openssl
/// command line rather than by the code under test.
extension CommandLineTests {
    /// The day `daysAgo` days back in Beijing time, as the commands take it.
    func beijingDay(daysAgo: Double) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date().addingTimeInterval(-daysAgo * 86_400))
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    func openssl(_ algorithm: String, _ text: String) throws -> String {
        let outcome = try ChildProcess.runSynchronously("/usr/bin/openssl", ["dgst", "-" + algorithm, "-r"], input: Data(text.utf8), errors: .discard)
        #expect(outcome.exitCode == 0)
        return String(outcome.text.prefix(64))
    }

    /// Appends `algorithms.count` events dated `daysAgo` days back, each hashed with its algorithm, as `AuditEvent.canonical` says.
    func insertEvents(_ database: URL, daysAgo: Double, algorithms: [String]) throws {
        var previous = String(repeating: "0", count: 64)
        var statements = ["BEGIN;"]
        let start = Int64((Date().timeIntervalSince1970 - daysAgo * 86_400) * 1000)
        for (index, algorithm) in algorithms.enumerated() {
            let sequence = index + 1
            let milliseconds = start + Int64(index) * 1000
            let fields = ["测试（命令行）", "导出", "汇总表", "第 \(sequence) 份", "", "第 \(sequence) 次"]
            let canonical = ([String(sequence), String(milliseconds), ""] + [fields[0], fields[1], fields[2], fields[3], "", fields[5], ""] + [previous])
                .joined(separator: "\u{1F}")
            let hash = try openssl(algorithm == "sm3" ? "sm3" : "sha256", canonical)
            statements.append("INSERT INTO audit_events (id, sequence, at, actor_id, actor, action, object_type, object_id, before, after, address, previous_hash, digest_algorithm, hash) "
                              + "VALUES ('\(UUID().uuidString)', \(sequence), \(Double(milliseconds) / 1000), NULL, '\(fields[0])', '\(fields[1])', '\(fields[2])', '\(fields[3])', NULL, "
                              + "'\(fields[5])', NULL, '\(previous)', '\(algorithm)', '\(hash)');")
            previous = hash
        }
        statements.append("COMMIT;")
        let outcome = try ChildProcess.runSynchronously("/usr/bin/sqlite3", [database.path], input: Data(statements.joined(separator: "\n").utf8))
        #expect(outcome.exitCode == 0, "\(outcome.errorText)")
    }

    @Test("jigai audit：verify、purge、export、verify-export 的退出码和中文说明；清理受保存期限约束；导出文件离开数据库也能校验")
    func auditCommands() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jigai-audit-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = folder.appendingPathComponent("data")
        let environment = ["JIGAI_DATA": data.path]
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        #expect(try jigai(["migrate", "--yes"], environment: environment).status == 0)
        try insertEvents(data.appendingPathComponent("jigai.sqlite"), daysAgo: 400, algorithms: ["sha256", "sha256", "sm3", "sm3"])
        let verified = try jigai(["audit", "verify"], environment: environment)
        #expect(verified.status == 0, "\(verified.errors)")
        #expect(verified.output.contains("操作日志完整：共 4 条，哈希链校验通过"))

        let retention = try jigai(["audit", "verify"], environment: environment.merging(["JIGAI_AUDIT_RETENTION_DAYS": "90"]) { $1 })
        #expect(retention.status == 1)
        #expect(retention.errors.contains("JIGAI_AUDIT_RETENTION_DAYS=90 少于 180 天：网络安全法第二十一条要求网络日志留存不少于六个月"))

        let file = folder.appendingPathComponent("操作日志-上年.jsonl")
        let young = try jigai(["audit", "purge", "--before", beijingDay(daysAgo: 30), "--export", file.path], environment: environment)
        #expect(young.status == 1)
        #expect(young.errors.contains("拒绝清理") && young.errors.contains("网络安全法第二十一条") && young.errors.contains("未导出、未删除任何记录"))
        #expect(!FileManager.default.fileExists(atPath: file.path))
        let incomplete = try jigai(["audit", "purge", "--before", beijingDay(daysAgo: 200)], environment: environment)
        #expect(incomplete.status == 1)
        #expect(incomplete.errors.contains("请用 --before 指定日期、--export 指定导出文件"))
        let badDate = try jigai(["audit", "purge", "--before", "去年", "--export", file.path], environment: environment)
        #expect(badDate.status == 1)
        #expect(badDate.errors.contains("--before 的日期“去年”无效，应写作 2024-07-01"))

        let purged = try jigai(["audit", "purge", "--before", beijingDay(daysAgo: 200), "--export", file.path], environment: environment)
        #expect(purged.status == 0, "\(purged.errors)")
        #expect(purged.output.contains("之前的第 1–4 条共 4 条操作日志"))
        #expect(purged.output.contains("清理锚点：第 4 条"))
        let after = try jigai(["audit", "verify"], environment: environment)
        #expect(after.status == 0, "\(after.errors)")
        #expect(after.output.contains("操作日志完整：共 1 条，哈希链校验通过；第 4 条及以前的记录已于"))

        // The export is checked with no database: the data folder named does not even exist, and is not created.
        let nowhere = folder.appendingPathComponent("nowhere")
        let checked = try jigai(["audit", "verify-export", file.path], environment: ["JIGAI_DATA": nowhere.path, "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"])
        #expect(checked.status == 0, "\(checked.errors)")
        #expect(checked.output.contains("导出文件完整：第 1–4 条共 4 条操作日志（SHA-256、SM3），每条的哈希和链接都校验通过"))
        #expect(!FileManager.default.fileExists(atPath: nowhere.path))
        let lastHash = try #require(checked.output.split(separator: "\n").first { $0.hasPrefix("末条的哈希：") }?.dropFirst("末条的哈希：".count))

        let refused = try jigai(["audit", "export", "--to", file.path], environment: environment)
        #expect(refused.status == 1)
        #expect(refused.errors.contains("已存在"))
        let rest = folder.appendingPathComponent("操作日志-现存.jsonl")
        let exported = try jigai(["audit", "export", "--to", rest.path], environment: environment)
        #expect(exported.status == 0, "\(exported.errors)")
        #expect(exported.output.contains("已导出第 5–5 条共 1 条操作日志"))
        let restChecked = try jigai(["audit", "verify-export", rest.path])
        #expect(restChecked.status == 0, "\(restChecked.errors)")
        #expect(restChecked.output.contains("首条之前的哈希：\(lastHash)"))

        // One byte of an event changed: the line and the event are named.
        var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
        lines[1] = lines[1].replacingOccurrences(of: "第 1 次", with: "第 7 次")
        let tampered = folder.appendingPathComponent("改动.jsonl")
        try lines.joined(separator: "\n").write(to: tampered, atomically: true, encoding: .utf8)
        let detected = try jigai(["audit", "verify-export", tampered.path])
        #expect(detected.status == 1)
        #expect(detected.errors.contains("第 2 行（第 1 条记录）：内容与哈希不符，记录被改动"))
        #expect(try jigai(["audit", "verify-export"]).status == 2)
        #expect(try jigai(["audit", "verify-export", folder.appendingPathComponent("没有.jsonl").path]).errors.contains("无法读取导出文件"))
        let unknown = try jigai(["audit", "frobnicate"], environment: environment)
        #expect(unknown.status == 1)
        #expect(unknown.errors.contains("未知操作“frobnicate”"))

        // The anchor changed in the database: the first remaining event no longer links to it.
        let update = try ChildProcess.runSynchronously("/usr/bin/sqlite3", [data.appendingPathComponent("jigai.sqlite").path,
                                                                             "UPDATE audit_anchors SET hash = '\(String(repeating: "1", count: 64))'"])
        #expect(update.exitCode == 0)
        let broken = try jigai(["audit", "verify"], environment: environment)
        #expect(broken.status == 1)
        #expect(broken.errors.contains("第 5 条记录与上一条的链接不符"))
    }
}
