import Foundation
import Testing
@testable import PolicyKit

@Suite("版本比较与退回意见规则")
struct DocumentDiffTests {
    func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    @Test("逐项列出改动、新增和清空的值，按阅读顺序，忽略附件")
    func changes() throws {
        let before = try json(#"{"projectName":"甲","content":{"rows":[{"a":"1"},{"a":"2"}],"flag":true,"note":"x"},"attachments":[{"item":"licence","file":"1"}]}"#)
        let after = try json(#"{"projectName":"乙","content":{"rows":[{"a":"1"},{"a":"3"},{"a":"4"}],"flag":false,"note":""},"attachments":[{"item":"licence","file":"2"}]}"#)
        let changes = DocumentDiff.changes(before: before, after: after, ignoring: ["attachments"])
        #expect(changes == [
            FieldChange(path: "content.flag", before: "是", after: "否"),
            FieldChange(path: "content.note", before: "x", after: nil),
            FieldChange(path: "content.rows[1].a", before: "2", after: "3"),
            FieldChange(path: "content.rows[2].a", before: nil, after: "4"),
            FieldChange(path: "projectName", before: "甲", after: "乙"),
        ])
        #expect(DocumentDiff.changes(before: before, after: before).isEmpty)
    }

    @Test("数字按大小排序：第 10 行在第 2 行之后")
    func naturalOrder() {
        #expect(DocumentDiff.naturalOrder("t[2].a", "t[10].a"))
        #expect(!DocumentDiff.naturalOrder("t[10].a", "t[2].a"))
    }

    @Test("退回须有总体意见或逐项意见；逐项意见须指明对象且写明内容")
    func returnRules() {
        let targets: Set<String> = ["projectName", "attachment:licence"]
        #expect(ReturnRules.problems(comment: "", notes: [], targets: targets) == ["comment": "请写明需要修改的内容"])
        #expect(ReturnRules.problems(comment: "", notes: [("projectName", "名称不符合规则")], targets: targets).isEmpty)
        #expect(ReturnRules.problems(comment: "请补充", notes: [("", "")], targets: targets).isEmpty)
        let problems = ReturnRules.problems(comment: "x", notes: [("", "缺对象"), ("nowhere", "对象不存在"), ("attachment:licence", "")], targets: targets)
        #expect(problems == [
            "note0": "第 1 条意见请选择所针对的内容",
            "note1": "第 2 条意见所针对的内容不存在",
            "note2": "第 3 条意见请写明需要修改的内容",
        ])
    }
}
