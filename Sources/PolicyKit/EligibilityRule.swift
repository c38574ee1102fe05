import Foundation

/// 资格条件: one clause of the notice as a parameterised check.
/// Which parameters a kind needs is checked when the round is loaded (`RoundValidator`).
public struct EligibilityRule: Codable, Sendable, Identifiable {
    public enum Kind: String, Codable, Sendable {
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
    }

    public struct RowCondition: Codable, Sendable {
        public var column: String
        public var greaterThan: Decimal
    }

    public struct Tier: Codable, Sendable, Equatable {
        public var id: String
        public var name: String
        public var minimumPercent: Decimal
    }

    public var id: String
    public var kind: Kind
    public var subject: String
    public var clause: String
    public var clauseText: String
    public var field: String?
    public var value: String?
    public var values: [String]?
    public var threshold: Decimal?
    public var displayUnit: String?
    public var count: Int?
    public var unit: String?
    public var rowCondition: RowCondition?
    public var date: String?
    public var periodField: String?
    public var tiers: [Tier]?
    public var column: String?
    public var valueField: String?
    public var when: FieldCondition?

    enum CodingKeys: String, CodingKey {
        case id, kind, subject, clause, clauseText, field, value, values, threshold, displayUnit, count, unit
        case rowCondition, date, periodField, tiers, column, valueField, when
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        kind = try c.decode(Kind.self, forKey: .kind)
        subject = try c.decode(String.self, forKey: .subject)
        clause = try c.decode(String.self, forKey: .clause)
        clauseText = try c.decode(String.self, forKey: .clauseText)
        field = try c.decodeIfPresent(String.self, forKey: .field)
        value = try c.decodeIfPresent(String.self, forKey: .value)
        values = try c.decodeIfPresent([String].self, forKey: .values)
        threshold = try c.decodeIfPresent(DecimalText.self, forKey: .threshold)?.value
        displayUnit = try c.decodeIfPresent(String.self, forKey: .displayUnit)
        count = try c.decodeIfPresent(Int.self, forKey: .count)
        unit = try c.decodeIfPresent(String.self, forKey: .unit)
        rowCondition = try c.decodeIfPresent(RowCondition.self, forKey: .rowCondition)
        date = try c.decodeIfPresent(String.self, forKey: .date)
        periodField = try c.decodeIfPresent(String.self, forKey: .periodField)
        tiers = try c.decodeIfPresent([Tier].self, forKey: .tiers)
        column = try c.decodeIfPresent(String.self, forKey: .column)
        valueField = try c.decodeIfPresent(String.self, forKey: .valueField)
        when = try c.decodeIfPresent(FieldCondition.self, forKey: .when)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(kind, forKey: .kind)
        try c.encode(subject, forKey: .subject)
        try c.encode(clause, forKey: .clause)
        try c.encode(clauseText, forKey: .clauseText)
        try c.encodeIfPresent(field, forKey: .field)
        try c.encodeIfPresent(value, forKey: .value)
        try c.encodeIfPresent(values, forKey: .values)
        try c.encodeIfPresent(threshold.map { DecimalText(value: $0) }, forKey: .threshold)
        try c.encodeIfPresent(displayUnit, forKey: .displayUnit)
        try c.encodeIfPresent(count, forKey: .count)
        try c.encodeIfPresent(unit, forKey: .unit)
        try c.encodeIfPresent(rowCondition, forKey: .rowCondition)
        try c.encodeIfPresent(date, forKey: .date)
        try c.encodeIfPresent(periodField, forKey: .periodField)
        try c.encodeIfPresent(tiers, forKey: .tiers)
        try c.encodeIfPresent(column, forKey: .column)
        try c.encodeIfPresent(valueField, forKey: .valueField)
        try c.encodeIfPresent(when, forKey: .when)
    }
}

extension EligibilityRule.RowCondition {
    enum CodingKeys: String, CodingKey { case column, greaterThan }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        column = try c.decode(String.self, forKey: .column)
        greaterThan = try c.decode(DecimalText.self, forKey: .greaterThan).value
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(column, forKey: .column)
        try c.encode(DecimalText(value: greaterThan), forKey: .greaterThan)
    }
}

extension EligibilityRule.Tier {
    enum CodingKeys: String, CodingKey { case id, name, minimumPercent }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        minimumPercent = try c.decode(DecimalText.self, forKey: .minimumPercent).value
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(DecimalText(value: minimumPercent), forKey: .minimumPercent)
    }
}

/// A decimal written in the policy file as a string (“30000”), so that no binary floating point is involved.
struct DecimalText: Codable {
    var value: Decimal

    init(value: Decimal) { self.value = value }

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        let text = try c.decode(String.self)
        guard let parsed = DecimalParser.parse(text) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "“\(text)”不是有效的数值")
        }
        value = parsed
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(DecimalFormat.plain(value))
    }
}
