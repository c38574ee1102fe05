import Fluent
import Foundation
import PolicyKit
import Testing
import Vapor
import VaporTesting
@testable import App

/// 资料库: an enterprise applying in several directions types 正文（一） and the 绩效目标表 and uploads the common files once.
@Suite("资料库：填写一次，新申报自动带入；复制为新申报", .serialized)
struct LibraryTests {
    @Test("保存一份申报后，新发起的申报带入正文（一）、绩效目标表和共同附件（沿用同一文件）；资料库按版本保存")
    func prefilledFromLibrary() async throws {
        try await withTestApp { app in
            var (browser, _) = try await app.demoEnterprise()
            let round = try #require(app.settings.rounds["shanxi-2023-demo"])
            let first = try await app.startApplication(&browser, direction: "revenue-increase")
            let example = try app.example("revenue-increase.eligible.json")
            #expect(try await browser.post(app, first, formFields(example, round: round)).status == .seeOther)
            #expect(try await browser.upload(app, first, item: "business-licence", fileName: "营业执照.png", data: Fixtures.png).status == .seeOther)
            #expect(try await browser.upload(app, first, item: "revenue-audit-report", fileName: "专项审计报告.pdf", data: Fixtures.pdf(pages: 2)).status == .seeOther)
            #expect(try await LibraryVersion.query(on: app.db).count() == 1, "同一份申报的连续修改并入一个版本")

            let second = try await app.startApplication(&browser, direction: "whitelist")
            let page = try await browser.get(app, second).body.string
            let establishment = try #require(example.overview.texts["establishment"])
            #expect(page.contains(establishment.htmlEscaped))
            #expect(page.contains("value=\"100000\""), "财务状况带入")
            #expect(page.contains(try #require(example.performanceTargets.goals.first).htmlEscaped), "绩效目标带入")
            #expect(page.contains("营业执照.png"))
            #expect(page.contains(">沿用</span>"))
            #expect(!page.contains("专项审计报告.pdf"), "方向专有的附件不带入")
            let secondID = try #require(UUID(uuidString: String(second.split(separator: "/").last!)))
            let reused = try await StoredAttachment.query(on: app.db).filter(\.$application.$id == secondID).all()
            let original = try #require(try await StoredAttachment.query(on: app.db).filter(\.$item == "business-licence").filter(\.$reused == false).first())
            #expect(reused.map(\.item) == ["business-licence"])
            #expect(reused.first?.sha256 == original.sha256)
            #expect(reused.first?.reused == true)
            let stored = try #require(try await StoredApplication.find(secondID, on: app.db))
            #expect(try stored.application(round: round).attachments.map(\.item) == ["business-licence"])

            var fields = formFields(try stored.application(round: round), round: round)
            fields["overview.texts.business"] = "主营业务已调整为高端装备制造。"
            #expect(try await browser.post(app, second, fields).status == .seeOther)
            #expect(try await LibraryVersion.query(on: app.db).count() == 2, "另一份申报的修改保存为新版本")
            let library = try await browser.get(app, "/enterprise/library").body.string
            #expect(library.contains("主营业务已调整为高端装备制造。"))
            #expect(library.contains("第 2 版 <span class=\"tag\">当前</span>"))
            #expect(library.contains("营业执照.png"))
            #expect(library.components(separatedBy: "aria-current=\"page\"").count == 2, "菜单只标出“资料库”，不同时标出“我的申报”")
            #expect(library.contains("<a href=\"/enterprise/library\" class=\"active\" aria-current=\"page\">资料库</a>"))

            var (other, _) = try await app.demoEnterprise(1)
            let foreign = try await other.get(app, try await app.startApplication(&other, direction: "whitelist")).body.string
            #expect(!foreign.contains(establishment.htmlEscaped), "别的企业的资料库不带入")
            #expect(!(try await other.get(app, "/enterprise/library").body.string.contains("营业执照.png")))
        }
    }

    @Test("复制为新申报：已撤回的申报也可复制，内容和全部附件沿用，承诺须重新确认；别的企业不能复制")
    func copyEarlierApplication() async throws {
        try await withTestApp { app in
            let (_, location) = try await app.submittedApplication(enterprise: 0)
            var (browser, _) = try await app.demoEnterprise(0)
            #expect(try await browser.post(app, location + "/withdraw", ["reason": "补充材料"]).status == .seeOther)
            let copied = try await browser.post(app, location + "/copy", [:])
            #expect(copied.status == .seeOther)
            let target = try #require(copied.headers.first(name: .location))
            #expect(target.hasSuffix("?done=copied"))
            let page = try await browser.get(app, target).body.string
            #expect(page.contains("已复制为新的草稿"))
            let round = try #require(app.settings.rounds["shanxi-2023-demo"])
            let sourceID = try #require(UUID(uuidString: String(location.split(separator: "/").last!)))
            let copyID = try #require(UUID(uuidString: String(target.split(separator: "?")[0].split(separator: "/").last!)))
            let source = try #require(try await StoredApplication.find(sourceID, on: app.db)).application(round: round)
            let copy = try #require(try await StoredApplication.find(copyID, on: app.db))
            #expect(copy.status == .draft)
            let document = try copy.application(round: round)
            #expect(document.content == source.content)
            #expect(document.projectName == source.projectName)
            #expect(document.commitmentAccepted != true, "承诺须重新确认")
            let sourceFiles = try await StoredAttachment.current(of: sourceID, on: app.db)
            let copyFiles = try await StoredAttachment.current(of: copyID, on: app.db)
            #expect(Set(copyFiles.map(\.sha256)) == Set(sourceFiles.map(\.sha256)))
            #expect(copyFiles.allSatisfy { $0.reused })
            #expect(document.attachments.count == copyFiles.count)
            let event = try await ApplicationEvent.query(on: app.db).filter(\.$application.$id == copyID).first()
            #expect(event?.comment?.hasPrefix("复制自") == true)

            var (other, _) = try await app.demoEnterprise(1)
            let before = try await StoredApplication.query(on: app.db).count()
            #expect(try await other.post(app, location + "/copy", [:]).status == .notFound)
            #expect(try await StoredApplication.query(on: app.db).count() == before)
        }
    }
}
