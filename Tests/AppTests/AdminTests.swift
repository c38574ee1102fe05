import Fluent
import Foundation
import PolicyKit
import Testing
import Vapor
import VaporTesting
@testable import App

@Suite("管理员：延长截止时间", .serialized)
struct AdminTests {
    @Test("只能延后、须写原因；首页随之更新；写入操作日志；其他角色 403")
    func extendDeadline() async throws {
        try await withTestApp { app in
            _ = try await app.openRound("shanxi-2023-demo")
            var admin = try await app.staff(.admin, organisation: nil, login: "admin")
            let page = try await admin.get(app, "/admin/round")
            #expect(page.body.string.contains("2027-11-10 23:59"))
            let earlier = try await admin.post(app, "/admin/round/deadline", ["deadline": "2027-10-01T23:59", "reason": "提前"])
            #expect(earlier.status == .unprocessableEntity)
            #expect(earlier.body.string.contains("新的截止时间须晚于当前截止时间 2027-11-10 23:59"))
            let noReason = try await admin.post(app, "/admin/round/deadline", ["deadline": "2027-12-31T23:59"])
            #expect(noReason.body.string.contains("请填写延期原因"))
            #expect(noReason.body.string.contains("value=\"2027-12-31T23:59\""))
            let badFormat = try await admin.post(app, "/admin/round/deadline", ["deadline": "下个月", "reason": "系统故障"])
            #expect(badFormat.body.string.contains("请按 2027-12-31 23:59 的格式填写"))
            #expect(try await admin.post(app, "/admin/round/deadline", ["deadline": "2027-12-31T23:59", "reason": "多地企业反映审计报告出具延迟"]).status == .seeOther)
            try await app.testing().test(.GET, "/") { response in
                #expect(response.body.string.contains("2027-12-31 23:59"))
            }
            let event = try #require(try await AuditEvent.query(on: app.db).filter(\.$action == AuditLog.Action.deadlineExtended.rawValue).first())
            #expect(event.before == "2027-11-10 23:59")
            #expect(event.after?.contains("多地企业反映审计报告出具延迟") == true)
            var city = try await app.staff(.cityReviewer, organisation: "140100", login: "taiyuan")
            #expect(try await city.post(app, "/admin/round/deadline", ["deadline": "2028-01-31T23:59", "reason": "x"]).status == .forbidden)
            var (enterprise, _) = try await app.demoEnterprise()
            #expect(try await enterprise.get(app, "/admin/round").status == .forbidden)
        }
    }
}
