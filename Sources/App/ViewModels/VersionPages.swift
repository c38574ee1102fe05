import Fluent
import Foundation
import PolicyKit
import Vapor

/// What the pages show of an application's submitted versions: the list, one version read-only, and what changed
/// between the version the city returned and the one submitted after it.
struct VersionSummary: Encodable {
    var number: Int
    var submitted: String
    var href: String
}

struct ChangeRow: Encodable {
    var label: String
    var before: String
    var after: String
}

struct FileChange: Encodable {
    var item: String
    var name: String
    var change: String
}

struct NoteRow: Encodable {
    var target: String
    var label: String
    var text: String
}

/// The changes since a return: field by field, file by file, beside the notes the city wrote.
struct RevisionPanel: Encodable {
    var fromVersion: Int
    var toVersion: Int
    var notes: [NoteRow]
    var changes: [ChangeRow]
    var files: [FileChange]
}

struct VersionPage: Encodable {
    var chrome: Chrome
    var id: String
    var number: Int
    var submitted: String
    var heading: String
    var sections: [FormSection]
    var files: [FileChange]
    var backHref: String
}

/// The labels users know for paths of the application document.
struct FieldLabels {
    var labels: [String: String] = [
        "projectName": "项目名称", "commitmentAccepted": "承诺书确认",
        "contact.name": "联系人", "contact.mobile": "联系手机",
        "enterprise.name": "情况表：单位名称", "enterprise.city": "情况表：所在市", "enterprise.county": "情况表：所在县（市、区）",
        "enterprise.zone": "情况表：所在开发区", "enterprise.inTransformationZone": "情况表：是否在综改示范区",
        "enterprise.ownership": "情况表：企业性质", "enterprise.industryCategory": "情况表：行业门类", "enterprise.industry": "情况表：所属行业",
    ]

    init(sections: [[FormSection]]) {
        for section in sections.joined() {
            for field in section.fields {
                labels[field.name] = field.label
                for row in field.rows ?? [] {
                    for cell in row where !cell.name.isEmpty { labels[cell.name] = cell.label }
                }
            }
        }
    }

    /// The label of a path, or of the nearest enclosing field (`performanceTargets.goals[2]` → 总体目标 第 3 项).
    func label(_ path: String) -> String {
        if let label = labels[path] { return label }
        if let open = path.lastIndex(of: "["), let close = path.lastIndex(of: "]"), open < close,
           let index = Int(path[path.index(after: open)..<close]), let label = labels[String(path[..<open])] {
            return "\(label) 第 \(index + 1) 项"
        }
        if let dot = path.lastIndex(of: ".") { return label(String(path[..<dot])) + " · " + path[path.index(after: dot)...] }
        return path
    }
}

extension ApplicationContext {
    func versionApplication(_ version: ApplicationVersion) throws -> PolicyKit.Application {
        try ApplicationReader.read(Data(version.document.utf8), round: round)
    }

    func sections(of application: PolicyKit.Application) -> [FormSection] {
        ApplicationFormBuilder(round: round, spec: spec, application: application, submitted: nil, errors: [:], editable: false).sections()
    }

    func versionSummaries(_ versions: [ApplicationVersion], base: String) -> [VersionSummary] {
        versions.map { VersionSummary(number: $0.number, submitted: $0.submittedAt.map { DateText.minute($0, timeZone: round.timeZone) } ?? "",
                                      href: "\(base)/versions/\($0.number)") }
    }

    func itemTitle(_ item: String) -> String {
        round.attachments(for: spec).first { $0.id == item }?.title ?? item
    }

    /// The latest version against the one before it, when the one before was returned; nil otherwise.
    func revisionPanel(_ versions: [ApplicationVersion], notes: [ReturnNote]) throws -> RevisionPanel? {
        guard versions.count >= 2 else { return nil }
        let old = versions[versions.count - 2], new = versions[versions.count - 1]
        let returnedNotes = notes.filter { $0.version == old.number }
        let before = try versionApplication(old), after = try versionApplication(new)
        let encoder = JSONEncoder()
        let beforeJSON = try JSONDecoder().decode(JSONValue.self, from: encoder.encode(before))
        let afterJSON = try JSONDecoder().decode(JSONValue.self, from: encoder.encode(after))
        let labels = FieldLabels(sections: [sections(of: before), sections(of: after)])
        let changes = DocumentDiff.changes(before: beforeJSON, after: afterJSON, ignoring: ["attachments", "round"]).map {
            ChangeRow(label: labels.label($0.path), before: $0.before ?? "（空）", after: $0.after ?? "（空）")
        }
        let oldFiles = old.fileSnapshots, newFiles = new.fileSnapshots
        let oldKeys = Set(oldFiles.map { "\($0.item)|\($0.sha256)" }), newKeys = Set(newFiles.map { "\($0.item)|\($0.sha256)" })
        let files = newFiles.filter { !oldKeys.contains("\($0.item)|\($0.sha256)") }.map { FileChange(item: itemTitle($0.item), name: $0.name, change: "新上传") }
            + oldFiles.filter { !newKeys.contains("\($0.item)|\($0.sha256)") }.map { FileChange(item: itemTitle($0.item), name: $0.name, change: "已删除") }
        return RevisionPanel(fromVersion: old.number, toVersion: new.number,
                             notes: returnedNotes.map { NoteRow(target: $0.target, label: $0.targetLabel, text: $0.text) },
                             changes: changes, files: files)
    }

    /// One submitted version, read-only, for the reviewer's or the enterprise's page.
    func versionPage(_ req: Request, number: Int, base: String, breadcrumbs: [(String, String?)]) async throws -> VersionPage {
        let id = try stored.requireID()
        guard let version = try await ApplicationVersion.query(on: req.db).filter(\.$application.$id == id).filter(\.$number == number).first() else {
            throw Abort(.notFound, reason: "该版本不存在")
        }
        let submitted = version.submittedAt.map { DateText.minute($0, timeZone: round.timeZone) } ?? ""
        let heading = "第 \(number) 版（\(submitted) 提交）"
        return VersionPage(
            chrome: req.chrome(heading, breadcrumbs: breadcrumbs + [(heading, nil)], organisation: req.organisationName ?? enterprise.name),
            id: id.uuidString, number: number, submitted: submitted, heading: heading,
            sections: sections(of: try versionApplication(version)),
            files: version.fileSnapshots.map { FileChange(item: itemTitle($0.item), name: $0.name, change: String($0.sha256.prefix(12))) },
            backHref: base)
    }
}

/// What a reviewer may name when returning: every field of the form and every upload item.
enum ReturnTargets {
    static func options(sections: [FormSection], attachments: [AttachmentSpec]) -> [SelectOption] {
        sections.flatMap { section in
            section.fields.map { SelectOption(value: $0.name, label: $0.label, selected: false, group: section.title) }
        } + [SelectOption(value: "commitmentAccepted", label: "承诺书", selected: false, group: "承诺书")]
            + attachments.filter { $0.source == .upload }.map { SelectOption(value: "attachment:\($0.id)", label: $0.title, selected: false, group: "附件") }
    }
}

extension [FormSection] {
    /// The same sections with the city's notes beside the fields they name.
    func annotated(with notes: [String: String]) -> [FormSection] {
        map { section in
            var section = section
            section.fields = section.fields.map { field in
                var field = field
                field.reviewNote = notes[field.name]
                return field
            }
            return section
        }
    }
}
