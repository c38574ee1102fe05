import Foundation

/// 资格条件: one clause of the notice as a parameterised check.
/// Which parameters a kind needs is checked when the round is loaded (`RoundValidator`).
public struct EligibilityRule: Codable, Sendable, Identifiable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// A declaration or fact that must hold (`field` is true), optionally only `when` a condition holds.
        case isTrue
        /// A fact that must not hold (`field` is false).
        case isFalse
        /// `field` equals `value` (e.g. the recognition year is the base year).
        case equals
        /// `field` is one of `values`.
        case oneOf
        /// `field` ≥ `threshold` (以上 includes the number).
        case minimum
        /// The table `field` has at least `count` rows (matching `rowCondition` where given).
        case minimumRows
        /// The date `field` is on or before `date`.
        case onOrBefore
        /// The enterprise's 所属行业 is one of `values`.
        case industryIn
        /// The enterprise's 所属行业 is none of `values`.
        case industryNotIn
        /// The credit code is on none of the imported credit blacklists.
        case notBlacklisted
        /// Every month of the period grows year on year and some month reaches a tier (白名单).
        case monthlyGrowth
        /// The table `field` has a row whose `column` equals the value of `valueField`.
        case tableContains
        /// A declaration that never blocks but that reviewers must see: when `field` is true the verdict warns,
        /// quoting the clause (a reward not paid twice, 不重复支持, may still be applied for).
        case flag
        /// The amount `field` is at least the sum of `column` over the table `tableField` (a year's 产值 covers its
        /// months). A shortfall is an input to correct, not a reason to refuse.
        case atLeastColumnSum
    }

    /// Which rows count: those whose `column` is above `greaterThan`, or is the declaration `isTrue` (是/否).
    public struct RowCondition: Codable, Sendable {
        public var column: String
        public var greaterThan: FixedDecimal?
        public var isTrue: Bool?

        func holds(for row: [String: FieldValue]) -> Bool {
            if let limit = greaterThan, !(row[column]?.number.map { $0 > limit } ?? false) { return false }
            if let expected = isTrue, row[column]?.bool != expected { return false }
            return true
        }
    }

    public struct Tier: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        public var minimumPercent: FixedDecimal
    }

    public var id: String
    public var kind: Kind
    public var subject: String
    public var clause: String
    public var clauseText: String
    public var field: String?
    public var value: String?
    public var values: [String]?
    public var threshold: FixedDecimal?
    public var displayUnit: String?
    public var count: Int?
    public var unit: String?
    public var rowCondition: RowCondition?
    public var date: String?
    public var periodField: String?
    public var tiers: [Tier]?
    public var column: String?
    public var valueField: String?
    public var tableField: String?
    public var when: FieldCondition?
}
