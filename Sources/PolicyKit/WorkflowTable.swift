import Foundation

/// Everything a person can do to an application. Each is one or more rows of `Workflow.table`.
public enum WorkflowAction: String, Codable, Sendable, CaseIterable {
    /// Save the form, upload or remove an attachment.
    case edit
    case submit
    /// 撤回 before the city has started: back to the enterprise, editable.
    case withdraw
    /// 申请撤回 once the city has started (a 现场核查 or a return exists): the city decides.
    case requestWithdrawal
    case grantWithdrawal
    case refuseWithdrawal
    case returnForRevision
    case recordInspection
    case approve
    case decline
    /// 市报省: in a 汇总批次 with the city's 审核意见.
    case forward
    case proposeReward
    case refuseReward

    public var label: String {
        switch self {
        case .edit: "修改"
        case .submit: "提交"
        case .withdraw: "撤回"
        case .requestWithdrawal: "申请撤回"
        case .grantWithdrawal: "同意撤回"
        case .refuseWithdrawal: "不同意撤回"
        case .returnForRevision: "退回修改"
        case .recordInspection: "记录现场核查"
        case .approve: "审核通过"
        case .decline: "作出不予推荐决定"
        case .forward: "报送省厅"
        case .proposeReward: "作出拟奖励决定"
        case .refuseReward: "作出不予奖励决定"
        }
    }
}

/// What the rules look at besides status and role, gathered by the caller before it asks.
public struct WorkflowFacts: Sendable {
    public enum Inspection: Sendable, Equatable {
        case none, compliant, notCompliant
    }

    public var now: Date
    public var deadline: Date
    public var timeZone: String
    /// The self-check; only `submit` reads it.
    public var verdict: Verdict?
    /// The city has recorded a 现场核查 or returned the application at least once.
    public var cityHasStarted: Bool
    /// The latest 现场核查.
    public var inspection: Inspection
    /// The comment, reason or opinion given with the action, trimmed.
    public var comment: String

    public init(now: Date, deadline: Date, timeZone: String, verdict: Verdict? = nil, cityHasStarted: Bool = false,
                inspection: Inspection = .none, comment: String = "") {
        self.now = now
        self.deadline = deadline
        self.timeZone = timeZone
        self.verdict = verdict
        self.cityHasStarted = cityHasStarted
        self.inspection = inspection
        self.comment = comment
    }
}

/// A condition of a transition, with the sentence that explains it when it does not hold.
public enum WorkflowRequirement: Sendable, Equatable {
    case beforeDeadline
    /// The self-check passes and nothing is missing.
    case eligible
    case cityNotStarted
    case cityStarted
    /// The latest 现场核查 exists and its verdict is 是.
    case compliantInspection
    /// A comment must be given; the message says which.
    case comment(String)

    public func problems(_ facts: WorkflowFacts) -> [String] {
        switch self {
        case .beforeDeadline:
            facts.now > facts.deadline ? ["申报已于 \(DateText.minute(facts.deadline, timeZone: facts.timeZone)) 截止"] : []
        case .eligible:
            (facts.verdict?.failedResults.map { "不符合条件：\($0.message)" } ?? ["尚未完成自检"]) + (facts.verdict?.missing.map(\.message) ?? [])
        case .cityNotStarted:
            facts.cityHasStarted ? ["审核单位已开始审核（已记录现场核查或曾退回修改），撤回须向审核单位提出申请，由审核单位决定"] : []
        case .cityStarted:
            facts.cityHasStarted ? [] : ["审核单位尚未开始审核，可以直接撤回"]
        case .compliantInspection:
            switch facts.inspection {
            case .none: ["审核通过前须记录现场核查"]
            case .notCompliant: ["现场核查结论为“否”，不能审核通过"]
            case .compliant: []
            }
        case .comment(let message):
            facts.comment.isEmpty ? [message] : []
        }
    }
}

/// One row of the transition table: who may take `action` from which statuses, where it leads, and on what conditions.
public struct WorkflowTransition: Sendable {
    public var action: WorkflowAction
    public var roles: Set<Role>
    public var from: Set<ApplicationStatus>
    /// Nil: the status stays as it is.
    public var to: ApplicationStatus?
    public var requirements: [WorkflowRequirement]
}

/// The answer to “may this person do this now”: where the application goes, or every reason it may not, in Chinese.
public enum WorkflowDecision: Sendable, Equatable {
    case allowed(to: ApplicationStatus?)
    case refused([String])

    public var problems: [String] {
        if case .refused(let problems) = self { return problems }
        return []
    }
}

/// Who may do what, when (SPEC “Life of an application”; notice 二 for the city's 核实 and 五 for the process).
/// A new action or role is a row here; the services ask `decide` and nothing else.
public enum Workflow {
    public static let table: [WorkflowTransition] = [
        WorkflowTransition(action: .edit, roles: [.enterprise], from: [.draft, .returned, .withdrawn], to: nil, requirements: []),
        WorkflowTransition(action: .submit, roles: [.enterprise], from: [.draft, .returned, .withdrawn], to: .submitted,
                           requirements: [.beforeDeadline, .eligible]),
        WorkflowTransition(action: .withdraw, roles: [.enterprise], from: [.submitted, .cityReviewing], to: .withdrawn,
                           requirements: [.cityNotStarted]),
        WorkflowTransition(action: .requestWithdrawal, roles: [.enterprise], from: [.submitted, .cityReviewing], to: .withdrawalRequested,
                           requirements: [.cityStarted, .comment("请写明申请撤回的理由")]),
        WorkflowTransition(action: .grantWithdrawal, roles: [.cityReviewer], from: [.withdrawalRequested], to: .withdrawn, requirements: []),
        WorkflowTransition(action: .refuseWithdrawal, roles: [.cityReviewer], from: [.withdrawalRequested], to: .cityReviewing,
                           requirements: [.comment("请写明不同意撤回的理由")]),
        WorkflowTransition(action: .returnForRevision, roles: [.cityReviewer], from: [.submitted, .cityReviewing], to: .returned, requirements: []),
        WorkflowTransition(action: .recordInspection, roles: [.cityReviewer], from: [.submitted], to: .cityReviewing, requirements: []),
        WorkflowTransition(action: .recordInspection, roles: [.cityReviewer], from: [.cityReviewing], to: nil, requirements: []),
        WorkflowTransition(action: .approve, roles: [.cityReviewer], from: [.submitted, .cityReviewing], to: .cityApproved,
                           requirements: [.compliantInspection]),
        WorkflowTransition(action: .decline, roles: [.cityReviewer], from: [.submitted, .cityReviewing], to: .cityDeclined,
                           requirements: [.comment("请写明不予推荐的理由")]),
        WorkflowTransition(action: .forward, roles: [.cityReviewer], from: [.cityApproved], to: .forwarded,
                           requirements: [.comment("请填写审核意见")]),
        WorkflowTransition(action: .proposeReward, roles: [.divisionReviewer], from: [.forwarded, .divisionReviewing], to: .proposedReward,
                           requirements: [.comment("请填写处室审核意见")]),
        WorkflowTransition(action: .refuseReward, roles: [.divisionReviewer], from: [.forwarded, .divisionReviewing], to: .notRewarded,
                           requirements: [.comment("请填写处室审核意见")]),
    ]

    /// The row for this action, role and status, if any.
    public static func transition(_ action: WorkflowAction, by role: Role, from status: ApplicationStatus) -> WorkflowTransition? {
        table.first { $0.action == action && $0.roles.contains(role) && $0.from.contains(status) }
    }

    /// Whether the role may take the action in this status at all (which buttons a page shows); conditions are not checked.
    public static func offers(_ action: WorkflowAction, to role: Role, in status: ApplicationStatus) -> Bool {
        transition(action, by: role, from: status) != nil
    }

    /// Allowed with the status it leads to, or refused with every reason at once.
    public static func decide(_ action: WorkflowAction, by role: Role, from status: ApplicationStatus, facts: WorkflowFacts) -> WorkflowDecision {
        guard table.contains(where: { $0.action == action && $0.roles.contains(role) }) else {
            return .refused(["\(role.label)账号不能\(action.label)"])
        }
        guard let row = transition(action, by: role, from: status) else {
            var problems = ["当前状态为“\(status.label)”，不能\(action.label)"]
            // Conditions that would still stand in the way are worth knowing too (a deadline, say), but not ones about the status.
            let conditions = table.filter { $0.action == action && $0.roles.contains(role) }.flatMap(\.requirements)
            if conditions.contains(.beforeDeadline) { problems += WorkflowRequirement.beforeDeadline.problems(facts) }
            return .refused(problems)
        }
        let problems = row.requirements.flatMap { $0.problems(facts) }
        return problems.isEmpty ? .allowed(to: row.to) : .refused(problems)
    }

    /// Submission problems for the enterprise's page: the same rule as `decide(.submit…)`, listed before the button.
    public static func submissionProblems(status: ApplicationStatus, facts: WorkflowFacts) -> [String] {
        decide(.submit, by: .enterprise, from: status, facts: facts).problems
    }
}
