import Foundation
import PolicyKit
import Vapor

/// One input of the generated form, or a table of them.
struct FormField: Encodable {
    var name: String
    var label: String
    /// text, textarea, number, date, select, radio, table
    var kind: String
    var unit: String?
    var required: Bool
    var value: String
    var options: [SelectOption]
    var error: String?
    var help: String?
    var columns: [FormField]?
    var rows: [[FormField]]?
    /// The city's comment on this field when it returned the application.
    var reviewNote: String? = nil
    /// The name of the select whose value picks this select's options (their `group`); the page's script hides the rest.
    var dependsOn: String? = nil
}

struct FormSection: Encodable {
    var id: String
    var title: String
    var note: String?
    var fields: [FormField]
}

/// The 自检 panel: the PolicyKit verdict rule by rule.
struct SelfCheckPanel: Encodable {
    struct Line: Encodable {
        var state: String
        var message: String
        var threshold: String?
        var value: String?
    }

    var status: String
    var statusLabel: String
    var summary: String
    var results: [Line]
    var missing: [String]
    var routing: String?
    var authority: String?
    var tier: String?
    var facts: [Fact]
    var warnings: [String]

    init(_ verdict: Verdict) {
        status = verdict.status.rawValue
        statusLabel = verdict.status.label
        summary = verdict.summary
        results = verdict.results.map { result in
            Line(state: result.passed.map { $0 ? "pass" : "fail" } ?? "unknown", message: result.message, threshold: result.threshold, value: result.value)
        }
        missing = verdict.missing.map(\.message)
        routing = verdict.routing.map { "\($0.division)（\($0.contacts.joined(separator: "、")) \($0.phone)）" }
        authority = verdict.reviewAuthority?.name
        tier = verdict.tier?.name
        facts = verdict.facts
        warnings = verdict.warnings
    }
}

struct TimelineEntry: Encodable {
    var time: String
    var from: String?
    var to: String
    var actor: String
    var comment: String?

    /// Events loaded with their actors, oldest first.
    static func entries(_ events: [ApplicationEvent], timeZone: String) -> [TimelineEntry] {
        events.map { event in
            TimelineEntry(time: event.createdAt.map { DateText.minute($0, timeZone: timeZone) } ?? "", from: event.fromStatus?.label,
                          to: event.toStatus.label, actor: event.actor.displayName, comment: event.comment)
        }
    }
}

/// Builds the generated form for one application: every field from the round file, never hand-written per direction.
struct ApplicationFormBuilder {
    let round: Round
    let spec: DirectionSpec
    let application: PolicyKit.Application
    /// What was typed, when re-showing a form that had problems; otherwise values come from the application.
    let submitted: [String: String]?
    let errors: [String: String]
    /// A form to fill in offers blank table rows; a read-only view shows only what was entered.
    var editable = true

    func value(_ name: String, _ stored: @autoclosure () -> String?) -> String {
        if let submitted { return submitted[name] ?? "" }
        return stored() ?? ""
    }

    static func text(_ value: FieldValue?) -> String? {
        guard let value else { return nil }
        switch value {
        case .text(let text), .date(let text): return text
        case .number(let number): return number.description
        case .bool(let flag): return flag ? "true" : "false"
        case .rows: return nil
        }
    }

    /// A table offers at least two blank rows, and enough for its minimum (`minimumRows`) when it is short of it.
    func field(_ spec: FieldSpec, name: String, stored: FieldValue?, minimumRows: Int? = nil) -> FormField {
        let kind: String
        switch spec.type {
        case .text, .creditCode: kind = "text"
        case .longText: kind = "textarea"
        case .amount, .percent, .integer, .year: kind = "number"
        case .date: kind = "date"
        case .bool: kind = "radio"
        case .choice: kind = "select"
        case .table: kind = "table"
        }
        let current = value(name, Self.text(stored))
        var options: [SelectOption] = []
        if spec.type == .choice {
            options = round.options(for: spec).map { SelectOption(value: $0, label: $0, selected: $0 == current) }
        } else if spec.type == .bool {
            options = [SelectOption(value: "true", label: "是", selected: current == "true"), SelectOption(value: "false", label: "否", selected: current == "false")]
        }
        var field = FormField(name: name, label: spec.label, kind: kind, unit: spec.unit, required: spec.isRequired, value: current,
                              options: options, error: errors[name], help: spec.help, columns: nil, rows: nil)
        if spec.type == .table {
            let columns = spec.columns ?? []
            field.columns = columns.map { self.field($0, name: "", stored: nil) }
            let storedRows = stored?.rows ?? []
            let count = submitted.map { (FormBody.rowIndices(name, in: $0).last ?? -1) + 1 } ?? storedRows.count
            let blanks = editable ? max(2, (minimumRows ?? spec.minRows ?? 0) - count) : 0
            field.rows = (0..<(count + blanks)).map { index in
                columns.map { column in
                    let cellName = "\(name)[\(index)].\(column.id)"
                    var cell = self.field(column, name: cellName, stored: index < storedRows.count ? storedRows[index][column.id] : nil)
                    cell.label = "\(spec.label)第 \(index + 1) 行：\(column.label)"
                    return cell
                }
            }
            field.help = [spec.help, "整行留空即删除该行；保存后会再提供两行空行。"].compactMap { $0 }.joined(separator: " ")
        }
        return field
    }

    /// 附件2 三（一）3 lists the finance figures “包括但不限于”: further rows, named by the enterprise, for the same periods.
    static func otherFinancesSpec(_ round: Round) -> FieldSpec {
        FieldSpec(id: "otherFinances", label: "其他财务指标", type: .table, required: false,
                  help: "选填。通知要求的财务状况“包括但不限于”上表各项，可另列其他指标，名称中写明单位，如“研发投入（万元）”。",
                  columns: [FieldSpec(id: "label", label: "指标名称（含单位）", type: .text, required: false)]
                      + round.finance.periods.map { FieldSpec(id: $0.id, label: $0.label, type: .integer, required: false) })
    }

    func sections() -> [FormSection] {
        let expected = ProjectNameRules.expectedName(for: spec, application: application, round: round)
        let projectName = FormField(
            name: "projectName", label: "项目名称", kind: "text", unit: nil, required: true,
            value: value("projectName", application.projectName ?? expected), options: [], error: errors["projectName"],
            help: spec.direction.projectNameRule.description + (expected.map { "，应为“\($0)”" } ?? ""), columns: nil, rows: nil)
        let overviewTexts = round.overviewTexts.map { field($0, name: "overview.texts.\($0.id)", stored: application.overview.texts[$0.id].map(FieldValue.text)) }
        let financeColumns = round.finance.items.map { FieldSpec(id: $0.id, label: $0.label, type: $0.type) }
        let finances = FormField(
            name: "overview.finances", label: "财务状况", kind: "grid", unit: nil, required: true, value: "", options: [], error: nil,
            help: "金额单位：万元；资产负债率单位：%", columns: financeColumns.map { field($0, name: "", stored: nil) },
            rows: round.finance.periods.map { period in
                [FormField(name: "", label: period.label, kind: "label", unit: nil, required: false, value: period.label, options: [], error: nil, help: nil, columns: nil, rows: nil)]
                    + financeColumns.map { column in
                        let name = "overview.finances.\(period.id).\(column.id)"
                        var cell = field(column, name: name, stored: application.overview.finances[period.id]?[column.id].map(FieldValue.number))
                        cell.label = "\(period.label)\(column.label)"
                        return cell
                    }
            })
        let otherFinances = field(Self.otherFinancesSpec(round), name: "overview.otherFinances", stored: .rows(application.overview.otherFinances.map { other in
            other.values.mapValues(FieldValue.number).merging(["label": .text(other.label)]) { value, _ in value }
        }))
        let content = spec.fields.map { field($0, name: "content.\($0.id)", stored: application.content[$0.id]) }
        let targets = application.performanceTargets
        let funding = round.performanceTargets.fundingSources.map { source in
            field(FieldSpec(id: source.id, label: source.label, type: .amount, required: source.required ?? false, help: source.help),
                  name: "performanceTargets.funding.\(source.id)", stored: targets.funding[source.id].map(FieldValue.number))
        }
        let goals = FormField(
            name: "performanceTargets.goals", label: "总体目标", kind: "textarea", unit: nil, required: true,
            value: value("performanceTargets.goals", targets.goals.joined(separator: "\n")), options: [], error: errors["performanceTargets.goals"],
            help: "每行一个目标", columns: nil, rows: nil)
        let levels = round.performanceTargets.indicatorLevels
        let indicatorSpec = FieldSpec(id: "indicators", label: "绩效指标", type: .table, columns: [
            FieldSpec(id: "level1", label: "一级指标", type: .choice, options: levels.map(\.name)),
            FieldSpec(id: "level2", label: "二级指标", type: .choice, options: levels.flatMap(\.secondLevel)),
            FieldSpec(id: "name", label: "三级指标", type: .text),
            FieldSpec(id: "value", label: "指标值", type: .text),
        ])
        let indicatorRows: FieldValue = .rows(targets.indicators.map {
            ["level1": .text($0.level1), "level2": .text($0.level2), "name": .text($0.name), "value": .text($0.value)]
        })
        // One indicator per 一级指标 is required, so an empty table offers a row for each and a spare.
        var indicators = field(indicatorSpec, name: "performanceTargets.indicators", stored: indicatorRows, minimumRows: levels.count + 1)
        // A 二级指标 is offered under its own 一级指标 only; the reader refuses a pair the template does not have.
        indicators.rows = indicators.rows?.map { row in
            var row = row
            guard let first = row.first(where: { $0.name.hasSuffix(".level1") }),
                  let second = row.firstIndex(where: { $0.name.hasSuffix(".level2") }) else { return row }
            let current = row[second].value
            row[second].dependsOn = first.name
            row[second].options = levels.flatMap { level in
                level.secondLevel.map { SelectOption(value: $0, label: $0, selected: $0 == current && (first.value.isEmpty || first.value == level.name), group: level.name) }
            }
            return row
        }
        return [
            FormSection(id: "basic", title: "基本信息", note: nil, fields: [projectName]),
            FormSection(id: "overview", title: "正文（一）申报单位概况", note: "附件2 三（一）", fields: overviewTexts + [finances, otherFinances]),
            FormSection(id: "content", title: "正文（二）\(spec.fullName)", note: "附件2 三（二）", fields: content),
            FormSection(id: "targets", title: "省级专项转移支付项目绩效目标表", note: round.performanceTargets.clause, fields: funding + [goals, indicators]),
        ]
    }
}

struct ApplicationPage: Encodable {
    struct Commitment: Encodable {
        var number: Int
        var text: String
    }

    struct ReturnComment: Encodable {
        var by: String
        var at: String
        var text: String
    }

    struct UploadedFile: Encodable {
        var id: String
        var name: String
        var kind: String
        var size: String
        var pages: Int?
        /// Attached again from the 资料库 or an earlier application.
        var reused: Bool

        init(_ file: StoredAttachment) {
            id = file.id?.uuidString ?? ""
            name = file.originalName
            kind = file.kind.rawValue.uppercased()
            size = ByteCountText.format(file.size)
            pages = file.pageCount
            reused = file.reused
        }
    }

    struct AttachmentItem: Encodable {
        var id: String
        var title: String
        var clause: String
        var help: String?
        var generated: Bool
        /// Needed as the application now reads: a conditional item counts once its condition holds.
        var required: Bool
        var files: [UploadedFile]
        var reviewNote: String? = nil
    }

    var chrome: Chrome
    var id: String
    var programme: String
    var direction: String
    var status: String
    var statusLabel: String
    var editable: Bool
    var withdrawable: Bool
    var canRequestWithdrawal: Bool
    /// The revision this page shows; the form sends it back so that a save from an older page is merged or refused.
    var revision: Int
    /// Sent with each form of the page, so that a repeated post does nothing a second time.
    var requestKey: String
    /// Someone else saved meanwhile and this page's save was not stored.
    var conflict: String?
    var notice: String?
    var inputProblems: [String]
    var sections: [FormSection]
    var commitments: [Commitment]
    var commitmentAccepted: Bool
    var attachments: [AttachmentItem]
    var uploadError: String?
    /// A box under the form for each table that can be filled from Excel.
    var tableImports: [TableImportBox]
    var uploadLimit: String
    var check: SelfCheckPanel
    var submitProblems: [String]
    var deadline: String
    /// The city's reasons while the application is back with the enterprise.
    var returnComment: ReturnComment?
    /// The city's notes on particular fields and attachments, listed again at the top.
    var returnNotes: [NoteRow] = []
    var versions: [VersionSummary] = []
    var timeline: [TimelineEntry]
}

enum ByteCountText {
    static func format(_ bytes: Int64) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1024 * 1024 { return String(format: "%.1f KB", Double(bytes) / 1024) }
        return String(format: "%.1f MB", Double(bytes) / 1024 / 1024)
    }
}

/// 从 Excel 导入 for one table: a file or pasted cells, replacing the rows or adding to them. After a refused import it
/// keeps what was pasted and lists every bad line.
struct TableImportBox: Encodable {
    /// What a refused import leaves on the page.
    struct Refusal: Sendable {
        var field: String
        var message: String
        var lines: [String]
        var pasted: String
        var append: Bool
    }

    var field: String
    var label: String
    var action: String
    var columns: String
    var error: String?
    var lines: [String]
    var pasted: String
    var append: Bool
}
