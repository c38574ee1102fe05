import Foundation

/// The outcome of one 资格条件 for one application.
public struct RuleResult: Codable, Sendable, Equatable {
    public var ruleId: String
    public var clause: String
    public var clauseText: String
    public var subject: String
    /// The threshold as the notice states it, e.g. “≥ 3 亿元”.
    public var threshold: String?
    /// The applicant's value in the same unit, e.g. “2.90 亿元”.
    public var value: String?
    /// Nil when the value needed is missing.
    public var passed: Bool?
    /// A sentence a user understands.
    public var message: String
}

/// The 处室 of 附件4 an application goes to.
public struct RoutedDivision: Codable, Sendable, Equatable {
    public var row: Int
    public var label: String
    public var divisionId: String
    public var division: String
    public var contacts: [String]
    public var phone: String
}

public struct Fact: Codable, Sendable, Equatable {
    public var label: String
    public var value: String
}

public struct Verdict: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case eligible, ineligible, incomplete

        public var label: String {
            switch self {
            case .eligible: "符合申报条件"
            case .ineligible: "不符合申报条件"
            case .incomplete: "信息不完整"
            }
        }
    }

    public struct TierResult: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
    }

    public var status: Status
    public var summary: String
    public var round: String
    public var programme: String
    public var direction: String
    public var results: [RuleResult]
    /// What must still be filled in or attached before the application is complete.
    public var missing: [InputProblem]
    public var routing: RoutedDivision?
    public var reviewAuthority: ReviewAuthority?
    /// The reward tier where the notice has tiers (白名单 50 % / 100 %).
    public var tier: TierResult?
    public var facts: [Fact]
    public var warnings: [String]

    public var failedResults: [RuleResult] { results.filter { $0.passed == false } }
}
