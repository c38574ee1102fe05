import Foundation

/// Why a policy file cannot be used: the entry at fault and the reason, in Chinese.
public struct RoundError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var entry: String
    public var reason: String

    public init(file: String, entry: String, reason: String) {
        self.file = file
        self.entry = entry
        self.reason = reason
    }

    public var description: String {
        "政策文件 \(file) 有误：" + (entry.isEmpty ? reason : "\(entry)：\(reason)")
    }
}

/// Loads a round file, resolving `extends` (a demo round overriding a few keys of a real one), and validates it.
public enum RoundLoader {
    /// - Parameter resolve: reads another policy file by the name an `extends` gives.
    public static func load(_ data: Data, file: String, resolve: (String) throws -> Data) throws(RoundError) -> Round {
        var object = try topLevelObject(data, file: file)
        if case .string(let baseName)? = object["extends"] {
            let baseData: Data
            do {
                baseData = try resolve(baseName)
            } catch {
                throw RoundError(file: file, entry: "extends", reason: "找不到所继承的政策文件“\(baseName)”")
            }
            var base = try topLevelObject(baseData, file: baseName)
            guard case .string(let baseID)? = base["id"] else {
                throw RoundError(file: baseName, entry: "id", reason: "缺少批次编号")
            }
            for (key, value) in object where key != "extends" { base[key] = value }
            base["extends"] = .string(baseID)
            object = base
        }
        let round: Round
        do {
            let merged = try JSONEncoder().encode(JSONValue.object(object))
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .custom { decoder in
                let container = try decoder.singleValueContainer()
                let text = try container.decode(String.self)
                guard let date = ISO8601DateFormatter().date(from: text) else {
                    throw DecodingError.dataCorruptedError(in: container, debugDescription: "“\(text)”不是带时区的时间，应写作 2023-11-10T23:59:59+08:00")
                }
                return date
            }
            round = try decoder.decode(Round.self, from: merged)
        } catch let error as DecodingError {
            throw describe(error, file: file)
        } catch {
            throw RoundError(file: file, entry: "", reason: "\(error)")
        }
        try RoundValidator(round: round, file: file).validate()
        return round
    }

    static func topLevelObject(_ data: Data, file: String) throws(RoundError) -> [String: JSONValue] {
        let json: JSONValue
        do {
            json = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw RoundError(file: file, entry: "", reason: "不是有效的 JSON：\(error)")
        }
        guard case .object(let object) = json else {
            throw RoundError(file: file, entry: "", reason: "顶层应为对象")
        }
        return object
    }

    static func describe(_ error: DecodingError, file: String) -> RoundError {
        func path(_ codingPath: [CodingKey]) -> String {
            codingPath.reduce("") { text, key in
                if let index = key.intValue { return text + "[\(index)]" }
                return text.isEmpty ? key.stringValue : text + "." + key.stringValue
            }
        }
        switch error {
        case .keyNotFound(let key, let context):
            return RoundError(file: file, entry: path(context.codingPath + [key]), reason: "缺少此项")
        case .typeMismatch(let type, let context):
            return RoundError(file: file, entry: path(context.codingPath), reason: "类型不符，应为 \(type)")
        case .valueNotFound(let type, let context):
            return RoundError(file: file, entry: path(context.codingPath), reason: "不能为空，应为 \(type)")
        case .dataCorrupted(let context):
            return RoundError(file: file, entry: path(context.codingPath), reason: "取值无效：\(context.debugDescription)")
        @unknown default:
            return RoundError(file: file, entry: "", reason: "\(error)")
        }
    }
}

/// Checks the round's internal consistency: every reference resolves, every rule has its parameters.
struct RoundValidator {
    let round: Round
    let file: String

    func fail(_ entry: String, _ reason: String) -> RoundError {
        RoundError(file: file, entry: entry, reason: reason)
    }

    func validate() throws(RoundError) {
        guard round.format == 1 else { throw fail("format", "不支持的文件格式版本 \(round.format)") }
        guard TimeZone(identifier: round.timeZone) != nil else { throw fail("timeZone", "未知时区“\(round.timeZone)”") }
        try unique(round.programmes.map(\.id), "programmes")
        try unique(round.allDirections.map(\.direction.id), "programmes[].directions")
        try unique(round.divisions.map(\.id), "divisions")
        try validateVocabularies()
        try validateLocations()
        for (index, rule) in round.generalRules.enumerated() {
            try validate(rule, entry: "generalRules[\(index)]", fields: [])
        }
        try unique(round.generalAttachments.map(\.id), "generalAttachments")
        for (p, programme) in round.programmes.enumerated() {
            guard !programme.directions.isEmpty else { throw fail("programmes[\(p)].directions", "专项“\(programme.name)”没有申报方向") }
            for (d, direction) in programme.directions.enumerated() {
                try validate(direction, in: programme, entry: "programmes[\(p)].directions[\(d)]")
            }
        }
    }

    func unique(_ ids: [String], _ entry: String) throws(RoundError) {
        var seen = Set<String>()
        for id in ids where !seen.insert(id).inserted {
            throw fail(entry, "编号“\(id)”重复")
        }
    }

    func validateVocabularies() throws(RoundError) {
        let vocabularies = round.vocabularies
        try unique(vocabularies.industryCategories.flatMap(\.industries), "vocabularies.industryCategories")
        for industry in vocabularies.consumerGoodsIndustries where round.category(ofIndustry: industry) == nil {
            throw fail("vocabularies.consumerGoodsIndustries", "“\(industry)”不在行业分类中")
        }
        try unique(vocabularies.pilotCategories.map(\.id), "vocabularies.pilotCategories")
        for (index, period) in vocabularies.whitelistPeriods.enumerated() where period.months.isEmpty {
            throw fail("vocabularies.whitelistPeriods[\(index)].months", "申报期间没有月份")
        }
    }

    func validateLocations() throws(RoundError) {
        let cities = round.locations.cities
        guard !cities.isEmpty else { throw fail("locations.cities", "没有设区市") }
        try unique(cities.map(\.code), "locations.cities")
        try unique(cities.flatMap(\.counties).map(\.code), "locations.cities[].counties")
        for (index, city) in cities.enumerated() {
            guard city.code.count == 6, city.code.hasPrefix(round.locations.province.code.prefix(2)), city.code.hasSuffix("00") else {
                throw fail("locations.cities[\(index)].code", "“\(city.code)”不是本省设区市的 GB/T 2260 代码")
            }
            for (c, county) in city.counties.enumerated() where !(county.code.count == 6 && county.code.hasPrefix(city.code.prefix(4))) {
                throw fail("locations.cities[\(index)].counties[\(c)].code", "“\(county.code)”\(county.name)不属于\(city.name)（\(city.code)）")
            }
        }
        let allCounties = Set(cities.flatMap(\.counties).map(\.code))
        for (index, authority) in round.locations.specialAuthorities.enumerated() {
            for code in authority.hostCounties where !allCounties.contains(code) {
                throw fail("locations.specialAuthorities[\(index)].hostCounties", "未知的县级代码“\(code)”")
            }
        }
    }

    func validate(_ direction: Direction, in programme: Programme, entry: String) throws(RoundError) {
        let subs = direction.subDirections ?? []
        let variants: [DirectionSpec] = subs.isEmpty
            ? [DirectionSpec(programme: programme, direction: direction)]
            : subs.map { DirectionSpec(programme: programme, direction: direction, subDirection: $0) }
        try unique(subs.map(\.id), "\(entry).subDirections")
        for variant in variants {
            let variantEntry = variant.subDirection.map { sub in "\(entry).subDirections[\(subs.firstIndex { $0.id == sub.id }!)]" } ?? entry
            try unique(variant.fields.map(\.id), "\(variantEntry).fields")
            try unique(round.attachments(for: variant).map(\.id), "\(variantEntry).attachments")
            for (index, field) in variant.fields.enumerated() {
                try validate(field, entry: "\(variantEntry).fields[\(index)]")
                try validateFigure(field, entry: "\(variantEntry).fields[\(index)]", fields: variant.fields)
                if let condition = field.requiredWhen {
                    try validatePath(condition.field, entry: "\(variantEntry).fields[\(index)].requiredWhen", fields: variant.fields)
                }
            }
            for (index, attachment) in variant.ownAttachments.enumerated() {
                if let condition = attachment.requiredWhen {
                    try validatePath(condition.field, entry: "\(variantEntry).attachments[\(index)].requiredWhen", fields: variant.fields)
                }
            }
            for (index, rule) in direction.rules.enumerated() {
                try validate(rule, entry: "\(entry).rules[\(index)]", fields: variant.fields)
            }
            if let object = direction.rewardedObject {
                try validatePath(object, entry: "\(entry).rewardedObject", fields: variant.fields)
            }
            let nameRule = direction.projectNameRule
            switch nameRule.kind {
            case .fixed where nameRule.value == nil:
                throw fail("\(entry).projectNameRule.value", "固定项目名称缺少 value")
            case .field, .tableColumn:
                guard let field = nameRule.field else { throw fail("\(entry).projectNameRule.field", "缺少 field") }
                try validatePath(field, entry: "\(entry).projectNameRule.field", fields: variant.fields)
            case .template where nameRule.template == nil:
                throw fail("\(entry).projectNameRule.template", "缺少 template")
            default:
                break
            }
        }
        guard !direction.routing.isEmpty else { throw fail("\(entry).routing", "申报方向“\(direction.name)”没有附件4负责处室") }
        for (index, row) in direction.routing.enumerated() {
            guard round.division(row.division) != nil else {
                throw fail("\(entry).routing[\(index)].division", "未知处室“\(row.division)”")
            }
            if let condition = row.when {
                try validatePath(condition.field, entry: "\(entry).routing[\(index)].when", fields: variants.flatMap(\.fields))
            }
        }
    }

    func validate(_ field: FieldSpec, entry: String) throws(RoundError) {
        switch field.type {
        case .choice:
            if let source = field.optionsFrom {
                guard ["pilotCategories", "whitelistPeriods"].contains(source) else {
                    throw fail("\(entry).optionsFrom", "未知词表“\(source)”")
                }
            } else if (field.options ?? []).isEmpty {
                throw fail("\(entry).options", "选择项“\(field.label)”没有可选值")
            }
        case .table:
            guard let columns = field.columns, !columns.isEmpty else { throw fail("\(entry).columns", "表格“\(field.label)”没有列") }
            try unique(columns.map(\.id), "\(entry).columns")
            for (index, column) in columns.enumerated() {
                guard column.type != .table else { throw fail("\(entry).columns[\(index)]", "表格不能嵌套") }
                try validate(column, entry: "\(entry).columns[\(index)]")
            }
        default:
            break
        }
    }

    /// A figure is computed from a field of the right type: a count from a table, a share or growth from amounts.
    func validateFigure(_ field: FieldSpec, entry: String, fields: [FieldSpec]) throws(RoundError) {
        if field.importable == true, field.type != .table { throw fail("\(entry).importable", "只有表格可以导入") }
        guard let figure = field.figure else { return }
        let fits: Bool
        switch figure.kind {
        case .rowCount: fits = field.type == .table
        case .shareOfRevenue: fits = field.type == .amount
        case .growth: fits = field.type == .amount && fields.contains { $0.id == figure.from && $0.type == .amount }
        case .periodTotal: fits = Set(field.columns?.map(\.id) ?? []).isSuperset(of: ["priorOutput", "currentOutput"])
        }
        guard fits else { throw fail("\(entry).figure", "“\(field.label)”不能计算\(figure.kind.rawValue)") }
    }

    func validatePath(_ path: String, entry: String, fields: [FieldSpec]) throws(RoundError) {
        let known: Bool
        switch FieldPath(path) {
        case .content(let key): known = fields.contains { $0.id == key }
        case .unknown: known = false
        default: known = true
        }
        guard known else { throw fail(entry, "引用了不存在的字段“\(path)”") }
    }

    func validate(_ rule: EligibilityRule, entry: String, fields: [FieldSpec]) throws(RoundError) {
        func need(_ present: Bool, _ parameter: String) throws(RoundError) {
            if !present { throw fail("\(entry).\(parameter)", "规则“\(rule.id)”（\(rule.kind.rawValue)）缺少参数 \(parameter)") }
        }
        switch rule.kind {
        case .isTrue, .isFalse, .flag: try need(rule.field != nil, "field")
        case .equals: try need(rule.field != nil, "field"); try need(rule.value != nil, "value")
        case .oneOf: try need(rule.field != nil, "field"); try need(!(rule.values ?? []).isEmpty, "values")
        case .minimum: try need(rule.field != nil, "field"); try need(rule.threshold != nil, "threshold")
        case .minimumRows:
            try need(rule.field != nil, "field"); try need(rule.count != nil, "count")
            if let condition = rule.rowCondition, let path = rule.field, case .content(let id) = FieldPath(path) {
                let column = fields.first { $0.id == id }?.columns?.first { $0.id == condition.column }
                let fits = condition.isTrue == nil ? column?.type == .amount || column?.type == .integer : column?.type == .bool
                guard fits, (condition.isTrue == nil) != (condition.greaterThan == nil) else {
                    throw fail("\(entry).rowCondition", "规则“\(rule.id)”的行条件与表格“\(id)”的列“\(condition.column)”不符")
                }
            }
        case .onOrBefore:
            try need(rule.field != nil, "field")
            try need(rule.date.flatMap(CalendarDate.init) != nil, "date")
        case .industryIn, .industryNotIn:
            try need(!(rule.values ?? []).isEmpty, "values")
            for industry in rule.values ?? [] where round.category(ofIndustry: industry) == nil {
                throw fail("\(entry).values", "“\(industry)”不在行业分类中")
            }
        case .notBlacklisted: break
        case .monthlyGrowth:
            try need(rule.field != nil, "field"); try need(rule.periodField != nil, "periodField"); try need(!(rule.tiers ?? []).isEmpty, "tiers")
        case .tableContains:
            try need(rule.field != nil, "field"); try need(rule.column != nil, "column"); try need(rule.valueField != nil, "valueField")
        case .atLeastColumnSum:
            try need(rule.field != nil, "field"); try need(rule.column != nil, "column"); try need(rule.tableField != nil, "tableField")
            if let table = rule.tableField, case .content(let id) = FieldPath(table), let column = rule.column {
                guard fields.first(where: { $0.id == id })?.columns?.contains(where: { $0.id == column && $0.type == .amount }) == true else {
                    throw fail("\(entry).column", "表格“\(id)”没有金额列“\(column)”")
                }
            }
        }
        for path in [rule.field, rule.periodField, rule.valueField, rule.tableField, rule.when?.field].compactMap({ $0 }) {
            try validatePath(path, entry: entry, fields: fields)
        }
    }
}
