import Foundation

/// Where a rule, condition or name template reads its value: parsed once when an engine is built, not per application.
enum FieldPath: Sendable, Equatable {
    enum EnterpriseField: String, Sendable, CaseIterable {
        case creditCode, name, city, county, ownership, industryCategory, industry
        case inTransformationZone, independentLegalPerson, implementedInShanxi, noOtherProvincialFunds
    }

    case content(String)
    case enterprise(EnterpriseField)
    case revenueIncrease
    case revenueGrowth
    case subDirection
    case unknown

    init(_ path: String) {
        if path == "subDirection" {
            self = .subDirection
        } else if path.hasPrefix("content.") {
            self = .content(String(path.dropFirst("content.".count)))
        } else if path.hasPrefix("enterprise."), let field = EnterpriseField(rawValue: String(path.dropFirst("enterprise.".count))) {
            self = .enterprise(field)
        } else if path == "metric.revenueIncrease" {
            self = .revenueIncrease
        } else if path == "metric.revenueGrowth" {
            self = .revenueGrowth
        } else {
            self = .unknown
        }
    }

    var isKnown: Bool { self != .unknown }
}

extension Application {
    /// The value a rule or condition names: `content.x`, `enterprise.x`, `metric.revenueIncrease`, `subDirection`.
    public func value(at path: String, round: Round) -> FieldValue? {
        value(at: FieldPath(path), round: round)
    }

    func value(at path: FieldPath, round: Round) -> FieldValue? {
        switch path {
        case .content(let key): return content[key]
        case .subDirection: return subDirection.map(FieldValue.text)
        case .revenueIncrease: return revenueIncrease(round: round).map(FieldValue.number)
        case .revenueGrowth, .unknown: return nil
        case .enterprise(let field):
            switch field {
            case .creditCode: return enterprise.creditCode.map(FieldValue.text)
            case .name: return enterprise.name.map(FieldValue.text)
            case .city: return enterprise.city.map(FieldValue.text)
            case .county: return enterprise.county.map(FieldValue.text)
            case .ownership: return enterprise.ownership.map(FieldValue.text)
            case .industryCategory: return enterprise.industryCategory.map(FieldValue.text)
            case .industry: return enterprise.industry.map(FieldValue.text)
            case .inTransformationZone: return enterprise.inTransformationZone.map(FieldValue.bool)
            case .independentLegalPerson: return enterprise.independentLegalPerson.map(FieldValue.bool)
            case .implementedInShanxi: return enterprise.implementedInShanxi.map(FieldValue.bool)
            case .noOtherProvincialFunds: return enterprise.noOtherProvincialFunds.map(FieldValue.bool)
            }
        }
    }

    /// 营收增量 (万元) of the base period over the prior one.
    public func revenueIncrease(round: Round) -> FixedDecimal? {
        guard let change = revenueChange(round: round) else { return nil }
        return change.current - change.prior
    }

    /// 营收增速; nil where either year is missing or the prior year's revenue is not positive.
    public func revenueGrowth(round: Round) -> PercentChange? {
        revenueChange(round: round).flatMap { PercentChange(from: $0.prior, to: $0.current) }
    }

    func revenueChange(round: Round) -> (prior: FixedDecimal, current: FixedDecimal)? {
        let finance = round.finance
        guard let current = overview.finances[finance.basePeriod]?[finance.revenueItem],
              let prior = overview.finances[finance.priorPeriod]?[finance.revenueItem] else { return nil }
        return (prior, current)
    }
}

/// A `FieldCondition` with its path parsed.
struct CompiledCondition: Sendable {
    let path: FieldPath
    let values: [String]

    init(_ condition: FieldCondition) {
        path = FieldPath(condition.field)
        values = condition.values
    }

    func holds(for application: Application, round: Round) -> Bool {
        guard let actual = application.value(at: path, round: round) else { return false }
        switch actual {
        case .text(let text), .date(let text): return values.contains(text)
        case .bool(let flag): return values.contains(flag ? "true" : "false")
        case .number(let number): return values.contains(number.description)
        case .rows: return false
        }
    }
}

extension FieldCondition {
    /// Whether the application's value at `field` is one of `values` (a conditional attachment or field is needed now).
    public func holds(for application: Application, round: Round) -> Bool {
        CompiledCondition(self).holds(for: application, round: round)
    }
}
