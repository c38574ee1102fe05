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
}
