import Foundation

/// One 申报批次: everything a notice fixes, loaded from `Policies/<id>.json`.
public struct Round: Codable, Sendable {
    public var format: Int
    public var id: String
    /// The round this one was derived from (a demo round with another deadline), by id.
    public var extends: String?
    public var noticeNumber: String
    public var title: String
    public var programmeTitle: String
    public var issuer: String
    public var issuedOn: String
    public var baseYear: Int
    public var deadline: Date
    public var timeZone: String
    public var supportMode: String
    public var generalRules: [EligibilityRule]
    public var generalAttachments: [AttachmentSpec]
    public var generalCommitments: [String]
    public var finance: FinanceSpec
    public var overviewTexts: [FieldSpec]
    public var performanceTargets: PerformanceTargetsSpec
    public var programmes: [Programme]
    public var divisions: [Division]
    public var vocabularies: Vocabularies
    public var locations: Locations
    /// 填表说明 printed under the 情况表 and the 汇总表 (附件3), one paragraph each, as the notice words them.
    public var summaryInstructions: [String]
    /// The notice's rules that span applications: exclusions, once-only rewards, duplicates.
    public var crossRules: [CrossRule]
}

/// A rule no single application can decide (附件1: 不重复支持, 只奖励1次 …), checked over all stored applications.
public struct CrossRule: Codable, Sendable, Identifiable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// One enterprise applying twice in one year to a direction for the same rewarded object.
        case duplicate
        /// `directions` are not rewarded to one enterprise in the same year together.
        case exclusive
        /// `directions` are not paid on top of an imported 链主/链上企业营业收入奖励 of the same year.
        case chainRevenueReward
        /// One reward a year per enterprise in `directions`; `field` names what each application is for.
        case oncePerYear
        /// The same `field` value is rewarded once ever (per enterprise when `perEnterprise`), across rounds.
        case onceEver
        /// One reward per enterprise ever in `directions`, across rounds.
        case oncePerEnterprise
        /// Applications handled by a supplementary routing row (a category 附件4 does not list): the admin settles them.
        case supplementaryRouting
    }

    public var id: String
    public var kind: Kind
    public var clause: String
    /// The notice's words, quoted in each finding and on the conflict report.
    public var text: String
    public var directions: [String]?
    public var field: String?
    public var perEnterprise: Bool?
}

public struct Programme: Codable, Sendable, Identifiable {
    public var id: String
    public var name: String
    public var directions: [Direction]
}

/// A 申报方向. Where the notice splits a direction (新型工业化载体), `subDirections` refine its fields and attachments.
public struct Direction: Codable, Sendable, Identifiable {
    public var id: String
    public var name: String
    public var clause: String
    public var scope: String
    public var projectNameRule: ProjectNameRule
    /// The field naming what is rewarded (a product, a certificate, a drug's approval, a period). Two applications of
    /// one enterprise to the direction in one year are duplicates only when it is the same; without it the enterprise
    /// itself is what is rewarded, once a year.
    public var rewardedObject: String?
    public var fields: [FieldSpec]?
    public var attachments: [AttachmentSpec]?
    public var subDirections: [SubDirection]?
    public var rules: [EligibilityRule]
    public var routing: [RoutingRow]
    public var commitments: [Commitment]?
    /// Figures the 申请报告 computes and prints at the head of 正文（二）.
    public var reportFigures: [ReportFigure]?
    /// What reviewers are reminded of on every application of the direction (how its tiers are settled).
    public var reviewNotes: [String]?
}

/// A direction-wide figure computed from the application (附件2 三（二）).
public enum ReportFigure: String, Codable, Sendable, CaseIterable {
    /// 企业所属行业, both years' 营业收入, the 营收增量 and the 营收增速, each with the inputs of its formula.
    case revenueChange
}

/// A figure printed with one field, computed from what was entered (附件2 三（二）).
public struct FieldFigure: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// Under a table: how many rows it has (获批数量).
        case rowCount
        /// After an amount: its share of the base year's 营业收入.
        case shareOfRevenue
        /// After an amount: its change from the amount field `from` (同比增长).
        case growth
        /// Under a monthly output table: the period's totals and their change.
        case periodTotal
    }

    public var kind: Kind
    public var label: String
    public var from: String?

    public init(kind: Kind, label: String, from: String? = nil) {
        self.kind = kind
        self.label = label
        self.from = from
    }
}

public struct SubDirection: Codable, Sendable, Identifiable {
    public var id: String
    public var name: String
    public var clauseText: String
    public var fields: [FieldSpec]
    public var attachments: [AttachmentSpec]
}

public struct Commitment: Codable, Sendable, Equatable {
    public var text: String
    public var clause: String
}

public enum FieldType: String, Codable, Sendable, CaseIterable {
    case text, longText, amount, percent, integer, year, date, bool, choice, table, creditCode
}

/// The longest text accepted anywhere, so that no input is stored or cut unbounded (docs/security.md lists them).
public enum TextLimits {
    /// Ids, codes, numbers written as text, choices, the project name, search keywords.
    public static let shortText = 200
    /// A `text` field without `maxLength` in the round file.
    public static let text = 500
    /// A `longText` field without `maxLength`.
    public static let longText = 5000
}

public struct FieldSpec: Codable, Sendable, Identifiable {
    public var id: String
    public var label: String
    public var type: FieldType
    public var required: Bool?
    public var options: [String]?
    /// Names a vocabulary of the round whose entries are the options (`pilotCategories`, `whitelistPeriods`).
    public var optionsFrom: String?
    public var help: String?
    public var maxLength: Int?
    /// `maxLength`, or the default of the type (`TextLimits`).
    public var lengthLimit: Int { maxLength ?? (type == .longText ? TextLimits.longText : TextLimits.text) }
    public var columns: [FieldSpec]?
    public var minRows: Int?
    /// Required only when the condition holds (and then regardless of `required`).
    public var requiredWhen: FieldCondition?
    public var figure: FieldFigure?
    /// A table long enough to be filled from a sheet (CSV, xlsx or cells pasted from Excel) rather than typed.
    public var importable: Bool?

    public init(
        id: String, label: String, type: FieldType, required: Bool? = nil, options: [String]? = nil, optionsFrom: String? = nil,
        help: String? = nil, maxLength: Int? = nil, columns: [FieldSpec]? = nil, minRows: Int? = nil,
        requiredWhen: FieldCondition? = nil, figure: FieldFigure? = nil
    ) {
        self.id = id
        self.label = label
        self.type = type
        self.required = required
        self.options = options
        self.optionsFrom = optionsFrom
        self.help = help
        self.maxLength = maxLength
        self.columns = columns
        self.minRows = minRows
        self.requiredWhen = requiredWhen
        self.figure = figure
    }

    /// Required whatever else was entered; a field with `requiredWhen` is not.
    public var isRequired: Bool { requiredWhen == nil && (required ?? true) }

    /// The unit shown beside a value, from the type.
    public var unit: String? {
        switch type {
        case .amount: "万元"
        case .percent: "%"
        default: nil
        }
    }
}

public enum AttachmentSource: String, Codable, Sendable, CaseIterable {
    /// Produced by the system (承诺书, 现场核查表, 绩效目标表).
    case generated
    /// Uploaded by the enterprise.
    case upload
}

public struct AttachmentSpec: Codable, Sendable, Identifiable {
    public var id: String
    public var title: String
    public var clause: String
    public var source: AttachmentSource
    public var required: Bool?
    public var requiredWhen: FieldCondition?
    /// When the item is needed and what fits, for the upload list.
    public var help: String?

    public var isRequired: Bool { required ?? true }
}

/// A condition on one application value, e.g. `content.stage` ∈ [临床批件].
public struct FieldCondition: Codable, Sendable {
    public var field: String
    public var values: [String]
}

public enum ProjectNameRuleKind: String, Codable, Sendable, CaseIterable {
    /// A fixed text such as “研发费用奖励”.
    case fixed
    /// Must equal a content field (the carrier's name, the drug's name).
    case field
    /// Must equal one row's column of a content table (仿制药 name among the varieties).
    case tableColumn
    /// A text with placeholders: `{industry}`, `{whitelistPeriod}`.
    case template
}

/// 项目名称 rule of 附件2 一（三）.
public struct ProjectNameRule: Codable, Sendable {
    public var kind: ProjectNameRuleKind
    public var value: String?
    public var field: String?
    public var column: String?
    public var template: String?
    public var description: String
}

/// One row of 附件4: who at the province handles applications matching `when`.
public struct RoutingRow: Codable, Sendable {
    public var row: Int
    public var label: String
    public var division: String
    public var contacts: [String]
    public var phone: String
    public var when: FieldCondition?
    /// Set on a row 附件4 does not have (a category the notice lets grow): why, and what the admin should settle.
    /// `row`, `division` and `contacts` are those of the 附件4 row it borrows. Such rows are not listed as 附件4.
    public var supplementary: String?
}

public struct Division: Codable, Sendable, Identifiable, Hashable {
    public var id: String
    public var name: String
}

public struct FinanceSpec: Codable, Sendable {
    public struct Period: Codable, Sendable, Identifiable {
        public var id: String
        public var label: String
    }
    public struct Item: Codable, Sendable, Identifiable {
        public var id: String
        public var label: String
        public var type: FieldType
    }
    public var periods: [Period]
    public var items: [Item]
    /// The item whose change from `priorPeriod` to `basePeriod` is the 营收增量.
    public var revenueItem: String
    public var basePeriod: String
    public var priorPeriod: String
}

public struct PerformanceTargetsSpec: Codable, Sendable {
    public struct FundingSource: Codable, Sendable, Identifiable {
        public var id: String
        public var label: String
        public var required: Bool?
        public var help: String?
    }
    public struct IndicatorLevel: Codable, Sendable {
        public var name: String
        public var secondLevel: [String]
    }
    public var fundingSources: [FundingSource]
    public var indicatorLevels: [IndicatorLevel]
    public var clause: String
}

public struct IndustryCategory: Codable, Sendable {
    public var name: String
    public var industries: [String]
    /// What the notice says an industry includes (“数字产业包括信创、数据中心等细分领域”), by industry.
    public var notes: [String: String]?
}

public struct PilotCategory: Codable, Sendable, Identifiable {
    public var id: String
    public var name: String
    public var group: String
}

public struct WhitelistPeriod: Codable, Sendable, Identifiable {
    public var id: String
    public var name: String
    /// Month labels in order; 2023's January and February are one combined row (“1-2月”).
    public var months: [String]
    public var year: Int
    public var note: String?
}

public struct Vocabularies: Codable, Sendable {
    public var ownership: [String]
    public var industryCategories: [IndustryCategory]
    public var consumerGoodsIndustries: [String]
    public var pilotCategories: [PilotCategory]
    public var whitelistPeriods: [WhitelistPeriod]
}

public struct County: Codable, Sendable, Identifiable, Hashable {
    public var code: String
    public var name: String
    public var id: String { code }
}

public struct City: Codable, Sendable, Identifiable {
    public var code: String
    public var name: String
    public var counties: [County]
    public var id: String { code }
}

/// A reviewing authority that is not a city bureau (山西转型综改示范区管委会).
public struct SpecialAuthority: Codable, Sendable, Identifiable {
    public var id: String
    public var name: String
    public var shortName: String
    public var zoneName: String
    public var hostCounties: [String]
}

public struct Locations: Codable, Sendable {
    public struct Province: Codable, Sendable {
        public var code: String
        public var name: String
    }
    public var province: Province
    public var cities: [City]
    public var specialAuthorities: [SpecialAuthority]
}
