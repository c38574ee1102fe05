import Foundation

/// The life of an application (SPEC “Life of an application”).
public enum ApplicationStatus: String, Codable, Sendable, CaseIterable {
    case draft
    case submitted
    case cityReviewing
    case returned
    case cityApproved
    case cityDeclined
    case forwarded
    case divisionReviewing
    case proposedReward
    case notRewarded
    case withdrawn
    case withdrawalRequested

    public var label: String {
        switch self {
        case .draft: "草稿"
        case .submitted: "已提交"
        case .cityReviewing: "市级审核中"
        case .returned: "退回修改"
        case .cityApproved: "市级通过"
        case .cityDeclined: "市级不予推荐"
        case .forwarded: "已报省厅"
        case .divisionReviewing: "处室审核"
        case .proposedReward: "拟奖励"
        case .notRewarded: "不予奖励"
        case .withdrawn: "已撤回"
        case .withdrawalRequested: "申请撤回"
        }
    }

    /// The enterprise may change the application only while it is in its hands (the transition table decides).
    public var isEditableByEnterprise: Bool { Workflow.offers(.edit, to: .enterprise, in: self) }
}

/// What the city records at a 现场核查 (notice 二: 企业承诺、市县核实).
public enum InspectionRules {
    public static let maximumDescriptionLength = 200

    /// Field → message for a 现场核查 record.
    public static func problems(compliant: Bool?, description: String, leader: String, inspectedOn: String) -> [String: String] {
        var problems: [String: String] = [:]
        if compliant == nil { problems["compliant"] = "请选择核查结论（是或否）" }
        let length = description.trimmingCharacters(in: .whitespacesAndNewlines).count
        if length == 0 { problems["description"] = "请填写情况描述" }
        if length > maximumDescriptionLength { problems["description"] = "情况描述不能超过 \(maximumDescriptionLength) 字，现为 \(length) 字" }
        if leader.trimmingCharacters(in: .whitespaces).isEmpty { problems["leader"] = "请填写核查组组长" }
        if CalendarDate(inspectedOn) == nil { problems["inspectedOn"] = "请填写核查日期，例如 2023-10-20" }
        return problems
    }
}

/// Extending a round's deadline (the admin's “延期”).
public enum DeadlineRules {
    /// Reads “2027-12-31T23:59” (an HTML datetime-local value) or “2027-12-31 23:59” in the round's time zone.
    public static func parse(_ text: String, timeZone: String) -> Date? {
        let normalised = text.replacingOccurrences(of: " ", with: "T")
        let parts = normalised.split(separator: "T")
        guard parts.count == 2, let day = CalendarDate(String(parts[0])) else { return nil }
        let time = parts[1].split(separator: ":").compactMap { Int($0) }
        guard time.count >= 2, (0...23).contains(time[0]), (0...59).contains(time[1]) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(secondsFromGMT: 8 * 3600)!
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day, hour: time[0], minute: time[1], second: time[1] == 59 ? 59 : 0))
    }

    /// Nil when `proposed` may replace `current`; a deadline is only ever moved later.
    public static func extensionProblem(current: Date, proposed: Date?, timeZone: String) -> String? {
        guard let proposed else { return "请按 2027-12-31 23:59 的格式填写新的截止时间" }
        guard proposed > current else { return "新的截止时间须晚于当前截止时间 \(DateText.minute(current, timeZone: timeZone))" }
        return nil
    }
}

/// A return for revision: a general comment and/or comments on particular fields and attachments.
public enum ReturnRules {
    public static let maximumNotes = 20
    public static let maximumNoteLength = 500

    /// `notes` are (target, text) pairs as entered, blank rows included; `targets` the fields and attachments one may name.
    public static func problems(comment: String, notes: [(target: String, text: String)], targets: Set<String>) -> [String: String] {
        var problems: [String: String] = [:]
        let filled = notes.enumerated().filter { !$0.element.target.isEmpty || !$0.element.text.isEmpty }
        for (index, note) in filled {
            if note.target.isEmpty {
                problems["note\(index)"] = "第 \(index + 1) 条意见请选择所针对的内容"
            } else if !targets.contains(note.target) {
                problems["note\(index)"] = "第 \(index + 1) 条意见所针对的内容不存在"
            } else if note.text.isEmpty {
                problems["note\(index)"] = "第 \(index + 1) 条意见请写明需要修改的内容"
            } else if note.text.count > maximumNoteLength {
                problems["note\(index)"] = "第 \(index + 1) 条意见不能超过 \(maximumNoteLength) 字"
            }
        }
        if filled.count > maximumNotes { problems["notes"] = "逐项意见最多 \(maximumNotes) 条" }
        if comment.isEmpty && filled.isEmpty { problems["comment"] = "请写明需要修改的内容" }
        return problems
    }
}
