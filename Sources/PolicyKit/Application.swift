import Foundation

/// A value of a direction's structured field (附件2 三（二）).
public enum FieldValue: Sendable, Equatable, Codable {
    case text(String)
    case number(FixedDecimal)
    case bool(Bool)
    /// An ISO date, yyyy-MM-dd.
    case date(String)
    case rows([[String: FieldValue]])

    public init(from decoder: Decoder) throws {
        let json = try JSONValue(from: decoder)
        switch json {
        case .bool(let value): self = .bool(value)
        case .number(let value):
            guard let fixed = FixedDecimal(exactly: value) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(value) 最多保留 4 位小数"))
            }
            self = .number(fixed)
        case .string(let value): self = .text(value)
        case .array(let rows):
            self = .rows(try rows.map { row in
                guard case .object(let cells) = row else {
                    throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "表格行应为对象"))
                }
                return try cells.compactMapValues { try FieldValue(json: $0) }
            })
        default:
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "不支持的字段值"))
        }
    }

    init?(json: JSONValue) throws {
        switch json {
        case .null: return nil
        case .bool(let value): self = .bool(value)
        case .number(let value):
            guard let fixed = FixedDecimal(exactly: value) else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "\(value) 最多保留 4 位小数"))
            }
            self = .number(fixed)
        case .string(let value): self = .text(value)
        default: throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "不支持的字段值"))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .text(let value), .date(let value): try c.encode(value)
        case .number(let value): try c.encode(value)
        case .bool(let value): try c.encode(value)
        case .rows(let rows): try c.encode(rows)
        }
    }

    public var text: String? {
        switch self {
        case .text(let value), .date(let value): value
        case .number(let value): value.description
        case .bool(let value): value ? "true" : "false"
        case .rows: nil
        }
    }

    public var number: FixedDecimal? {
        if case .number(let value) = self { return value }
        return nil
    }

    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var rows: [[String: FieldValue]]? {
        if case .rows(let value) = self { return value }
        return nil
    }
}

/// 企业（单位）情况: the 情况表 fields and the declarations of notice §一.
public struct EnterpriseProfile: Codable, Sendable, Equatable {
    public var creditCode: String?
    public var name: String?
    public var city: String?
    public var county: String?
    public var zone: String?
    public var inTransformationZone: Bool?
    public var ownership: String?
    public var industryCategory: String?
    public var industry: String?
    public var independentLegalPerson: Bool?
    public var implementedInShanxi: Bool?
    public var noOtherProvincialFunds: Bool?

    public init(
        creditCode: String? = nil, name: String? = nil, city: String? = nil, county: String? = nil,
        zone: String? = nil, inTransformationZone: Bool? = nil, ownership: String? = nil,
        industryCategory: String? = nil, industry: String? = nil, independentLegalPerson: Bool? = nil,
        implementedInShanxi: Bool? = nil, noOtherProvincialFunds: Bool? = nil
    ) {
        self.creditCode = creditCode
        self.name = name
        self.city = city
        self.county = county
        self.zone = zone
        self.inTransformationZone = inTransformationZone
        self.ownership = ownership
        self.industryCategory = industryCategory
        self.industry = industry
        self.independentLegalPerson = independentLegalPerson
        self.implementedInShanxi = implementedInShanxi
        self.noOtherProvincialFunds = noOtherProvincialFunds
    }
}

public struct Contact: Codable, Sendable, Equatable {
    public var name: String?
    public var mobile: String?

    public init(name: String? = nil, mobile: String? = nil) {
        self.name = name
        self.mobile = mobile
    }
}

/// 正文（一）申报单位概况.
public struct Overview: Codable, Sendable, Equatable {
    /// A figure of the enterprise's own choosing in the finance table: the notice's list is “包括但不限于” (附件2 三（一）3).
    public struct OtherFinance: Codable, Sendable, Equatable {
        /// As the enterprise names it, with its unit (“研发投入（万元）”).
        public var label: String
        /// period id → value.
        public var values: [String: FixedDecimal]

        public init(label: String, values: [String: FixedDecimal]) {
            self.label = label
            self.values = values
        }

        /// As the application file writes a row: `{"label": "研发投入（万元）", "2021": "3200", …}`.
        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            label = try container.decode(String.self, forKey: Key(stringValue: "label"))
            values = [:]
            for key in container.allKeys where key.stringValue != "label" {
                values[key.stringValue] = try container.decode(FixedDecimal.self, forKey: key)
            }
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(label, forKey: Key(stringValue: "label"))
            for (period, value) in values {
                try container.encode(value, forKey: Key(stringValue: period))
            }
        }
    }

    public var texts: [String: String]
    /// period id → item id → value (amounts in 万元, ratios in %).
    public var finances: [String: [String: FixedDecimal]]
    public var otherFinances: [OtherFinance]

    public init(texts: [String: String] = [:], finances: [String: [String: FixedDecimal]] = [:], otherFinances: [OtherFinance] = []) {
        self.texts = texts
        self.finances = finances
        self.otherFinances = otherFinances
    }
}

/// 绩效目标表.
public struct PerformanceTargets: Codable, Sendable, Equatable {
    public struct Indicator: Codable, Sendable, Equatable {
        public var level1: String
        public var level2: String
        public var name: String
        public var value: String

        public init(level1: String, level2: String, name: String, value: String) {
            self.level1 = level1
            self.level2 = level2
            self.name = name
            self.value = value
        }
    }
    /// funding source id → 万元.
    public var funding: [String: FixedDecimal]
    public var goals: [String]
    public var indicators: [Indicator]

    public init(funding: [String: FixedDecimal] = [:], goals: [String] = [], indicators: [Indicator] = []) {
        self.funding = funding
        self.goals = goals
        self.indicators = indicators
    }
}

extension PerformanceTargets {
    /// The reward applied for, in 万元: the table's 省级预算 row (“省级预算填写申请金额”, 绩效目标表 说明1).
    public var requestedAmount: FixedDecimal? { funding["provincial"] }
}

/// One file attached to a checklist item.
public struct AttachmentRef: Codable, Sendable, Equatable {
    public var item: String
    public var file: String

    public init(item: String, file: String) {
        self.item = item
        self.file = file
    }
}

/// 申报（一份）: one enterprise's application to one direction, in the shape of `docs/application-format.md`.
public struct Application: Codable, Sendable, Equatable {
    public var round: String
    public var programme: String?
    public var direction: String
    public var subDirection: String?
    public var projectName: String?
    public var enterprise: EnterpriseProfile
    public var contact: Contact
    public var overview: Overview
    public var content: [String: FieldValue]
    public var performanceTargets: PerformanceTargets
    public var attachments: [AttachmentRef]
    public var commitmentAccepted: Bool?

    public init(
        round: String, programme: String? = nil, direction: String, subDirection: String? = nil,
        projectName: String? = nil, enterprise: EnterpriseProfile = .init(), contact: Contact = .init(),
        overview: Overview = .init(), content: [String: FieldValue] = [:],
        performanceTargets: PerformanceTargets = .init(), attachments: [AttachmentRef] = [],
        commitmentAccepted: Bool? = nil
    ) {
        self.round = round
        self.programme = programme
        self.direction = direction
        self.subDirection = subDirection
        self.projectName = projectName
        self.enterprise = enterprise
        self.contact = contact
        self.overview = overview
        self.content = content
        self.performanceTargets = performanceTargets
        self.attachments = attachments
        self.commitmentAccepted = commitmentAccepted
    }
}
