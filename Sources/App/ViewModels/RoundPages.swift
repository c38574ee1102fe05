import Fluent
import Foundation
import PolicyKit
import Vapor

/// The pages `AdminController` renders.
extension AdminController {
    /// Every round file and every opened round, with what the admin may do to each.
    struct RoundPage: Encodable {
        struct Row: Encodable {
            var id: String
            var noticeNumber: String
            var title: String
            /// 未开启, 已开启 or 已关闭 (with when).
            var state: String
            var opened: Bool
            var closed: Bool
            var deadline: String
            /// Whether the file in 政策文件目录 is the one the round was opened with.
            var file: String
            /// What applying the changed file would change, one line each.
            var changes: [String]
            var current: Bool
        }

        var chrome: Chrome
        var rows: [Row]
        /// The open round the deadline form extends by default.
        var currentID: String?
        var form: Form
        var notice: String?
        var errors: [String: String]
    }

    /// What-if: a round file's rules over an opened round's applications, per direction.
    struct SimulationPage: Encodable {
        struct Line: Encodable {
            var direction: String
            var applications: Int
            var eligibleNow: Int
            var eligibleDraft: Int
            var change: String
            var amountNow: String
            var amountDraft: String
            var note: String?
        }

        var chrome: Chrome
        var drafts: [SelectOption]
        var sources: [SelectOption]
        /// “按 … 的条件重新判断 … 的申报”, once both are chosen.
        var heading: String?
        var lines: [Line]
        var error: String?
    }

    /// What the admin typed, kept when a form is refused.
    struct Form: Encodable {
        var round = ""
        var action = ""
        var deadline = ""
        var reason = ""
    }
}
