import Fluent
import Foundation
import PolicyKit
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import App

@Suite("退回修改：逐项意见、重新提交后的差异、历次版本；现场核查照片", .serialized)
struct RevisionTests {
    @Test("逐项意见在企业页面标出；重新提交后审核员看到改了什么；历次版本可读")
    func returnWithNotesAndDiff() async throws {
        try await withTestApp { app in
            let (enterprise, location) = try await app.submittedApplication(enterprise: 0)
            var owner = enterprise
            let id = String(location.split(separator: "/").last!)
            var city = try await app.staff(.cityReviewer, organisation: "140100", login: "taiyuan")
            let round = try #require(app.settings.rounds["shanxi-2023-demo"])
            let text = try #require(round.overviewTexts.first)

            let incomplete = try await city.post(app, "/review/applications/\(id)/return", ["comment": "", "noteTarget0": "", "noteText0": "缺对象", "noteText1": "第二条"])
            #expect(incomplete.status == .unprocessableEntity)
            #expect(incomplete.body.string.contains("第 1 条意见请选择所针对的内容"))
            #expect(incomplete.body.string.contains("value=\"缺对象\""))
            #expect(try await StoredApplication.find(UUID(uuidString: id), on: app.db)?.status == .submitted)

            let returned = try await city.post(app, "/review/applications/\(id)/return", [
                "comment": "请补充说明",
                "noteTarget0": "overview.texts.\(text.id)", "noteText0": "概况过于简略，请补充主要产品",
                "noteTarget1": "attachment:tax-return", "noteText1": "纳税申报表不清晰，请重新扫描",
            ])
            #expect(returned.status == .seeOther)
            let dashboard = try await owner.get(app, "/enterprise")
            #expect(dashboard.body.string.contains("审核动态"))
            #expect(dashboard.body.string.contains("已提交 → 退回修改"))
            #expect(dashboard.body.string.contains("【纳税申报表") || dashboard.body.string.contains("纳税申报表不清晰，请重新扫描"))
            #expect(dashboard.body.string.contains("查看意见并修改"))
            var (otherOwner, _) = try await app.demoEnterprise(1)
            #expect(!(try await otherOwner.get(app, "/enterprise")).body.string.contains("请补充说明"))
            let form = try await owner.get(app, location)
            let html = form.body.string
            #expect(html.contains("审核意见：概况过于简略，请补充主要产品"))
            #expect(html.contains("审核意见：纳税申报表不清晰，请重新扫描"))
            #expect(html.contains("has-note"))
            #expect(html.contains("请补充说明"))

            var fields = formFields(try app.example("rd-expense.eligible.json"), round: round)
            fields["overview.texts.\(text.id)"] = "主要产品为特种钢材，年产能 200 万吨。"
            #expect(try await owner.post(app, location, fields).status == .seeOther)
            #expect(try await owner.upload(app, location, item: "tax-return", fileName: "纳税申报表（重新扫描）.pdf", data: Fixtures.pdf(pages: 2)).status == .seeOther)
            #expect(try await owner.post(app, location + "/submit", [:]).status == .seeOther)

            let detail = try await city.get(app, "/review/applications/\(id)")
            let review = detail.body.string
            #expect(review.contains("退回后的修改（第 1 版 → 第 2 版）"))
            #expect(review.contains("主要产品为特种钢材，年产能 200 万吨。"))
            #expect(review.contains(text.label))
            #expect(review.contains("纳税申报表（重新扫描）.pdf（新上传）"))
            #expect(review.contains("概况过于简略，请补充主要产品"))

            let versions = try await ApplicationVersion.all(of: try #require(UUID(uuidString: id)), on: app.db)
            #expect(versions.map(\.number) == [1, 2])
            let first = try await city.get(app, "/review/applications/\(id)/versions/1")
            #expect(first.status == .ok)
            #expect(!first.body.string.contains("主要产品为特种钢材"))
            let second = try await owner.get(app, "\(location)/versions/2")
            #expect(second.body.string.contains("主要产品为特种钢材，年产能 200 万吨。"))
            #expect(try await owner.get(app, "\(location)/versions/3").status == .notFound)
            var other = try await app.staff(.cityReviewer, organisation: "140200", login: "datong")
            #expect(try await other.get(app, "/review/applications/\(id)/versions/1").status == .notFound)
            var (otherEnterprise, _) = try await app.demoEnterprise(1)
            #expect(try await otherEnterprise.get(app, "\(location)/versions/1").status == .notFound)
        }
    }

    @Test("现场核查可附照片：按内容识别 JPEG/PNG；非图片被拒且已填内容保留；照片只在范围内可见")
    func inspectionPhotos() async throws {
        try await withTestApp { app in
            let (_, location) = try await app.submittedApplication(enterprise: 0)
            let id = String(location.split(separator: "/").last!)
            var city = try await app.staff(.cityReviewer, organisation: "140100", login: "taiyuan")
            let fields = ["compliant": "true", "description": "生产线已建成投产，与申报一致", "leader": "张组长", "members": "李、王", "inspectedOn": "2023-10-20"]

            let refused = try await city.postMultipart(app, "/review/applications/\(id)/inspection", fields: fields,
                                                       files: [("photos[]", "现场.png", Fixtures.png), ("photos[]", "setup.exe", Fixtures.windowsExecutable)])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("不是 PDF、JPEG 或 PNG 文件"))
            #expect(refused.body.string.contains("生产线已建成投产，与申报一致"))
            #expect(try await SiteInspection.query(on: app.db).count() == 0)

            let recorded = try await city.postMultipart(app, "/review/applications/\(id)/inspection", fields: fields,
                                                        files: [("photos[]", "车间.png", Fixtures.png), ("photos[]", "设备.png", Fixtures.png)])
            #expect(recorded.status == .seeOther)
            let photos = try await InspectionPhoto.query(on: app.db).all()
            #expect(photos.count == 2)
            #expect(photos.allSatisfy { $0.kind == .png })
            let detail = try await city.get(app, "/review/applications/\(id)")
            #expect(detail.body.string.contains("核查照片：车间.png"))
            let photoPath = "/review/applications/\(id)/inspection-photos/\(try photos[0].requireID())"
            let image = try await city.get(app, photoPath)
            #expect(image.status == .ok)
            #expect(image.headers.contentType == HTTPMediaType(type: "image", subType: "png"))
            #expect(Data(buffer: image.body) == Fixtures.png)
            var other = try await app.staff(.cityReviewer, organisation: "140200", login: "datong")
            #expect(try await other.get(app, photoPath).status == .notFound)
            // The start-up sweep of unreferenced store files spares photos, and backups include them.
            _ = try await StoreSweeper.sweep(app)
            #expect(FileManager.default.fileExists(atPath: app.settings.attachments.url(for: photos[0].sha256).path))
            guard let sql = app.db as? any SQLDatabase else { throw Abort(.internalServerError) }
            #expect(try await AttachmentStore.referencedHashes(on: sql).contains(photos[0].sha256))
            #expect(try await city.post(app, "/review/applications/\(id)/approve", [:]).status == .seeOther)
        }
    }
}
