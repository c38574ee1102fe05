import Fluent
import Foundation
import PolicyKit
import Testing
import Vapor
import VaporTesting
@testable import App

@Suite("报送省厅与处室审核：全流程", .serialized)
struct ForwardingTests {
    @Test("企业提交 → 市里退回 → 企业修改重交 → 现场核查、通过 → 汇总批次报送（汇总表可导出）→ 处室拟奖励")
    func wholeCycle() async throws {
        try await withTestApp { app in
            var (enterprise, location) = try await app.submittedApplication()
            let id = String(location.split(separator: "/").last!)
            var city = try await app.staff(.cityReviewer, organisation: "140100", login: "taiyuan")
            #expect(try await city.post(app, "/review/applications/\(id)/return", ["comment": "请补充盖章页"]).status == .seeOther)
            #expect(try await enterprise.post(app, location + "/submit", [:]).status == .seeOther)
            #expect(try await city.post(app, "/review/applications/\(id)/inspection", [
                "compliant": "true", "description": "资料与现场一致", "leader": "张局长", "inspectedOn": "2023-10-21"]).status == .seeOther)
            #expect(try await city.post(app, "/review/applications/\(id)/approve", [:]).status == .seeOther)

            let candidates = try await city.get(app, "/review/forwarding")
            #expect(candidates.body.string.contains("name=\"application.\(id)\""))
            let noOpinion = try await city.post(app, "/review/forwarding", ["application.\(id)": "on"])
            #expect(noOpinion.status == .unprocessableEntity)
            #expect(noOpinion.body.string.contains("请填写审核意见"))
            let forwarded = try await city.post(app, "/review/forwarding", ["application.\(id)": "on", "opinion": "经资料审核和现场核查，同意推荐。"])
            #expect(forwarded.status == .seeOther)
            let batchPath = try #require(forwarded.headers.first(name: .location))
            let batch = try await city.get(app, batchPath)
            #expect(batch.body.string.contains("经资料审核和现场核查，同意推荐。"))
            #expect(batch.body.string.contains("太原示例钢铁有限公司"))
            let xlsx = try await city.get(app, batchPath + "/summary.xlsx")
            #expect(xlsx.status == .ok)
            #expect(Data(buffer: xlsx.body).starts(with: [0x50, 0x4B]))
            let pdf = try await city.get(app, batchPath + "/summary.pdf")
            #expect(Data(buffer: pdf.body).starts(with: Array("%PDF-".utf8)))
            #expect(try await city.post(app, "/review/applications/\(id)/return", ["comment": "再改"]).status == .unprocessableEntity)

            var datong = try await app.staff(.cityReviewer, organisation: "140200", login: "datong")
            #expect(try await datong.get(app, batchPath).status == .notFound)
            #expect(try await datong.get(app, batchPath + "/summary.xlsx").status == .notFound)

            // 研发费用奖励 goes to 创新处 (附件4 第5行).
            var wrongDivision = try await app.staff(.divisionReviewer, organisation: "raw-materials", login: "yuancailiao")
            #expect(try await wrongDivision.get(app, "/review/applications/\(id)").status == .notFound)
            #expect(try await wrongDivision.get(app, batchPath).status == .notFound, "没有分派给本处室的申报的批次不可见")
            var division = try await app.staff(.divisionReviewer, organisation: "innovation", login: "chuangxin")
            // The division sees the city's 审核意见 and the batch (its own rows) and the 情况表 the city phoned from.
            let detail = try await division.get(app, "/review/applications/\(id)").body.string
            #expect(detail.contains("经资料审核和现场核查，同意推荐。") && detail.contains("href=\"\(batchPath)\""))
            #expect(detail.contains("<h2>情况表</h2>") && detail.contains("13934561234"))
            let divisionBatch = try await division.get(app, batchPath)
            #expect(divisionBatch.status == .ok && divisionBatch.body.string.contains("太原示例钢铁有限公司"))
            #expect(try await division.get(app, batchPath + "/summary.xlsx").status == .ok)
            let queue = try await division.get(app, "/review")
            #expect(queue.body.string.contains(id))
            let noChoice = try await division.post(app, "/review/applications/\(id)/division", ["opinion": "符合"])
            #expect(noChoice.status == .unprocessableEntity)
            #expect(try await division.post(app, "/review/applications/\(id)/division", ["decision": "proposedReward", "opinion": "符合研发费用奖励条件"]).status == .seeOther)
            let stored = try #require(try await StoredApplication.find(UUID(uuidString: id), on: app.db))
            #expect(stored.status == .proposedReward)
            let timeline = try await ApplicationEvent.query(on: app.db).filter(\.$application.$id == stored.requireID()).sort(\.$createdAt).all()
            #expect(timeline.map(\.toStatus) == [.draft, .submitted, .returned, .submitted, .cityReviewing, .cityApproved, .forwarded, .proposedReward])
            let mine = try await enterprise.get(app, location)
            #expect(mine.body.string.contains("拟奖励"))
            #expect(mine.body.string.contains("符合研发费用奖励条件"))
            var admin = try await app.staff(.admin, organisation: nil, login: "admin")
            #expect(try await admin.get(app, batchPath).status == .ok)
            #expect(try await app.audit.verify().firstBroken == nil)
        }
    }
}
