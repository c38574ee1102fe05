import Fluent
import Foundation
import PolicyKit
import Testing
import Vapor
import VaporTesting
@testable import App

@Suite("市级审核：属地范围、退回修改、现场核查、审核通过、不予推荐", .serialized)
struct ReviewTests {
    @Test("审核单位只看到属地内已提交的申报；草稿不可见")
    func scopedList() async throws {
        try await withTestApp { app in
            let (_, taiyuan) = try await app.submittedApplication(enterprise: 0)
            var (datong, _) = try await app.demoEnterprise(1)
            _ = try await app.startApplication(&datong, direction: "consumer-increase")
            var taiyuanReviewer = try await app.staff(.cityReviewer, organisation: "140100", login: "taiyuan")
            var datongReviewer = try await app.staff(.cityReviewer, organisation: "140200", login: "datong")
            let id = String(taiyuan.split(separator: "/").last!)
            let list = try await taiyuanReviewer.get(app, "/review")
            #expect(list.status == .ok)
            #expect(list.body.string.contains(id))
            #expect(list.body.string.contains("共 1 条"))
            let other = try await datongReviewer.get(app, "/review")
            #expect(other.body.string.contains("共 0 条"))
            #expect(try await datongReviewer.get(app, "/review/applications/\(id)").status == .notFound)
            let filtered = try await taiyuanReviewer.get(app, "/review?keyword=%E5%A4%AA%E5%8E%9F&status=submitted")
            #expect(filtered.body.string.contains(id))
            let none = try await taiyuanReviewer.get(app, "/review?status=cityApproved")
            #expect(none.body.string.contains("共 0 条"))
            // A city filters among its own counties, and has no 审核单位 filter; the admin has both.
            #expect(list.body.string.contains("太原市 小店区"))
            #expect(!list.body.string.contains("大同市 平城区"))
            #expect(!list.body.string.contains("name=\"authority\""))
            var admin = try await app.staff(.admin, organisation: nil, login: "admin")
            let all = try await admin.get(app, "/review")
            #expect(all.body.string.contains("大同市 平城区") && all.body.string.contains("name=\"authority\""))
        }
    }

    @Test("退回修改：须写意见；企业可修改后重新提交，回到同一审核单位")
    func returnAndResubmit() async throws {
        try await withTestApp { app in
            var (enterprise, location) = try await app.submittedApplication()
            let id = String(location.split(separator: "/").last!)
            var reviewer = try await app.staff(.cityReviewer, organisation: "140100", login: "taiyuan")
            let empty = try await reviewer.post(app, "/review/applications/\(id)/return", ["comment": "  "])
            #expect(empty.status == .unprocessableEntity)
            #expect(empty.body.string.contains("请写明需要修改的内容"))
            #expect(try await reviewer.post(app, "/review/applications/\(id)/return", ["comment": "请补充研发费用专项鉴证报告的盖章页"]).status == .seeOther)
            let page = try await enterprise.get(app, location)
            #expect(page.body.string.contains("退回修改"))
            #expect(page.body.string.contains("请补充研发费用专项鉴证报告的盖章页"))
            #expect(page.body.string.contains("审核单位退回修改（taiyuan，"))
            #expect(page.body.string.contains("保存草稿"))
            #expect(try await enterprise.post(app, location + "/submit", [:]).status == .seeOther)
            let stored = try #require(try await StoredApplication.find(UUID(uuidString: id), on: app.db))
            #expect(stored.status == .submitted)
            #expect(stored.authority == "140100")
            let events = try await ApplicationEvent.query(on: app.db).filter(\.$application.$id == stored.requireID()).sort(\.$createdAt).all()
            #expect(events.map(\.toStatus) == [.draft, .submitted, .returned, .submitted])
            #expect(events.last?.comment == "修改后重新提交")
        }
    }

    @Test("审核通过须先记录现场核查且结论为“是”；描述不超过 200 字；不予推荐须写理由")
    func inspectionAndDecisions() async throws {
        try await withTestApp { app in
            let (_, location) = try await app.submittedApplication()
            let id = String(location.split(separator: "/").last!)
            var reviewer = try await app.staff(.cityReviewer, organisation: "140100", login: "taiyuan")
            let early = try await reviewer.post(app, "/review/applications/\(id)/approve", [:])
            #expect(early.status == .unprocessableEntity)
            #expect(early.body.string.contains("审核通过前须记录现场核查"))
            let long = try await reviewer.post(app, "/review/applications/\(id)/inspection", [
                "compliant": "true", "description": String(repeating: "核", count: 201), "leader": "张局长", "inspectedOn": "2023-10-20"])
            #expect(long.status == .unprocessableEntity)
            #expect(long.body.string.contains("情况描述不能超过 200 字，现为 201 字"))
            #expect(long.body.string.contains("value=\"张局长\""))
            #expect(try await reviewer.post(app, "/review/applications/\(id)/inspection", [
                "compliant": "false", "description": "现场未见相关设备", "leader": "张局长", "members": "李工、王工", "inspectedOn": "2023-10-20"]).status == .seeOther)
            let refused = try await reviewer.post(app, "/review/applications/\(id)/approve", [:])
            #expect(refused.body.string.contains("现场核查结论为“否”，不能审核通过"))
            #expect(try await reviewer.post(app, "/review/applications/\(id)/inspection", [
                "compliant": "true", "description": "资料与现场一致", "leader": "张局长", "inspectedOn": "2023-10-21"]).status == .seeOther)
            #expect(try await reviewer.post(app, "/review/applications/\(id)/approve", ["comment": "同意推荐"]).status == .seeOther)
            let stored = try #require(try await StoredApplication.find(UUID(uuidString: id), on: app.db))
            #expect(stored.status == .cityApproved)
            let again = try await reviewer.post(app, "/review/applications/\(id)/decline", ["comment": "理由"])
            #expect(again.status == .unprocessableEntity)

            let (_, second) = try await app.submittedApplication(enterprise: 0, direction: "revenue-increase", example: "revenue-increase.eligible.json")
            let secondID = String(second.split(separator: "/").last!)
            let noReason = try await reviewer.post(app, "/review/applications/\(secondID)/decline", [:])
            #expect(noReason.body.string.contains("请写明不予推荐的理由"))
            #expect(try await reviewer.post(app, "/review/applications/\(secondID)/decline", ["comment": "营收数据与审计报告不一致"]).status == .seeOther)
            #expect(try await StoredApplication.find(UUID(uuidString: secondID), on: app.db)?.status == .cityDeclined)
        }
    }

    @Test("企业不能进入审核页面；其他审核单位不能操作；审核员可下载属地申报的附件")
    func refusals() async throws {
        try await withTestApp { app in
            var (enterprise, location) = try await app.submittedApplication()
            let id = String(location.split(separator: "/").last!)
            #expect(try await enterprise.get(app, "/review").status == .forbidden)
            #expect(try await enterprise.post(app, "/review/applications/\(id)/approve", [:]).status == .forbidden)
            var datong = try await app.staff(.cityReviewer, organisation: "140200", login: "datong")
            for action in ["return", "inspection", "approve", "decline"] {
                #expect(try await datong.post(app, "/review/applications/\(id)/\(action)", ["comment": "x"]).status == .notFound, "\(action)")
            }
            var division = try await app.staff(.divisionReviewer, organisation: "innovation", login: "innovation")
            #expect(try await division.get(app, "/review/applications/\(id)").status == .notFound)
            #expect(try await division.post(app, "/review/applications/\(id)/approve", [:]).status == .forbidden)
            var taiyuan = try await app.staff(.cityReviewer, organisation: "140100", login: "taiyuan")
            let file = try #require(try await StoredAttachment.query(on: app.db).first())
            let download = try await taiyuan.get(app, "/review/applications/\(id)/attachments/\(try file.requireID())")
            #expect(download.status == .ok)
            #expect(try await datong.get(app, "/review/applications/\(id)/attachments/\(try file.requireID())").status == .notFound)
        }
    }
}
