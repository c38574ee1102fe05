import Cryptography
import Fluent
import Foundation
import PolicyKit
import Testing
import Vapor
import VaporTesting
@testable import App

@Suite("操作日志：国密 SM3、保存期限、清理与锚点、带链证明的导出", .serialized)
struct AuditArchiveTests {
    static let day: TimeInterval = 86_400

    /// `count` events dated `daysAgo` days back, hashed as the settings say.
    func record(_ app: Vapor.Application, _ count: Int, daysAgo: Double = 0) async throws {
        let at = Date().addingTimeInterval(-daysAgo * Self.day)
        let log = AuditLog(database: app.db, cryptography: app.settings.cryptography, clock: { at })
        for index in 0..<count {
            try await log.record(.export, actor: nil, actorLabel: "测试", objectType: "汇总表", objectID: "\(Int(daysAgo))-\(index)", address: nil)
        }
    }

    func events(_ app: Vapor.Application) async throws -> [AuditEvent] {
        try await AuditEvent.query(on: app.db).sort(\.$sequence).all()
    }

    /// The day `daysAgo` days back, as the command line takes it.
    func dayText(daysAgo: Double) -> String {
        DateText.day(Date().addingTimeInterval(-daysAgo * Self.day), timeZone: AuditController.timeZone)
    }

    func archive(_ app: Vapor.Application) -> AuditArchive {
        AuditArchive(log: app.audit, retention: app.settings.auditRetention)
    }

    func purge(_ app: Vapor.Application, daysAgo: Double, to file: URL) async throws -> (AuditArchive.Exported, AuditAnchor)? {
        let text = dayText(daysAgo: daysAgo)
        return try await archive(app).purge(before: try #require(AuditController.day(text)), day: text, exportTo: file, actor: "测试")
    }

    func withFolder(_ body: (URL) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jigai-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try await body(folder)
    }

    @Test("JIGAI_GUOMI=1：新记录用 SM3（经加密服务提供者计算，十六进制小写）写入并校验")
    func sm3Chain() async throws {
        try await withTestApp { app in
            app.settings.cryptography.guomi = true
            try await record(app, 3)
            let events = try await events(app)
            #expect(events.map(\.digestAlgorithm) == ["sm3", "sm3", "sm3"])
            let first = try #require(events.first)
            let provider = try OpenSSLProvider()
            #expect(first.hash == AuditEvent.hex(provider.digest(Data(first.canonical.utf8), algorithm: .sm3)))
            #expect(first.hash != AuditEvent.hex(provider.digest(Data(first.canonical.utf8), algorithm: .sha256)))
            #expect(first.hash.allSatisfy { "0123456789abcdef".contains($0) } && first.hash.count == 64)
            let verified = try await app.audit.verify()
            #expect(verified.firstBroken == nil && verified.events == 3)
        }
    }

    @Test("中途改用 SM3 的链校验通过；改动一条记录的算法即被发现")
    func mixedAlgorithms() async throws {
        try await withTestApp { app in
            try await record(app, 2)
            app.settings.cryptography.guomi = true
            try await record(app, 2)
            let events = try await events(app)
            #expect(events.map(\.digestAlgorithm) == ["sha256", "sha256", "sm3", "sm3"])
            #expect(events[2].previousHash == events[1].hash)
            #expect(try await app.audit.verify().firstBroken == nil)

            events[1].digestAlgorithm = "sm3"
            try await events[1].save(on: app.db)
            let switched = try await app.audit.verify()
            #expect(switched.firstBroken?.sequence == 2)
            #expect(switched.firstBroken?.reason == "第 2 条记录的内容被改动")

            events[1].digestAlgorithm = "md5"
            try await events[1].save(on: app.db)
            #expect(try await app.audit.verify().firstBroken?.reason == "第 2 条记录的摘要算法“md5”无法识别")
        }
    }

    @Test("保存期限：默认 180 天，少于 180 天拒绝启动并引用网络安全法第二十一条；清理另须满六个月")
    func retention() throws {
        #expect(try AuditRetention.parse(nil).days == 180)
        #expect(try AuditRetention.parse("365").days == 365)
        #expect(throws: CommandRefused.self) { try AuditRetention.parse("三十") }
        do {
            _ = try AuditRetention.parse("30")
            Issue.record("30 天应被拒绝")
        } catch let refused as CommandRefused {
            #expect(refused.message.contains("网络安全法第二十一条"))
            #expect(refused.message.contains("少于 180 天"))
        }
        // 2025-08-31 back 180 days is 03-04, back six months 02-28: the earlier one bounds the purge.
        let now = try #require(AuditController.day("2025-08-31"))
        #expect(AuditRetention(days: 180).limit(now: now) == AuditController.day("2025-02-28"))
        #expect(AuditRetention(days: 365).limit(now: now) == AuditController.day("2024-08-31"))
    }

    @Test("清理早于保存期限的日期被拒绝，不导出、不删除")
    func purgeTooYoung() async throws {
        try await withTestApp { app in
            try await record(app, 3, daysAgo: 100)
            try await withFolder { folder in
                let file = folder.appendingPathComponent("导出.jsonl")
                do {
                    _ = try await purge(app, daysAgo: 90, to: file)
                    Issue.record("90 天前的日期应被拒绝")
                } catch let refused as CommandRefused {
                    #expect(refused.message.contains("拒绝清理"))
                    #expect(refused.message.contains("网络安全法第二十一条"))
                }
                #expect(!FileManager.default.fileExists(atPath: file.path))
                #expect(try await events(app).count == 3)
                #expect(try await AuditAnchor.query(on: app.db).count() == 0)
            }
        }
    }

    @Test("清理旧记录：先导出、再删除并记下锚点和一条清理记录；此后校验从锚点接续，改动仍被发现")
    func purge() async throws {
        try await withTestApp { app in
            try await record(app, 3, daysAgo: 400)
            app.settings.cryptography.guomi = true
            try await record(app, 2, daysAgo: 300)
            try await record(app, 2)
            let before = try await events(app)
            try await withFolder { folder in
                // An existing file is refused before anything is deleted.
                let existing = folder.appendingPathComponent("existing.jsonl")
                try Data("以前的导出".utf8).write(to: existing)
                await #expect(throws: CommandRefused.self) { _ = try await self.purge(app, daysAgo: 200, to: existing) }
                #expect(try await events(app).count == 7)
                #expect(try Data(contentsOf: existing) == Data("以前的导出".utf8))

                let file = folder.appendingPathComponent("2024.jsonl")
                let (exported, anchor) = try #require(try await purge(app, daysAgo: 200, to: file))
                #expect(exported.range == 1...5)
                #expect(anchor.purgedThrough == 5 && anchor.purged == 5)
                #expect(anchor.hash == before[4].hash)
                #expect(anchor.exportAlgorithm == "sm3")
                #expect(anchor.exportFile == file.path)

                let remaining = try await events(app)
                #expect(remaining.map(\.sequence) == [6, 7, 8])
                #expect(remaining[0].previousHash == anchor.hash)
                let purgedEvent = remaining[2]
                #expect(purgedEvent.action == AuditLog.Action.auditPurged.rawValue)
                #expect(purgedEvent.after?.contains("第 1–5 条共 5 条") == true)
                #expect(purgedEvent.after?.contains(anchor.exportDigest) == true)

                let verified = try await app.audit.verify()
                #expect(verified.firstBroken == nil && verified.events == 3)
                #expect(verified.purgeNote?.contains("第 5 条及以前的记录") == true)

                // The export of the purged range holds and ends where the anchor begins.
                let check = try AuditExportFile.check(file, provider: app.settings.cryptography.provider)
                #expect(check.problems.isEmpty, "\(check.problems)")
                #expect(check.events == 5)
                #expect(check.header?.previousHash == AuditEvent.genesis)
                #expect(check.header?.algorithms == ["sha256", "sm3"])
                #expect(check.lastSequence == anchor.purgedThrough && check.lastHash == anchor.hash)
                #expect(check.digests[.sm3] == anchor.exportDigest)

                // Nothing is left before that day.
                let again = folder.appendingPathComponent("again.jsonl")
                #expect(try await purge(app, daysAgo: 200, to: again) == nil)
                #expect(!FileManager.default.fileExists(atPath: again.path))

                // Tampering after the purge: the anchor's hash, the first remaining event, its content.
                anchor.hash = String(repeating: "1", count: 64)
                try await anchor.save(on: app.db)
                #expect(try await app.audit.verify().firstBroken?.reason == "第 6 条记录与上一条的链接不符")
                anchor.hash = exported.lastHash
                try await anchor.save(on: app.db)
                remaining[1].actor = "篡改者"
                try await remaining[1].save(on: app.db)
                #expect(try await app.audit.verify().firstBroken?.reason == "第 7 条记录的内容被改动")
                try await AuditEvent.query(on: app.db).filter(\.$sequence == 6).delete()
                #expect(try await app.audit.verify().firstBroken?.reason == "第 6 条记录缺失")
            }
        }
    }

    @Test("全部记录都被清理后，新记录接在锚点之后；第二次清理的导出接在第一个锚点上")
    func purgeEverything() async throws {
        try await withTestApp { app in
            try await record(app, 2, daysAgo: 500)
            try await withFolder { folder in
                let (_, first) = try #require(try await purge(app, daysAgo: 200, to: folder.appendingPathComponent("1.jsonl")))
                let purgedEvent = try #require(try await events(app).first)
                #expect(purgedEvent.sequence == 3 && purgedEvent.previousHash == first.hash)
                #expect(try await app.audit.verify().firstBroken == nil)

                // The purge event itself is old by the second purge (written through a clock a year ahead).
                let later = Date().addingTimeInterval(400 * Self.day)
                let log = AuditLog(database: app.db, cryptography: app.settings.cryptography, clock: { later })
                try await log.record(.export, actor: nil, actorLabel: "测试", objectType: "汇总表", objectID: nil, address: nil)
                let text = DateText.day(later.addingTimeInterval(-200 * Self.day), timeZone: AuditController.timeZone)
                let file = folder.appendingPathComponent("2.jsonl")
                let secondBefore = try #require(AuditController.day(text))
                let (exported, second) = try #require(try await AuditArchive(log: log, retention: app.settings.auditRetention)
                    .purge(before: secondBefore, day: text, exportTo: file, actor: "测试"))
                #expect(exported.range == 3...3)
                #expect(second.purgedThrough == 3)
                let check = try AuditExportFile.check(file, provider: app.settings.cryptography.provider)
                #expect(check.problems.isEmpty && check.header?.firstSequence == 3 && check.header?.previousHash == first.hash)
                let verified = try await app.audit.verify()
                #expect(verified.firstBroken == nil && verified.events == 2 && verified.anchor?.purgedThrough == 3)
            }
        }
    }

    @Test("操作日志被改动时拒绝清理")
    func purgeBrokenChain() async throws {
        try await withTestApp { app in
            try await record(app, 3, daysAgo: 400)
            let event = try #require(try await events(app).last)
            event.after = "改动"
            try await event.save(on: app.db)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("jigai-audit-\(UUID().uuidString).jsonl")
            await #expect(throws: CommandRefused.self) { _ = try await self.purge(app, daysAgo: 200, to: file) }
            #expect(!FileManager.default.fileExists(atPath: file.path))
            #expect(try await events(app).count == 3)
        }
    }

    @Test("导出按日期取连续的一段并能独立校验；改动一个字节、删除一行、截断都被发现并指出行号")
    func exportRoundTrip() async throws {
        try await withTestApp { app in
            try await record(app, 2, daysAgo: 30)
            try await record(app, 3, daysAgo: 10)
            try await record(app, 1)
            try await withFolder { folder in
                let archive = archive(app)
                let range = try #require(try await archive.range(from: AuditController.day(dayText(daysAgo: 20)), before: AuditController.day(dayText(daysAgo: 5))))
                #expect(range == 3...5)
                let file = folder.appendingPathComponent("导出.jsonl")
                let exported = try await archive.export(range, to: file, from: dayText(daysAgo: 20), before: dayText(daysAgo: 5))
                let all = try await events(app)
                #expect(exported.lastHash == all[4].hash)
                let verified = try AuditExportFile.verify(path: file.path)
                #expect(verified.first == "导出文件完整：第 3–5 条共 3 条操作日志（SHA-256），每条的哈希和链接都校验通过")
                #expect(verified.contains("首条之前的哈希：\(all[1].hash)"))
                #expect(verified.last?.contains("SHA-256 \(exported.digest)") == true)
                let permissions = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
                #expect(permissions == 0o600)

                let text = try String(contentsOf: file, encoding: .utf8)
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                #expect(lines.count == 6 && lines[5].isEmpty)
                #expect(lines[0].contains("\"type\":\"header\"") && lines[4].contains("\"type\":\"trailer\""))
                #expect(lines[2].contains("\"before\":null"))

                func problems(_ lines: [String]) throws -> [String] {
                    let changed = folder.appendingPathComponent("\(UUID().uuidString).jsonl")
                    try lines.joined(separator: "\n").write(to: changed, atomically: true, encoding: .utf8)
                    return try AuditExportFile.check(changed, provider: app.settings.cryptography.provider).problems
                }
                // One byte: the event's object id 10-1 becomes 10-2.
                var edited = lines
                edited[2] = edited[2].replacingOccurrences(of: "\"10-1\"", with: "\"10-2\"")
                #expect(edited[2] != lines[2])
                #expect(try problems(edited) == ["第 3 行（第 4 条记录）：内容与哈希不符，记录被改动"])
                var removed = lines
                removed.remove(at: 2)
                let gap = try problems(removed)
                #expect(gap.contains("第 3 行（第 5 条记录）：应为第 4 条，记录缺失或顺序不符"))
                #expect(gap.contains("第 3 行（第 5 条记录）：与上一条的链接不符"))
                #expect(gap.contains("第 4 行：文件尾记有 3 条记录，文件中实有 2 条"))
                #expect(try problems(Array(lines.prefix(3))) == ["缺少文件尾：文件不完整，可能被截断"])
                #expect(try problems(["{}"] + lines.dropFirst()).first?.contains("第 1 行") == true)

                // The command line's refusal names the line.
                let broken = folder.appendingPathComponent("改动.jsonl")
                try edited.joined(separator: "\n").write(to: broken, atomically: true, encoding: .utf8)
                do {
                    _ = try AuditExportFile.verify(path: broken.path)
                    Issue.record("改动过的导出文件应校验失败")
                } catch let refused as CommandRefused {
                    #expect(refused.message.contains("校验未通过"))
                    #expect(refused.message.contains("第 3 行（第 4 条记录）：内容与哈希不符"))
                }
            }
        }
    }

    @Test("jigai audit export、purge 在进程内运行：导出写入日志；清理拒绝过近的日期")
    func commands() async throws {
        try await withFolder { folder in
            let file = folder.appendingPathComponent("全部.jsonl").path
            try await withTestApp(environment: Environment(name: "testing", arguments: ["jigai", "audit", "export", "--to", file])) { app in
                try await record(app, 2)
                try await app.execute()
                #expect(try AuditExportFile.verify(path: file).first?.contains("第 1–2 条共 2 条") == true)
                let recorded = try #require(try await events(app).last)
                #expect(recorded.action == AuditLog.Action.export.rawValue && recorded.objectType == "操作日志" && recorded.actor == "命令行")
                await #expect(throws: CommandRefused.self) { try await app.execute() }
            }
            let today = DateText.day(Date(), timeZone: AuditController.timeZone)
            try await withTestApp(environment: Environment(name: "testing", arguments: ["jigai", "audit", "purge", "--before", today, "--export", folder.appendingPathComponent("p.jsonl").path])) { app in
                try await record(app, 1)
                await #expect(throws: CommandRefused.self) { try await app.execute() }
                #expect(try await events(app).count == 1)
            }
        }
    }

    @Test("清理之后，管理员的操作日志页面仍校验哈希链并说明从锚点接续")
    func pageAfterPurge() async throws {
        try await withTestApp { app in
            try await record(app, 3, daysAgo: 400)
            try await withFolder { folder in
                _ = try #require(try await purge(app, daysAgo: 200, to: folder.appendingPathComponent("a.jsonl")))
                var admin = try await app.staff(.admin, organisation: nil, login: "admin")
                let page = try await admin.get(app, "/admin/audit")
                // The purge and the admin's sign-in remain.
                #expect(page.body.string.contains("哈希链校验通过：现存 2 条记录完整、未被改动。第 3 条及以前的记录已于"))
                #expect(page.body.string.contains("<td>清理操作日志</td>"))
                let purged = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == AuditLog.Action.auditPurged.rawValue).first())
                purged.after = "改动"
                try await purged.save(on: app.db)
                #expect(try await admin.get(app, "/admin/audit").body.string.contains("哈希链校验未通过"))
            }
        }
    }
}
