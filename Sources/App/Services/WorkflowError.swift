import Foundation
import PolicyKit
import Vapor

/// Why a service did not do what it was asked, in Chinese. `ChineseErrorMiddleware` turns these into pages and JSON;
/// a controller that re-renders its form with the messages catches them first.
enum WorkflowError: Error, Sendable {
    /// Not there, or outside the actor's scope (the two are not told apart).
    case notFound(String)
    /// The transition table refused: every reason at once. `byStatus` when the status itself stands in the way.
    case refused(WorkflowAction, [String], byStatus: Bool)
    /// What was entered is wrong: a summary and field → message.
    case invalid(String, fields: [String: String])
    /// The application changed since the caller read it (another tab, a colleague); nothing was written.
    case staleRevision(EditConflict)
    /// The API write carried no revision (If-Match) to check against.
    case revisionRequired
    /// The action is not possible at all now (no open round, a deadline passed for creation).
    case unavailable(String)
}

extension WorkflowError {
    /// A sheet refused for its bad lines: the summary, and each line's message in the file's order.
    static func lines(_ summary: String, _ problems: [CreditBlacklist.LineProblem]) -> WorkflowError {
        .invalid(summary, fields: Dictionary(problems.enumerated().map { (String(format: "line%05d", $0.offset), $0.element.description) }) { first, _ in first })
    }
}

/// What the other writer did, for the message that offers to reload.
struct EditConflict: Sendable, Equatable {
    var currentRevision: Int
    var savedBy: String?
    var savedAt: Date?
    /// Fields both sides changed (form names), when a merge was tried.
    var fields: [String]
}

extension WorkflowError: AbortError {
    var status: HTTPResponseStatus {
        switch self {
        case .notFound: .notFound
        case .refused(_, _, let byStatus): byStatus ? .conflict : .unprocessableEntity
        case .invalid: .unprocessableEntity
        case .staleRevision: .conflict
        case .revisionRequired: .preconditionRequired
        case .unavailable: .conflict
        }
    }

    var reason: String {
        switch self {
        case .notFound(let message), .unavailable(let message): message
        case .refused(_, let problems, _): problems.joined(separator: "；")
        case .invalid(let summary, let fields): fields.isEmpty ? summary : summary + "：" + fields.keys.sorted().compactMap { fields[$0] }.joined(separator: "；")
        case .staleRevision(let conflict): conflict.message(timeZone: "Asia/Shanghai")
        case .revisionRequired: "请在 If-Match 请求头中带上读取申报时得到的 ETag，以免覆盖他人同时保存的修改"
        }
    }

    /// Every reason, for pages that list them.
    var problems: [String] {
        switch self {
        case .refused(_, let problems, _): problems
        default: [reason]
        }
    }
}

extension EditConflict {
    func message(timeZone: String) -> String {
        let who = savedBy.map { "“\($0)”" } ?? "他人"
        let when = savedAt.map { "于 \(DateText.minute($0, timeZone: timeZone)) " } ?? ""
        let what = fields.isEmpty ? "" : "，双方都改动了 \(fields.count) 处内容"
        return "此申报已由\(who)\(when)保存了新的修改\(what)。为免覆盖，本次未保存；您填写的内容仍在本页，请复制需要保留的内容后重新载入页面再修改。"
    }
}
