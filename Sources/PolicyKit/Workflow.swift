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
        }
    }

    /// The enterprise may change the application only while it is in its hands.
    public var isEditableByEnterprise: Bool { self == .draft || self == .returned }

    /// The enterprise may withdraw until the city has decided.
    public var isWithdrawable: Bool { self == .submitted || self == .cityReviewing }
}

/// Whether an application may be submitted now, and if not, every reason at once.
public enum SubmissionRules {
    public static func problems(status: ApplicationStatus, verdict: Verdict, deadline: Date, now: Date, timeZone: String) -> [String] {
        var problems: [String] = []
        if !status.isEditableByEnterprise {
            problems.append("当前状态为“\(status.label)”，不能提交")
        }
        if now > deadline {
            problems.append("申报已于 \(DateText.minute(deadline, timeZone: timeZone)) 截止")
        }
        problems += verdict.failedResults.map { "不符合条件：\($0.message)" }
        problems += verdict.missing.map(\.message)
        return problems
    }
}
