import Fluent
import Foundation
import PolicyKit
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import App

@Suite("操作日志：只追加、哈希链、jigai audit verify", .serialized)
struct AuditTests {
    @Test("登录成功与失败、状态变更、拒绝访问都留痕；链校验通过；改动一条即被发现")
    func chain() async throws {
        try await withTestApp { app in
            var (browser, _) = try await app.demoEnterprise()
            var stranger = Browser()
            try await stranger.post(app, "/login", ["login": DemoCommand.enterprises[0].creditCode, "password": "wrong-password"])
            let location = try await app.startApplication(&browser, direction: "rd-expense")
            try await DemoCommand.ensure(DemoCommand.enterprises[1], passwordHash: try await app.password.async.hash(DemoCommand.password), on: app.db)
            var other = Browser()
            try await other.post(app, "/login", ["login": DemoCommand.enterprises[1].creditCode, "password": DemoCommand.password])
            #expect(try await other.get(app, location).status == .notFound)

            let events = try await AuditEvent.query(on: app.db).sort(\.$sequence).all()
            let actions = events.map(\.action)
            #expect(actions.contains(AuditLog.Action.signIn.rawValue))
            #expect(actions.contains(AuditLog.Action.signInFailed.rawValue))
            #expect(actions.contains(AuditLog.Action.applicationCreated.rawValue))
            #expect(actions.contains(AuditLog.Action.accessRefused.rawValue))
            #expect(events.map(\.sequence) == Array(1...events.count))
            let verified = try await app.audit.verify()
            #expect(verified.events == events.count)
            #expect(verified.firstBroken == nil)

            let tampered = try #require(events.dropFirst().first)
            tampered.actor = "篡改者"
            try await tampered.save(on: app.db)
            let broken = try await app.audit.verify()
            #expect(broken.firstBroken?.sequence == tampered.sequence)
            #expect(broken.firstBroken?.reason.contains("内容被改动") == true)
        }
    }

    @Test("删除中间一条也被发现")
    func deletion() async throws {
        try await withTestApp { app in
            for index in 0..<5 {
                try await app.audit.record(.export, actor: nil, actorLabel: "测试", objectType: "汇总表", objectID: "\(index)", address: nil)
            }
            try await AuditEvent.query(on: app.db).filter(\.$sequence == 3).delete()
            let result = try await app.audit.verify()
            #expect(result.firstBroken?.reason == "第 3 条记录缺失")
        }
    }

    @Test("jigai audit verify 在链完整时成功、被改动时失败")
    func command() async throws {
        try await withTestApp(environment: Environment(name: "testing", arguments: ["jigai", "audit", "verify"])) { app in
            try await app.audit.record(.export, actor: nil, actorLabel: "测试", objectType: "汇总表", objectID: "1", address: nil)
            try await app.execute()
            let event = try #require(try await AuditEvent.query(on: app.db).first())
            event.after = "改动"
            try await event.save(on: app.db)
            let refused = await #expect(throws: CommandRefused.self) { try await app.execute() }
            #expect(refused?.message == "操作日志校验失败：第 1 条记录的内容被改动（已检查 1 条）")
        }
    }
}
