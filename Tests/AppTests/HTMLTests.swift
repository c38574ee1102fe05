import Foundation
import Testing
@testable import App

@Suite("服务器端拼接的 HTML 片段")
struct HTMLTests {
    @Test("选项的值和文字都被转义；同组的选项放在一个 optgroup 中")
    func options() {
        let html = SelectOption.html([
            SelectOption(value: "a\"><script>", label: "<b>甲</b>&'", selected: true, group: "组<1>"),
            SelectOption(value: "b", label: "乙", selected: false, group: "组<1>"),
            SelectOption(value: "c", label: "丙", selected: false),
        ])
        #expect(html == "<optgroup label=\"组&lt;1&gt;\"><option value=\"a&quot;&gt;&lt;script&gt;\" selected>&lt;b&gt;甲&lt;/b&gt;&amp;&#39;</option>"
            + "<option value=\"b\">乙</option></optgroup><option value=\"c\">丙</option>")
    }

    @Test("审核列表的行：每个字段都被转义，失信标记带名单来源，链接指向审核页")
    func reviewRows() {
        let row = ReviewListPage.Row(id: "A1", enterprise: "甲<公司>", creditCode: "9114\"x", county: "小店区", programme: "专项&",
                                     direction: "方向'", projectName: "<script>alert(1)</script>", status: "submitted\"><b",
                                     statusLabel: "已提交", submitted: "2023-11-01 09:00", blacklistSource: "名单\"来源")
        let html = ReviewListPage.html([row])
        #expect(html == "<tr><td>甲&lt;公司&gt; <span class=\"tag tag-blacklisted\" title=\"名单&quot;来源\">失信</span>"
            + "<div class=\"muted\">9114&quot;x</div></td><td>小店区</td><td>专项&amp;</td><td>方向&#39;</td>"
            + "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td><td><span class=\"tag status-submitted&quot;&gt;&lt;b\">已提交</span></td>"
            + "<td>2023-11-01 09:00</td><td><a href=\"/review/applications/A1\">审核</a></td></tr>")
        var clean = row
        clean.blacklistSource = nil
        #expect(!ReviewListPage.html([clean]).contains("失信"))
    }

    @Test("企业申报列表的行：字段被转义，企业可修改的（草稿、退回、已撤回）写“填写”，其余写“查看”")
    func enterpriseRows() throws {
        let rounds = try RoundCatalog.load(directory: PackageRoot.path + "Policies")
        func item(_ status: String, project: String) -> ApplicationListItem {
            ApplicationListItem(ApplicationListRow(id: UUID(), round_code: "shanxi-2023", direction: "rd-expense", sub_direction: nil, project_name: project,
                                                   status: status, verdict: "eligible", updated_at: nil), rounds: rounds, namingRound: false)
        }
        let html = EnterpriseDashboard.html([item("draft", project: "<i>项目</i>"), item("returned", project: "乙"), item("submitted", project: "丙"),
                                             item("withdrawn", project: "丁")])
        let rows = html.components(separatedBy: "</tr>").filter { !$0.isEmpty }
        #expect(rows.count == 4)
        #expect(rows[3].hasSuffix("\">填写</a></td>"))
        #expect(rows[0].contains("<td>&lt;i&gt;项目&lt;/i&gt;</td>") && rows[0].hasSuffix("\">填写</a></td>"))
        #expect(rows[1].hasSuffix("\">填写</a></td>"))
        #expect(rows[2].hasSuffix("\">查看</a></td>"))
        #expect(!html.contains("<i>"))
    }
}
