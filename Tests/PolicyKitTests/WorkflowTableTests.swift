import Foundation
import Testing
@testable import PolicyKit

@Suite("流转表：每个状态 × 操作 × 角色")
struct WorkflowTableTests {
    /// Where each permitted (action, role, status) leads, written out by hand from the SPEC and the notice rather than
    /// read from the table: `.some(nil)` means allowed with the status unchanged; absent means not permitted.
    static let expected: [WorkflowAction: [Role: [ApplicationStatus: ApplicationStatus?]]] = [
        .edit: [.enterprise: [.draft: nil, .returned: nil, .withdrawn: nil]],
        .submit: [.enterprise: [.draft: .submitted, .returned: .submitted, .withdrawn: .submitted]],
        .withdraw: [.enterprise: [.submitted: .withdrawn, .cityReviewing: .withdrawn]],
        .requestWithdrawal: [.enterprise: [.submitted: .withdrawalRequested, .cityReviewing: .withdrawalRequested]],
        .grantWithdrawal: [.cityReviewer: [.withdrawalRequested: .withdrawn]],
        .refuseWithdrawal: [.cityReviewer: [.withdrawalRequested: .cityReviewing]],
        .returnForRevision: [.cityReviewer: [.submitted: .returned, .cityReviewing: .returned]],
        .recordInspection: [.cityReviewer: [.submitted: .cityReviewing, .cityReviewing: nil]],
        .approve: [.cityReviewer: [.submitted: .cityApproved, .cityReviewing: .cityApproved]],
        .decline: [.cityReviewer: [.submitted: .cityDeclined, .cityReviewing: .cityDeclined]],
        .forward: [.cityReviewer: [.cityApproved: .forwarded]],
        .proposeReward: [.divisionReviewer: [.forwarded: .proposedReward, .divisionReviewing: .proposedReward]],
        .refuseReward: [.divisionReviewer: [.forwarded: .notRewarded, .divisionReviewing: .notRewarded]],
    ]

    static let deadline = Date(timeIntervalSince1970: 1_700_000_000)

    /// Facts under which every condition holds for the given action.
    static func satisfied(for action: WorkflowAction, status: ApplicationStatus) -> WorkflowFacts {
        WorkflowFacts(now: deadline.addingTimeInterval(-3600), deadline: deadline, timeZone: "Asia/Shanghai", verdict: eligibleVerdict,
                      cityHasStarted: action == .requestWithdrawal || status == .cityReviewing ? true : false,
                      inspection: .compliant, comment: "理由")
    }

    static let eligibleVerdict = Verdict(status: .eligible, summary: "", round: "r", programme: "p", direction: "d", results: [], missing: [],
                                         routing: nil, reviewAuthority: nil, tier: nil, facts: [], warnings: [])

    @Test("每个状态 × 每个操作 × 每个角色：允许的去向与手写的期望一致，其余都被拒绝并说明原因")
    func exhaustive() {
        var checked = 0
        for action in WorkflowAction.allCases {
            for role in Role.allCases {
                for status in ApplicationStatus.allCases {
                    let decision = Workflow.decide(action, by: role, from: status, facts: Self.satisfied(for: action, status: status))
                    let expected = Self.expected[action]?[role].flatMap { $0.keys.contains(status) ? .some($0[status]!) : nil }
                    // cityReviewing means the city has started, so a direct 撤回 there is refused by a condition, not the table.
                    if action == .withdraw && status == .cityReviewing && role == .enterprise {
                        #expect(decision.problems.first?.contains("撤回须向审核单位提出申请") == true)
                    } else if let expected {
                        #expect(decision == .allowed(to: expected), "\(action) \(role) \(status)")
                    } else {
                        #expect(!decision.problems.isEmpty, "\(action) \(role) \(status) should be refused")
                        let roleMayAct = Self.expected[action]?[role] != nil
                        #expect(decision.problems[0] == (roleMayAct ? "当前状态为“\(status.label)”，不能\(action.label)" : "\(role.label)账号不能\(action.label)"))
                    }
                    #expect(Workflow.offers(action, to: role, in: status) == (Self.expected[action]?[role]?.keys.contains(status) ?? false))
                    checked += 1
                }
            }
        }
        #expect(checked == WorkflowAction.allCases.count * Role.allCases.count * ApplicationStatus.allCases.count)
    }

    @Test("每个操作都在期望表中，表中每一行都能走到")
    func everyRowCovered() {
        #expect(Set(Self.expected.keys) == Set(WorkflowAction.allCases))
        for row in Workflow.table {
            for role in row.roles {
                for status in row.from {
                    #expect(Workflow.transition(row.action, by: role, from: status)?.to == row.to)
                }
            }
        }
    }

    @Test("提交：截止、不符合条件和缺项一次全部列出")
    func submitReasonsAtOnce() {
        let failed = RuleResult(ruleId: "x", clause: "一", clauseText: "", subject: "营业收入", threshold: nil, value: nil, passed: false, message: "营业收入低于 3 亿元")
        var verdict = Self.eligibleVerdict
        verdict.status = .ineligible
        verdict.results = [failed]
        verdict.missing = [InputProblem(path: "content.a", message: "请填写项目名称")]
        let facts = WorkflowFacts(now: Self.deadline.addingTimeInterval(60), deadline: Self.deadline, timeZone: "Asia/Shanghai", verdict: verdict)
        #expect(Workflow.decide(.submit, by: .enterprise, from: .draft, facts: facts).problems == [
            "申报已于 2023-11-15 06:13 截止", "不符合条件：营业收入低于 3 亿元", "请填写项目名称",
        ])
        #expect(Workflow.decide(.submit, by: .enterprise, from: .submitted, facts: facts).problems == [
            "当前状态为“已提交”，不能提交", "申报已于 2023-11-15 06:13 截止",
        ])
    }

    @Test("审核通过须有结论为“是”的现场核查；不予推荐、处室决定、报送须写意见")
    func conditions() {
        var facts = Self.satisfied(for: .approve, status: .cityReviewing)
        facts.inspection = .none
        #expect(Workflow.decide(.approve, by: .cityReviewer, from: .submitted, facts: facts).problems == ["审核通过前须记录现场核查"])
        facts.inspection = .notCompliant
        #expect(Workflow.decide(.approve, by: .cityReviewer, from: .cityReviewing, facts: facts).problems == ["现场核查结论为“否”，不能审核通过"])
        facts.comment = ""
        #expect(Workflow.decide(.decline, by: .cityReviewer, from: .cityReviewing, facts: facts).problems == ["请写明不予推荐的理由"])
        #expect(Workflow.decide(.proposeReward, by: .divisionReviewer, from: .forwarded, facts: facts).problems == ["请填写处室审核意见"])
        #expect(Workflow.decide(.forward, by: .cityReviewer, from: .cityApproved, facts: facts).problems == ["请填写审核意见"])
        #expect(Workflow.decide(.refuseWithdrawal, by: .cityReviewer, from: .withdrawalRequested, facts: facts).problems == ["请写明不同意撤回的理由"])
    }

    @Test("撤回：市里开始审核前直接撤回回到可修改状态；开始后须申请，由市里决定")
    func withdrawal() {
        let notStarted = WorkflowFacts(now: Self.deadline, deadline: Self.deadline, timeZone: "Asia/Shanghai", cityHasStarted: false, comment: "数据有误")
        let started = WorkflowFacts(now: Self.deadline, deadline: Self.deadline, timeZone: "Asia/Shanghai", cityHasStarted: true, comment: "数据有误")
        #expect(Workflow.decide(.withdraw, by: .enterprise, from: .submitted, facts: notStarted) == .allowed(to: .withdrawn))
        #expect(ApplicationStatus.withdrawn.isEditableByEnterprise)
        #expect(Workflow.decide(.withdraw, by: .enterprise, from: .submitted, facts: started).problems.first?.contains("向审核单位提出申请") == true)
        #expect(Workflow.decide(.requestWithdrawal, by: .enterprise, from: .submitted, facts: notStarted).problems == ["审核单位尚未开始审核，可以直接撤回"])
        #expect(Workflow.decide(.requestWithdrawal, by: .enterprise, from: .cityReviewing, facts: started) == .allowed(to: .withdrawalRequested))
        var silent = started
        silent.comment = ""
        #expect(Workflow.decide(.requestWithdrawal, by: .enterprise, from: .cityReviewing, facts: silent).problems == ["请写明申请撤回的理由"])
    }
}

@Suite("同一草稿的两处修改逐项合并")
struct DocumentMergeTests {
    func json(_ text: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    @Test("双方改了不同字段：合并；一方删除的字段被删除")
    func disjoint() throws {
        let base = try json(#"{"projectName":"甲","content":{"a":"1","b":"2","c":"3"},"rows":[1,2]}"#)
        let theirs = try json(#"{"projectName":"乙","content":{"a":"1","b":"2","c":"3"},"rows":[1,2]}"#)
        let mine = try json(#"{"projectName":"甲","content":{"a":"9","b":"2"},"rows":[1,2,3]}"#)
        #expect(DocumentMerge.merge(base: base, theirs: theirs, mine: mine)
            == .merged(try json(#"{"projectName":"乙","content":{"a":"9","b":"2"},"rows":[1,2,3]}"#)))
    }

    @Test("双方把同一字段改成不同的值：冲突，列出字段；改成相同的值不算冲突")
    func conflicting() throws {
        let base = try json(#"{"content":{"a":"1","rows":[1]},"projectName":"甲"}"#)
        let theirs = try json(#"{"content":{"a":"2","rows":[2]},"projectName":"乙"}"#)
        let mine = try json(#"{"content":{"a":"3","rows":[3]},"projectName":"乙"}"#)
        #expect(DocumentMerge.merge(base: base, theirs: theirs, mine: mine) == .conflicts(["content.a", "content.rows"]))
        #expect(DocumentMerge.merge(base: base, theirs: theirs, mine: theirs) == .merged(theirs))
        #expect(DocumentMerge.merge(base: base, theirs: base, mine: mine) == .merged(mine))
    }
}
