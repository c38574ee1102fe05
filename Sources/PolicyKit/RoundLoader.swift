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

/// What `jigai round check` says of a file: every error (each refuses the file) and warning (a likely slip), and the
/// round when it could be read.
public struct RoundCheck: Sendable {
    public var round: Round?
    public var errors: [RoundError]
    public var warnings: [RoundError]
}

/// Loads a round file, resolving `extends` (a demo round overriding a few keys of a real one), and validates it.
public enum RoundLoader {
    /// - Parameter resolve: reads another policy file by the name an `extends` gives.
    public static func load(_ data: Data, file: String, resolve: (String) throws -> Data) throws(RoundError) -> Round {
        let checked = check(data, file: file, resolve: resolve)
        if let error = checked.errors.first { throw error }
        return checked.round!
    }

    /// The merged object of a file and the file it extends, as it is snapshotted when the round is opened.
    public static func mergedObject(_ data: Data, file: String, resolve: (String) throws -> Data) throws(RoundError) -> [String: JSONValue] {
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
        return object
    }

    public static func check(_ data: Data, file: String, resolve: (String) throws -> Data) -> RoundCheck {
        let object: [String: JSONValue]
        do {
            object = try mergedObject(data, file: file, resolve: resolve)
        } catch {
            return RoundCheck(round: nil, errors: [error], warnings: [])
        }
        return check(object, file: file)
    }

    /// Checks a merged round object: it decodes with no key unknown to its type, holds together, and looks current.
    public static func check(_ object: [String: JSONValue], file: String) -> RoundCheck {
        let decoder = StrictDecoder()
        let round: Round
        do {
            round = try decoder.decode(Round.self, from: .object(object))
        } catch let error as DecodingError {
            return RoundCheck(round: nil, errors: [describe(error, file: file)], warnings: [])
        } catch {
            return RoundCheck(round: nil, errors: [RoundError(file: file, entry: "", reason: "\(error)")], warnings: [])
        }
        var errors = decoder.unknownKeys.map { unknown in
            let entry = StrictDecoder.text(unknown.path)
            let guess = closest(to: unknown.key, in: unknown.known).map { "（是否应为“\($0)”？）" } ?? ""
            return RoundError(file: file, entry: entry.isEmpty ? unknown.key : "\(entry).\(unknown.key)",
                              reason: "未知的键“\(unknown.key)”\(guess)；此处可用的键：\(unknown.known.joined(separator: "、"))")
        }
        do {
            try RoundValidator(round: round, file: file).validate()
        } catch {
            errors.append(error)
        }
        return RoundCheck(round: round, errors: errors, warnings: RoundLint(round: round, file: file).warnings())
    }

    /// The known key a misspelt one most likely meant: at most two edits away.
    static func closest(to key: String, in known: [String]) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var previous = Array(0...b.count)
            for (i, x) in a.enumerated() {
                var current = [i + 1]
                for (j, y) in b.enumerated() {
                    current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
                }
                previous = current
            }
            return previous[b.count]
        }
        let target = Array(key.lowercased())
        return known.map { ($0, distance(target, Array($0.lowercased()))) }.filter { $0.1 <= 2 }.min { $0.1 < $1.1 }?.0
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

    /// A type as the round file's author knows it.
    static func kindName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type, is Date.Type, is any KnownValues.Type: "文本"
        case is Bool.Type: "true 或 false"
        case is Int.Type, is Int64.Type: "整数"
        case is Double.Type, is Decimal.Type, is FixedDecimal.Type: "数字"
        case is [Any].Type: "数组"
        default: "对象"
        }
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
            return RoundError(file: file, entry: path(context.codingPath), reason: "类型不符，应为\(kindName(type))，\(context.debugDescription)")
        case .valueNotFound(let type, let context):
            return RoundError(file: file, entry: path(context.codingPath), reason: "不能为空，应为\(kindName(type))")
        case .dataCorrupted(let context):
            return RoundError(file: file, entry: path(context.codingPath), reason: context.debugDescription)
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
        guard CalendarDate(round.issuedOn) != nil else { throw fail("issuedOn", "“\(round.issuedOn)”不是有效日期，应写作 2023-09-05") }
        guard !round.summaryInstructions.isEmpty else { throw fail("summaryInstructions", "缺少附件3的填表说明") }
        try unique(round.crossRules.map(\.id), "crossRules")
        for (index, rule) in round.crossRules.enumerated() {
            try validate(rule, entry: "crossRules[\(index)]")
        }
    }

    func validate(_ rule: CrossRule, entry: String) throws(RoundError) {
        let directions = rule.directions ?? []
        for (index, id) in directions.enumerated() where !round.allDirections.contains(where: { $0.direction.id == id }) {
            throw fail("\(entry).directions[\(index)]", "未知申报方向“\(id)”；可选：\(round.allDirections.map(\.direction.id).joined(separator: "、"))")
        }
        switch rule.kind {
        case .duplicate:
            break
        case .exclusive where directions.count < 2:
            throw fail("\(entry).directions", "互斥规则“\(rule.id)”须列出至少两个申报方向")
        case .onceEver where rule.field == nil:
            throw fail("\(entry).field", "规则“\(rule.id)”（onceEver）缺少参数 field")
        default:
            guard !directions.isEmpty else { throw fail("\(entry).directions", "规则“\(rule.id)”（\(rule.kind.rawValue)）缺少参数 directions") }
        }
        if rule.kind == .supplementaryRouting {
            for id in directions where round.allDirections.first(where: { $0.direction.id == id })?.direction.routing.contains(where: { $0.supplementary != nil }) != true {
                throw fail("\(entry).directions", "申报方向“\(id)”没有附件4以外的补充处室行（supplementary），规则“\(rule.id)”无从适用")
            }
        }
        guard let field = rule.field else { return }
        for id in directions {
            let fields = round.allDirections.first { $0.direction.id == id }.map { pair in
                (pair.direction.subDirections?.flatMap(\.fields) ?? []) + (pair.direction.fields ?? [])
            } ?? []
            try validatePath(field, entry: "\(entry).field", fields: fields)
        }
    }

    /// The values a condition or rule may compare a path with, where they are a closed list.
    func allowedValues(_ path: String, fields: [FieldSpec], direction: Direction) -> [String]? {
        switch FieldPath(path) {
        case .subDirection: return direction.subDirections?.map(\.id)
        case .enterprise(.industry): return round.industries
        case .enterprise(.industryCategory): return round.vocabularies.industryCategories.map(\.name)
        case .enterprise(.ownership): return round.vocabularies.ownership
        case .content(let key):
            guard let field = fields.first(where: { $0.id == key }) else { return nil }
            switch field.type {
            case .bool: return ["true", "false"]
            case .choice: return round.options(for: field)
            default: return nil
            }
        default: return nil
        }
    }

    func validateValues(_ values: [String], path: String, entry: String, fields: [FieldSpec], direction: Direction) throws(RoundError) {
        guard let allowed = allowedValues(path, fields: fields, direction: direction) else { return }
        for value in values where !allowed.contains(value) {
            throw fail(entry, "“\(value)”不是“\(path)”的可选值；可选：\(allowed.joined(separator: "、"))")
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
                    try validateValues(condition.values, path: condition.field, entry: "\(variantEntry).fields[\(index)].requiredWhen.values",
                                       fields: variant.fields, direction: direction)
                }
            }
            for (index, attachment) in variant.ownAttachments.enumerated() {
                if let condition = attachment.requiredWhen {
                    try validatePath(condition.field, entry: "\(variantEntry).attachments[\(index)].requiredWhen", fields: variant.fields)
                    try validateValues(condition.values, path: condition.field, entry: "\(variantEntry).attachments[\(index)].requiredWhen.values",
                                       fields: variant.fields, direction: direction)
                }
            }
            for (index, rule) in direction.rules.enumerated() {
                try validate(rule, entry: "\(entry).rules[\(index)]", fields: variant.fields)
                if let condition = rule.when {
                    try validateValues(condition.values, path: condition.field, entry: "\(entry).rules[\(index)].when.values", fields: variant.fields, direction: direction)
                }
                if let path = rule.field, [.oneOf, .equals].contains(rule.kind) {
                    try validateValues(rule.values ?? [rule.value].compactMap { $0 }, path: path, entry: "\(entry).rules[\(index)]", fields: variant.fields, direction: direction)
                }
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
                let fields = variants.flatMap(\.fields)
                try validatePath(condition.field, entry: "\(entry).routing[\(index)].when", fields: fields)
                try validateValues(condition.values, path: condition.field, entry: "\(entry).routing[\(index)].when.values", fields: fields, direction: direction)
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
