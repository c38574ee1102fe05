import Fluent
import Foundation
import PolicyKit
import Testing
import Vapor
import VaporTesting
@testable import App

/// A round's life: opened from its file (snapshotted), applied anew when the file changes, closed and reopened, and still
/// readable when its file is retired.
@Suite("申报批次：开启、应用政策文件、关闭、退役", .serialized)
struct RoundLifecycleTests {
    /// A working folder whose `Policies/` holds the 2023 round file, changed by `change`.
    static func folder(change: (inout [String: Any]) -> Void = { _ in }) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("jigai-rounds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("Policies"), withIntermediateDirectories: true)
        try rewrite(folder, change)
        return folder
    }

    static func rewrite(_ folder: URL, _ change: (inout [String: Any]) -> Void) throws {
        let original = try Data(contentsOf: URL(fileURLWithPath: PackageRoot.path + "Policies/shanxi-2023.json"))
        var object = try JSONSerialization.jsonObject(with: original) as! [String: Any]
        change(&object)
        try JSONSerialization.data(withJSONObject: object).write(to: folder.appendingPathComponent("Policies/shanxi-2023.json"))
    }

    /// What a restart does to the rounds: the files read anew, then the opened rounds served as they were opened.
    static func restart(_ app: Vapor.Application, _ folder: URL) async throws -> [String] {
        app.settings.rounds = try RoundCatalog.load(directory: folder.appendingPathComponent("Policies").path)
        return try await app.installRoundSnapshots()
    }

    @Test("管理员开启批次（可另定截止时间），写入操作日志；关闭须写原因，关闭后企业不能发起申报；重新开启；其他角色 403")
    func openCloseReopen() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withTestApp(workingDirectory: folder.path + "/") { app in
            var admin = try await app.staff(.admin, organisation: nil, login: "admin")
            let before = try await admin.get(app, "/admin/round")
            #expect(before.body.string.contains("未开启"))
            #expect(before.body.string.contains("文件中的截止时间") || before.body.string.contains("2023-11-10 23:59"))

            let badDate = try await admin.post(app, "/admin/round/open", ["round": "shanxi-2023", "deadline": "明年"])
            #expect(badDate.status == .unprocessableEntity)
            #expect(badDate.body.string.contains("请按 2024-11-08 23:59 的格式填写截止时间"))
            #expect(badDate.body.string.contains("value=\"明年\""))
            let unknown = try await admin.post(app, "/admin/round/open", ["round": "shanxi-2019"])
            #expect(unknown.status == .notFound)
            #expect(unknown.body.string.contains("政策文件目录中没有批次“shanxi-2019”"))
            #expect(try await RoundRecord.query(on: app.db).count() == 0)

            #expect(try await admin.post(app, "/admin/round/open", ["round": "shanxi-2023", "deadline": "2027-11-30T23:59"]).status == .seeOther)
            let record = try #require(try await RoundRecord.query(on: app.db).first())
            #expect(DateText.minute(record.deadline, timeZone: "Asia/Shanghai") == "2027-11-30 23:59")
            #expect(record.policy?.contains("晋工信投资字〔2023〕143号") == true)
            let opened = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == AuditLog.Action.roundOpened.rawValue).first())
            #expect(opened.actor == "admin（省厅管理员）" && opened.objectID == "shanxi-2023")
            #expect((try await admin.get(app, "/admin/round")).body.string.contains("政策文件与开启时一致"))

            var (enterprise, _) = try await app.demoEnterprise()
            _ = try await app.startApplication(&enterprise, direction: "rd-expense")

            let noReason = try await admin.post(app, "/admin/round/close", ["round": "shanxi-2023", "reason": " "])
            #expect(noReason.status == .unprocessableEntity)
            #expect(noReason.body.string.contains("请填写关闭原因"))
            #expect(try await RoundRecord.query(on: app.db).first()?.closedAt == nil)
            #expect(try await admin.post(app, "/admin/round/close", ["round": "shanxi-2023", "reason": "受理结束"]).status == .seeOther)
            #expect((try await admin.get(app, "/admin/round")).body.string.contains("已关闭"))
            let refused = try await enterprise.post(app, "/enterprise/applications", ["direction": "rd-expense"])
            #expect(refused.status != .seeOther)
            #expect(try await StoredApplication.query(on: app.db).count() == 1)

            #expect(try await admin.post(app, "/admin/round/open", ["round": "shanxi-2023"]).status == .seeOther)
            #expect(try await RoundRecord.query(on: app.db).first()?.closedAt == nil)
            #expect(try await AuditEvent.query(on: app.db).filter(\.$action ~~ [AuditLog.Action.roundClosed.rawValue, AuditLog.Action.roundReopened.rawValue]).count() == 2)
            _ = try await app.startApplication(&enterprise, direction: "rd-expense")

            var city = try await app.staff(.cityReviewer, organisation: "140100", login: "taiyuan")
            #expect(try await city.post(app, "/admin/round/close", ["round": "shanxi-2023", "reason": "x"]).status == .forbidden)
            #expect(try await enterprise.post(app, "/admin/round/open", ["round": "shanxi-2023"]).status == .forbidden)
            #expect(try await RoundRecord.query(on: app.db).first()?.closedAt == nil)
        }
    }

    @Test("政策文件改动后仍按开启时的版本办理，启动时说明差别和应用方法；应用后按新文件办理；文件退役后申报照常可读")
    func snapshotAndRetirement() async throws {
        let folder = try Self.folder { $0["deadline"] = "2027-11-10T23:59:59+08:00" }
        defer { try? FileManager.default.removeItem(at: folder) }
        try await withTestApp(workingDirectory: folder.path + "/") { app in
            _ = try await app.openRound("shanxi-2023")
            var (enterprise, _) = try await app.demoEnterprise()
            let applicationPath = try await app.startApplication(&enterprise, direction: "revenue-increase")
            #expect(try await Self.restart(app, folder).isEmpty)
            // A round opened before rounds were snapshotted keeps the file it is served by at the next start.
            let unsnapshotted = try #require(try await RoundRecord.query(on: app.db).first())
            unsnapshotted.policy = nil
            unsnapshotted.policyDigest = nil
            try await unsnapshotted.save(on: app.db)
            #expect(try await Self.restart(app, folder).isEmpty)
            #expect(try await RoundRecord.query(on: app.db).first()?.policy?.contains("晋工信投资字〔2023〕143号") == true)

            // Next morning the file has a lower threshold and a later deadline.
            try Self.rewrite(folder) { object in
                object["deadline"] = "2027-12-15T23:59:59+08:00"
                var programmes = object["programmes"] as! [[String: Any]]
                var directions = programmes[4]["directions"] as! [[String: Any]]
                var rules = directions[0]["rules"] as! [[String: Any]]
                rules[1]["threshold"] = "25000"
                directions[0]["rules"] = rules
                programmes[4]["directions"] = directions
                object["programmes"] = programmes
            }
            let notes = try await Self.restart(app, folder)
            #expect(notes.count == 1)
            #expect(notes.first?.contains("批次 shanxi-2023 的政策文件与开启时保存的版本不同（2 处变化") == true, "\(notes)")
            #expect(notes.first?.contains("运行 jigai round open shanxi-2023 应用文件") == true)
            let served = try #require(app.settings.rounds["shanxi-2023"])
            #expect(served.deadline != app.settings.rounds.files["shanxi-2023"]?.round.deadline)
            #expect(served.allDirections.first { $0.direction.id == "revenue-increase" }?.direction.rules[1].threshold == FixedDecimal(30000),
                    "开启时的门槛仍然有效")

            var admin = try await app.staff(.admin, organisation: nil, login: "admin")
            let page = try await admin.get(app, "/admin/round")
            #expect(page.body.string.contains("政策文件已改动（2 处），尚未应用"))
            #expect(page.body.string.contains("2022年营收增量门槛：3 亿元 → 2.5 亿元"))
            #expect(try await admin.post(app, "/admin/round/open", ["round": "shanxi-2023"]).status == .seeOther)
            let applied = try #require(app.settings.rounds["shanxi-2023"])
            #expect(applied.allDirections.first { $0.direction.id == "revenue-increase" }?.direction.rules[1].threshold == FixedDecimal(25000))
            let record = try #require(try await RoundRecord.query(on: app.db).first())
            #expect(DateText.minute(record.deadline, timeZone: "Asia/Shanghai") == "2027-12-15 23:59", "文件改了截止时间，应用时随之改变")
            let event = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == AuditLog.Action.roundApplied.rawValue).first())
            #expect(event.after?.contains("2 处变化") == true)
            #expect(try await Self.restart(app, folder).isEmpty)

            // The round file is retired: the round works from what was kept.
            try FileManager.default.removeItem(at: folder.appendingPathComponent("Policies/shanxi-2023.json"))
            app.settings.rounds = try RoundCatalog.load(directory: folder.appendingPathComponent("Policies").path)
            #expect(app.settings.rounds["shanxi-2023"] == nil)
            #expect(try await app.installRoundSnapshots().isEmpty)
            #expect(app.settings.rounds["shanxi-2023"]?.noticeNumber == "晋工信投资字〔2023〕143号")
            let kept = try await enterprise.get(app, applicationPath)
            #expect(kept.status == .ok)
            #expect(kept.body.string.contains("营收增量奖励"))
            #expect((try await admin.get(app, "/admin/round")).body.string.contains("政策文件已不在目录中，按开启时保存的版本办理"))
        }
    }
}
