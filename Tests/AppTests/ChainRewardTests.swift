import Fluent
import Foundation
import PolicyKit
import Testing
import Vapor
import VaporTesting
@testable import App

/// 链主/链上: applying for 营收增量 as well is allowed (不重复支持); the imported award list flags it for the reviewers.
@Suite("链主、链上企业奖励名单：导入、审核页提示、冲突报告", .serialized)
struct ChainRewardTests {
    static let steel = DemoCommand.enterprises[0]

    @Test("导入名单：有误的行逐行指出、不导入；导入后营收增量申报在审核页和冲突报告中标明，删除后不再标明")
    func importAndFlag() async throws {
        try await withTestApp { app in
            let (_, location) = try await app.submittedApplication(enterprise: 0, direction: "revenue-increase", example: "revenue-increase.eligible.json")
            let reviewer = "/review" + location.dropFirst("/enterprise".count)
            var admin = try await app.staff(.admin, organisation: nil, login: "admin")
            #expect(try await admin.get(app, reviewer).body.string.contains("链上企业营业收入奖励名单") == false)

            let bad = "统一社会信用代码,企业名称,年度,类别\n\(Self.steel.creditCode),\(Self.steel.name),二〇二二,链主\n91140100MA0K3L7P8X,某企业,2022,链上\n\(Self.steel.creditCode),\(Self.steel.name),2022,链长\n"
            let refused = try await admin.postFile(app, "/admin/chain-rewards", fileName: "名单.csv", data: Data(bad.utf8))
            #expect(refused.status == .unprocessableEntity)
            let html = refused.body.string
            #expect(html.contains("文件中有 3 行有误，未导入任何条目"))
            #expect(html.contains("第 2 行：年度应为四位年份，如 2022"))
            #expect(html.contains("第 4 行：类别应为“链主”或“链上”，实为“链长”"))
            #expect(try await ChainRewardEntry.query(on: app.db).count() == 0)

            let good = "统一社会信用代码,企业名称,年度,类别\n\(Self.steel.creditCode),\(Self.steel.name),2022,链主\n914403001922038216,华为技术有限公司,2022,链上\n"
            let imported = try await admin.postFile(app, "/admin/chain-rewards", fileName: "2022年链主链上奖励.csv", data: Data(good.utf8))
            #expect(imported.status == .seeOther)
            #expect(try await ChainRewardEntry.query(on: app.db).count() == 2)
            let audit = try await AuditEvent.query(on: app.db).filter(\.$action == AuditLog.Action.chainRewardsImported.rawValue).first()
            #expect(audit?.after == "文件 2022年链主链上奖励.csv，2 条（2022 年度）")

            let detail = try await admin.get(app, reviewer).body.string
            #expect(detail.contains("该企业列入重点产业链“链主”企业、链上企业营业收入奖励名单（2022年度“链主”企业）"))
            let list = try await admin.get(app, "/admin/chain-rewards").body.string
            #expect(list.contains("需核对“不重复支持”的申报（共 1 份）"))
            #expect(list.contains(Self.steel.name))
            let conflicts = try await admin.get(app, "/admin/conflicts").body.string
            #expect(conflicts.contains("同一年度已享受重点产业链“链主”企业、链上企业营业收入奖励：同一年度同一企业营收增量奖励、消费品增量奖励与重点产业链“链主”企业、链上企业营业收入奖励不重复支持"))

            var city = try await app.staff(.cityReviewer, organisation: "140100", login: "taiyuan")
            #expect(try await city.get(app, reviewer).body.string.contains("2022年度“链主”企业"), "审核单位同样看到")
            #expect(try await city.get(app, "/admin/chain-rewards").status == .forbidden)

            let importID = try #require(try await ChainRewardEntry.query(on: app.db).first()?.importID)
            #expect(try await admin.post(app, "/admin/chain-rewards/\(importID)/delete", [:]).status == .seeOther)
            #expect(try await ChainRewardEntry.query(on: app.db).count() == 0)
            #expect(try await admin.get(app, reviewer).body.string.contains("链上企业营业收入奖励名单") == false)
        }
    }

    @Test("企业如实申报已获得链主、链上奖励：不判为不符合，自检提示核对")
    func declaredStillSubmits() async throws {
        try await withTestApp { app in
            var (browser, _) = try await app.demoEnterprise()
            let location = try await app.startApplication(&browser, direction: "revenue-increase")
            let round = try #require(app.settings.rounds["shanxi-2023-demo"])
            var fields = formFields(try app.example("revenue-increase.eligible.json"), round: round)
            fields["content.chainRevenueRewardSameYear"] = "true"
            #expect(try await browser.post(app, location, fields).status == .seeOther)
            let page = try await browser.get(app, location).body.string
            #expect(!page.contains("不符合申报条件"), "不重复支持不是不得申报")
            #expect(page.contains("本年度已申报或获得重点产业链“链主”企业、链上企业营业收入奖励：是，不影响申报"))
            #expect(page.contains("企业申报为“是”。同一年度同一企业营收增量奖励与重点产业链“链主”企业、链上企业营业收入奖励不重复支持（附件1（十）），请核对"))
        }
    }
}
