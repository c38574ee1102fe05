import Fluent
import Foundation
import PolicyKit
import Testing
import Vapor
import VaporTesting
@testable import App

@Suite("企业申报：发起、填写、自检、提交、撤回", .serialized)
struct ApplicationTests {
    @Test("发起申报页列出全部方向及其条件和联系人")
    func choosePage() async throws {
        try await withTestApp { app in
            var (browser, _) = try await app.demoEnterprise()
            let page = try await browser.get(app, "/enterprise/applications/new")
            #expect(page.status == .ok)
            let html = page.body.string
            let round = try #require(app.settings.rounds["shanxi-2023-demo"])
            for (_, direction) in round.allDirections {
                if let subs = direction.subDirections {
                    for sub in subs { #expect(html.contains("value=\"\(direction.id)/\(sub.id)\"")) }
                } else {
                    #expect(html.contains("value=\"\(direction.id)\""))
                }
            }
            #expect(html.contains("0351-4032449"))
        }
    }

    @Test("发起后生成表单：字段来自政策文件，项目名称按规则预填")
    func generatedForm() async throws {
        try await withTestApp { app in
            var (browser, _) = try await app.demoEnterprise()
            let location = try await app.startApplication(&browser, direction: "revenue-increase")
            let page = try await browser.get(app, location)
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("value=\"营收增量奖励（钢铁）\""))
            #expect(html.contains("name=\"content.chainRevenueRewardSameYear\""))
            #expect(html.contains("name=\"overview.finances.2023H1.debtRatio\""))
            #expect(html.contains("name=\"performanceTargets.indicators[0].level1\""))
            #expect(html.contains("自通过一致性评价之日起5年内") == false)
            #expect(html.contains("同一年度本企业营收增量奖励与重点产业链“链主”企业、链上企业营业收入奖励不重复享受"))
            #expect(html.contains("信息不完整"))
            #expect(html.contains("原材料处"))
            let whitelist = try await browser.get(app, try await app.startApplication(&browser, direction: "whitelist"))
            #expect(whitelist.body.string.contains("name=\"content.monthlyOutput[0].priorOutput\""))
            #expect(whitelist.body.string.contains("<option value=\"2023年1至3月\">2023年1至3月</option>"))
            let carrier = try await browser.get(app, try await app.startApplication(&browser, direction: "industrial-carrier/green-park"))
            #expect(carrier.body.string.contains("新型工业化载体—国家级绿色园区"))
            #expect(carrier.body.string.contains("节能处"))
        }
    }

    @Test("表单：二级指标只在所属一级指标下可选，附件说明何时必传，数字产业的范围")
    func formGuidance() async throws {
        try await withTestApp { app in
            var (browser, _) = try await app.demoEnterprise()
            let html = try await browser.get(app, try await app.startApplication(&browser, direction: "generic-drug")).body.string
            #expect(html.contains("data-depends-on=\"performanceTargets.indicators[0].level1\""))
            #expect(html.contains("<option value=\"数量指标\" data-group=\"产出指标\">数量指标</option>"))
            #expect(html.contains("<option value=\"经济效益指标\" data-group=\"效益指标\">经济效益指标</option>"))
            #expect(html.contains("企业已有品种获得过省级奖励的必传"))
            #expect(html.contains("申报品种通过一致性评价的补充申请批准通知书"))
            #expect(html.contains("name=\"content.hasRewardedVarieties\""))
            let profile = try await browser.get(app, "/enterprise/profile").body.string
            #expect(profile.contains("数字产业（包括信创、数据中心等细分领域）"))
            #expect(profile.contains("<p class=\"help\">数字产业包括信创、数据中心等细分领域。</p>"))
        }
    }

    @Test("保存：有误的值在旁边提示并保留原样，其余内容保存")
    func saveKeepsInput() async throws {
        try await withTestApp { app in
            var (browser, _) = try await app.demoEnterprise()
            let location = try await app.startApplication(&browser, direction: "revenue-increase")
            var fields = formFields(try app.example("revenue-increase.eligible.json"), round: app.settings.rounds["shanxi-2023-demo"]!)
            fields["overview.finances.2022.operatingRevenue"] = "13.5亿"
            fields["content.revenueNarrative"] = "数据与专项审计报告一致。"
            let response = try await browser.post(app, location, fields)
            #expect(response.status == .unprocessableEntity)
            let html = response.body.string
            #expect(html.contains("value=\"13.5亿\""))
            #expect(html.contains("“13.5亿”不是有效的金额（万元）"))
            #expect(html.contains("数据与专项审计报告一致。"))
            let stored = try #require(try await StoredApplication.query(on: app.db).first())
            let saved = try stored.application(round: app.settings.rounds["shanxi-2023-demo"]!)
            #expect(saved.content["revenueNarrative"] == .text("数据与专项审计报告一致。"))
            #expect(saved.overview.finances["2021"]?["operatingRevenue"] == FixedDecimal("100000"))
            #expect(saved.overview.finances["2022"]?["operatingRevenue"] == nil)
        }
    }

    @Test("财务状况可另列指标：保存后留在表中，没有名称的行在该格提示")
    func otherFinances() async throws {
        try await withTestApp { app in
            var (browser, _) = try await app.demoEnterprise()
            let location = try await app.startApplication(&browser, direction: "revenue-increase")
            let round = try #require(app.settings.rounds["shanxi-2023-demo"])
            var fields = formFields(try app.example("revenue-increase.eligible.json"), round: round)
            #expect(try await browser.get(app, location).body.string.contains("name=\"overview.otherFinances[0].label\""))
            fields["overview.otherFinances[0].label"] = "研发投入（万元）"
            fields["overview.otherFinances[0].2022"] = "4100"
            fields["overview.otherFinances[1].2021"] = "12"
            let refused = try await browser.post(app, location, fields)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("请填写财务指标名称（含单位）"))
            #expect(refused.body.string.contains("value=\"研发投入（万元）\""), "已填的不丢")
            fields["overview.otherFinances[1].2021"] = nil
            #expect(try await browser.post(app, location, fields).status == .seeOther)
            let stored = try #require(try await StoredApplication.query(on: app.db).first())
            #expect(try stored.application(round: round).overview.otherFinances == [.init(label: "研发投入（万元）", values: ["2022": 4100])])
        }
    }

    @Test("智能制造诊断：200 户从 Excel 粘贴或 xlsx 导入；有误时逐行指出、保留粘贴的内容、不改表格")
    func tableImport() async throws {
        try await withTestApp { app in
            var (browser, _) = try await app.demoEnterprise()
            let location = try await app.startApplication(&browser, direction: "smart-manufacturing-diagnosis")
            let round = try #require(app.settings.rounds["shanxi-2023-demo"])
            let page = try await browser.get(app, location).body.string
            let action = location + "/tables/diagnosedEnterprises/import"
            // A multipart form carries its CSRF token in the address: the middleware does not read multipart bodies.
            #expect(page.contains("action=\"\(action)?_csrf="))
            let revision = try #require(page.firstMatch(of: /name="revision" value="(\d+)"/).map { String($0.1) })
            let header = "企业名称\t统一社会信用代码\t诊断服务机构\t是否规上工业企业\n"
            let rows = (1...200).map { index in
                "诊断企业\(index)\t" + CreditCode.withCheckCharacter("91140100" + CreditCode.organisationCode(body: String(format: "MA%06d", index))) + "\t服务机构\t是"
            }
            var bad = rows
            bad[9] = "诊断企业10\t91140100MA0K3L7P8X\t服务机构\t是"
            let refused = try await browser.postMultipart(app, action, fields: ["pasted": header + bad.joined(separator: "\n"), "mode": "replace", "revision": revision], files: [])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("有 1 行有误，未导入任何一行"))
            #expect(refused.body.string.contains("第 11 行：统一社会信用代码："))
            #expect(refused.body.string.contains("诊断企业200"), "粘贴的内容保留在文本框中")
            let stored = { try #require(try await StoredApplication.query(on: app.db).first()).application(round: round) }
            #expect(try await stored().content["diagnosedEnterprises"]?.rows?.isEmpty ?? true)

            let pasted = try await browser.postMultipart(app, action, fields: ["pasted": header + rows.joined(separator: "\n"), "mode": "replace", "revision": revision], files: [])
            #expect(pasted.status == .seeOther)
            #expect(try await stored().content["diagnosedEnterprises"]?.rows?.count == 200)
            #expect(try await browser.get(app, location).body.string.contains("参加智能制造诊断服务活动的规上工业企业共 200 户"))

            let workbook = try xlsx([["企业名称", "统一社会信用代码", "诊断服务机构", "是否规上工业企业"],
                                     ["追加企业", CreditCode.withCheckCharacter("91140100" + CreditCode.organisationCode(body: "MB000001")), "服务机构", "否"]])
            let current = try #require(try await browser.get(app, location).body.string.firstMatch(of: /name="revision" value="(\d+)"/).map { String($0.1) })
            let appended = try await browser.postMultipart(app, action, fields: ["mode": "append", "revision": current], files: [("file", "名单.xlsx", workbook)])
            #expect(appended.status == .seeOther)
            let table = try #require(try await stored().content["diagnosedEnterprises"]?.rows)
            #expect(table.count == 201)
            #expect(table.last?["aboveScale"] == .bool(false))
            #expect(try await browser.postMultipart(app, location + "/tables/diagnosisSummary/import", fields: ["pasted": "x"], files: []).status == .notFound)
        }
    }

    @Test("自检随保存更新：营收增量不足时逐条说明")
    func selfCheck() async throws {
        try await withTestApp { app in
            var (browser, _) = try await app.demoEnterprise()
            let location = try await app.startApplication(&browser, direction: "revenue-increase")
            var fields = formFields(try app.example("revenue-increase.eligible.json"), round: app.settings.rounds["shanxi-2023-demo"]!)
            fields["overview.finances.2021.operatingRevenue"] = "80000"
            fields["overview.finances.2022.operatingRevenue"] = "109000"
            let saved = try await browser.post(app, location, fields)
            #expect(saved.status == .seeOther)
            let page = try await browser.get(app, location)
            #expect(page.body.string.contains("2022年营收增量 2.90 亿元，低于 3 亿元（附件1（十））"))
            #expect(page.body.string.contains("不符合申报条件"))
            let stored = try #require(try await StoredApplication.query(on: app.db).first())
            #expect(stored.verdict == .ineligible)
        }
    }

    @Test("提交：不完整时列出全部原因；补齐后提交成功，之后只读并可撤回")
    func submitAndWithdraw() async throws {
        try await withTestApp { app in
            var (browser, _) = try await app.demoEnterprise()
            let location = try await app.startApplication(&browser, direction: "revenue-increase")
            let example = try app.example("revenue-increase.eligible.json")
            #expect(try await browser.post(app, location, formFields(example, round: app.settings.rounds["shanxi-2023-demo"]!)).status == .seeOther)
            let blocked = try await browser.post(app, location + "/submit", [:])
            #expect(blocked.status == .unprocessableEntity)
            #expect(blocked.body.string.contains("暂不能提交"))
            #expect(blocked.body.string.contains("请上传附件：有资质的会计师事务所出具的营业收入情况专项审计报告"))
            // Uploading is its own feature; here the files are recorded directly.
            let stored = try #require(try await StoredApplication.query(on: app.db).first())
            var application = try stored.application(round: app.settings.rounds["shanxi-2023-demo"]!)
            application.attachments = example.attachments
            try stored.store(application)
            try await stored.save(on: app.db)
            let submitted = try await browser.post(app, location + "/submit", [:])
            #expect(submitted.status == .seeOther)
            let page = try await browser.get(app, location)
            #expect(page.body.string.contains("已提交"))
            #expect(page.body.string.contains("申报状态为“已提交”，内容不能修改"))
            #expect(page.body.string.contains("<th scope=\"row\">2022年</th>"), "只读页面显示财务状况表")
            #expect(page.body.string.contains("<td>135000</td>"))
            #expect(!page.body.string.contains("name=\"content."))
            #expect(!page.body.string.contains("保存草稿"))
            let edit = try await browser.post(app, location, formFields(example, round: app.settings.rounds["shanxi-2023-demo"]!))
            #expect(edit.status == .conflict)
            let withdrawn = try await browser.post(app, location + "/withdraw", ["reason": "数据需核实"])
            #expect(withdrawn.status == .seeOther)
            let after = try await browser.get(app, location)
            #expect(after.body.string.contains("已撤回"))
            #expect(after.body.string.contains("数据需核实"))
            let events = try await ApplicationEvent.query(on: app.db).sort(\.$createdAt).all()
            #expect(events.map(\.toStatus) == [.draft, .submitted, .withdrawn])
            let list = try await browser.get(app, "/enterprise")
            #expect(list.body.string.contains("已撤回"))
        }
    }

    @Test("截止后不能提交")
    func deadline() async throws {
        try await withTestApp { app in
            var (browser, _) = try await app.demoEnterprise()
            let location = try await app.startApplication(&browser, direction: "rd-expense")
            let example = try app.example("rd-expense.eligible.json")
            var fields = formFields(example, round: app.settings.rounds["shanxi-2023-demo"]!)
            fields["projectName"] = "研发费用奖励"
            #expect(try await browser.post(app, location, fields).status == .seeOther)
            let stored = try #require(try await StoredApplication.query(on: app.db).first())
            var application = try stored.application(round: app.settings.rounds["shanxi-2023-demo"]!)
            application.attachments = example.attachments
            try stored.store(application)
            try await stored.save(on: app.db)
            let record = try #require(try await RoundRecord.query(on: app.db).first())
            record.deadline = Date().addingTimeInterval(-60)
            try await record.save(on: app.db)
            let refused = try await browser.post(app, location + "/submit", [:])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("截止"))
            #expect(try await StoredApplication.query(on: app.db).first()?.status == .draft)
        }
    }

    @Test("另一企业读、改、提交、撤回他人的申报：一律 404")
    func isolation() async throws {
        try await withTestApp { app in
            var (owner, _) = try await app.demoEnterprise(0)
            let location = try await app.startApplication(&owner, direction: "rd-expense")
            var (other, _) = try await app.demoEnterprise(1)
            #expect(try await other.get(app, location).status == .notFound)
            #expect(try await other.post(app, location, ["projectName": "篡改"]).status == .notFound)
            #expect(try await other.post(app, location + "/submit", [:]).status == .notFound)
            #expect(try await other.post(app, location + "/withdraw", [:]).status == .notFound)
            #expect(try await other.get(app, "/enterprise/applications/not-a-uuid").status == .notFound)
            let list = try await other.get(app, "/enterprise")
            #expect(!list.body.string.contains(String(location.dropFirst("/enterprise/applications/".count))))
            let stored = try #require(try await StoredApplication.query(on: app.db).first())
            #expect(stored.projectName == "研发费用奖励")
        }
    }
}

@Suite("草稿自动保存", .serialized)
struct AutosaveTests {
    @Test("后台保存返回自检摘要和有误的项，已填内容保存")
    func autosave() async throws {
        try await withTestApp { app in
            var (browser, _) = try await app.demoEnterprise()
            let location = try await app.startApplication(&browser, direction: "rd-expense")
            var fields = formFields(try app.example("rd-expense.eligible.json"), round: app.settings.rounds["shanxi-2023-demo"]!)
            fields["content.deductibleRD2022"] = "1999.99"
            fields["content.techCenterDocument"] = "晋工信技术字〔2019〕88号"
            fields["overview.finances.2023H1.debtRatio"] = "百分之五十"
            let response = try await browser.post(app, location + "?autosave=1", fields)
            #expect(response.status == .ok)
            let result = try response.content.decode(ApplicationController.AutosaveResult.self)
            #expect(result.saved)
            #expect(result.verdict == "ineligible")
            #expect(result.summary.contains("1,999.99 万元，低于 2,000 万元"))
            #expect(result.problems.map(\.path) == ["overview.finances.2023H1.debtRatio"])
            let stored = try #require(try await StoredApplication.query(on: app.db).first())
            let saved = try stored.application(round: app.settings.rounds["shanxi-2023-demo"]!)
            #expect(saved.content["techCenterDocument"] == .text("晋工信技术字〔2019〕88号"))
        }
    }
}
