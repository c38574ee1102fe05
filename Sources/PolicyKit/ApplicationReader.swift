import Foundation

/// A value in an application file that cannot be used as it is: where, and why, in Chinese.
public struct InputProblem: Error, Codable, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path)：\(message)" }
}

/// All the problems of one input, reported together so the user fixes them in one pass.
public struct InputProblems: Error, Sendable, CustomStringConvertible {
    public var problems: [InputProblem]
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// Reads an application file (JSON) against a round: types, vocabularies and formats.
/// Missing values are not problems here; the engine reports them as incomplete.
public struct ApplicationReader {
    public let round: Round
    private var problems: [InputProblem] = []

    public init(round: Round) {
        self.round = round
    }

    public static func read(_ data: Data, round: Round) throws(InputProblems) -> Application {
        let json: JSONValue
        do {
            json = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw InputProblems(problems: [InputProblem(path: "", message: "不是有效的 JSON 文件：\(Self.describe(error))")])
        }
        var reader = ApplicationReader(round: round)
        let application = reader.application(json)
        guard reader.problems.isEmpty, let application else {
            throw InputProblems(problems: reader.problems)
        }
        return application
    }

    /// Reads what can be used and reports the rest: a draft keeps every valid value while the invalid ones are shown back.
    public static func readLeniently(_ json: JSONValue, round: Round) -> (application: Application?, problems: [InputProblem]) {
        var reader = ApplicationReader(round: round)
        let application = reader.application(json)
        return (application, reader.problems)
    }

    private static func describe(_ error: Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return context.underlyingError.map { "\($0)" } ?? context.debugDescription
        }
        return "\(error)"
    }

    // MARK: - Top level

    private static let topKeys: Set<String> = [
        "round", "programme", "direction", "subDirection", "projectName", "enterprise", "contact",
        "overview", "content", "performanceTargets", "attachments", "commitmentAccepted",
    ]

    private mutating func application(_ json: JSONValue) -> Application? {
        guard let object = object(json, at: "", keys: Self.topKeys) else { return nil }
        let roundID = string(object["round"], at: "round")
        if roundID == nil, object["round"] == nil || object["round"] == .null {
            problem("round", "缺少申报批次编号，应为“\(round.id)”")
        } else if let roundID, !round.accepts(roundID: roundID) {
            problem("round", "申报批次“\(roundID)”与当前批次“\(round.id)”不符")
        }
        guard let directionID = string(object["direction"], at: "direction") else {
            if object["direction"] == nil || object["direction"] == .null {
                problem("direction", "缺少申报方向；可选：\(round.allDirections.map { "\($0.direction.id)（\($0.direction.name)）" }.joined(separator: "、"))")
            }
            return nil
        }
        guard let direction = round.allDirections.first(where: { $0.direction.id == directionID }) else {
            problem("direction", "“\(directionID)”不是本批次的申报方向；可选：\(round.allDirections.map { "\($0.direction.id)（\($0.direction.name)）" }.joined(separator: "、"))")
            return nil
        }
        if let programmeID = string(object["programme"], at: "programme"), programmeID != direction.programme.id {
            problem("programme", "申报方向“\(direction.direction.name)”属于“\(direction.programme.name)”（\(direction.programme.id)），不属于“\(programmeID)”")
        }
        let subID = string(object["subDirection"], at: "subDirection")
        if let subs = direction.direction.subDirections {
            if let subID, !subs.contains(where: { $0.id == subID }) {
                problem("subDirection", "“\(subID)”不是“\(direction.direction.name)”的细分方向；可选：\(subs.map { "\($0.id)（\($0.name)）" }.joined(separator: "、"))")
                return nil
            } else if subID == nil {
                problem("subDirection", "“\(direction.direction.name)”须选择细分方向：\(subs.map { "\($0.id)（\($0.name)）" }.joined(separator: "、"))")
                return nil
            }
        } else if subID != nil {
            problem("subDirection", "“\(direction.direction.name)”没有细分方向，请删除此项")
        }
        guard let spec = round.directionSpec(directionID, subDirection: direction.direction.subDirections == nil ? nil : subID) else { return nil }

        var application = Application(round: roundID ?? round.id, programme: direction.programme.id, direction: directionID, subDirection: spec.subDirection?.id)
        application.projectName = string(object["projectName"], at: "projectName")
        application.enterprise = enterprise(object["enterprise"])
        application.contact = contact(object["contact"])
        application.overview = overview(object["overview"])
        application.content = content(object["content"], spec: spec)
        application.performanceTargets = performanceTargets(object["performanceTargets"])
        application.attachments = attachments(object["attachments"], spec: spec)
        application.commitmentAccepted = bool(object["commitmentAccepted"], at: "commitmentAccepted")
        return application
    }

    // MARK: - Enterprise

    private static let enterpriseKeys: Set<String> = [
        "creditCode", "name", "city", "county", "zone", "inTransformationZone", "ownership", "industryCategory",
        "industry", "independentLegalPerson", "implementedInShanxi", "noOtherProvincialFunds",
    ]

    private mutating func enterprise(_ json: JSONValue?) -> EnterpriseProfile {
        var profile = EnterpriseProfile()
        guard let json, json != .null, let object = object(json, at: "enterprise", keys: Self.enterpriseKeys) else { return profile }
        if let code = string(object["creditCode"], at: "enterprise.creditCode") {
            switch CreditCode.validate(code) {
            case .success(let normalised): profile.creditCode = normalised
            case .failure(let error): problem("enterprise.creditCode", error.message)
            }
        }
        profile.name = string(object["name"], at: "enterprise.name", maxLength: 100)
        profile.zone = string(object["zone"], at: "enterprise.zone", maxLength: 100)
        profile.inTransformationZone = bool(object["inTransformationZone"], at: "enterprise.inTransformationZone")
        if let cityCode = string(object["city"], at: "enterprise.city") {
            if round.city(cityCode) != nil {
                profile.city = cityCode
            } else {
                problem("enterprise.city", "“\(cityCode)”不是山西省的设区市代码；可选：\(round.locations.cities.map { "\($0.code)（\($0.name)）" }.joined(separator: "、"))")
            }
        }
        if let countyCode = string(object["county"], at: "enterprise.county") {
            switch LocationRules.checkCounty(countyCode, city: profile.city, round: round) {
            case nil: profile.county = countyCode
            case let message?: problem("enterprise.county", message)
            }
        }
        if profile.inTransformationZone == true, let county = profile.county,
           let message = LocationRules.checkTransformationZone(county: county, round: round) {
            problem("enterprise.inTransformationZone", message)
        }
        profile.ownership = choice(object["ownership"], at: "enterprise.ownership", options: round.vocabularies.ownership)
        profile.industryCategory = choice(object["industryCategory"], at: "enterprise.industryCategory", options: round.vocabularies.industryCategories.map(\.name))
        if let industry = choice(object["industry"], at: "enterprise.industry", options: round.industries) {
            if let category = profile.industryCategory, let message = IndustryRules.check(industry: industry, category: category, round: round) {
                problem("enterprise.industry", message)
            } else {
                profile.industry = industry
            }
        }
        profile.independentLegalPerson = bool(object["independentLegalPerson"], at: "enterprise.independentLegalPerson")
        profile.implementedInShanxi = bool(object["implementedInShanxi"], at: "enterprise.implementedInShanxi")
        profile.noOtherProvincialFunds = bool(object["noOtherProvincialFunds"], at: "enterprise.noOtherProvincialFunds")
        return profile
    }

    private mutating func contact(_ json: JSONValue?) -> Contact {
        var contact = Contact()
        guard let json, json != .null, let object = object(json, at: "contact", keys: ["name", "mobile"]) else { return contact }
        contact.name = string(object["name"], at: "contact.name", maxLength: 50)
        if let mobile = string(object["mobile"], at: "contact.mobile") {
            switch MobileNumber.validate(mobile) {
            case .success(let normalised): contact.mobile = normalised
            case .failure(let error): problem("contact.mobile", error.message)
            }
        }
        return contact
    }

    // MARK: - Overview and finances

    private mutating func overview(_ json: JSONValue?) -> Overview {
        var overview = Overview()
        guard let json, json != .null, let object = object(json, at: "overview", keys: ["texts", "finances", "otherFinances"]) else { return overview }
        if let texts = object["texts"], texts != .null,
           let textObject = self.object(texts, at: "overview.texts", keys: Set(round.overviewTexts.map(\.id))) {
            for spec in round.overviewTexts {
                if let text = string(textObject[spec.id], at: "overview.texts.\(spec.id)", maxLength: spec.lengthLimit) {
                    overview.texts[spec.id] = text
                }
            }
        }
        if let finances = object["finances"], finances != .null,
           let periods = self.object(finances, at: "overview.finances", keys: Set(round.finance.periods.map(\.id))) {
            for period in round.finance.periods {
                let path = "overview.finances.\(period.id)"
                guard let periodJSON = periods[period.id], periodJSON != .null,
                      let items = self.object(periodJSON, at: path, keys: Set(round.finance.items.map(\.id))) else { continue }
                var values: [String: FixedDecimal] = [:]
                for item in round.finance.items {
                    let itemPath = "\(path).\(item.id)"
                    let value: FixedDecimal?
                    switch item.type {
                    case .percent: value = percent(items[item.id], at: itemPath, maximum: nil)
                    default: value = amount(items[item.id], at: itemPath, allowNegative: item.id == "totalProfit")
                    }
                    if let value { values[item.id] = value }
                }
                if !values.isEmpty { overview.finances[period.id] = values }
            }
        }
        if let rows = array(object["otherFinances"], at: "overview.otherFinances") {
            let periods = round.finance.periods.map(\.id)
            for (index, row) in rows.enumerated() {
                let path = "overview.otherFinances[\(index)]"
                guard let cells = self.object(row, at: path, keys: Set(["label"] + periods)) else { continue }
                let known = problems.count
                let label = string(cells["label"], at: "\(path).label", maxLength: 30)
                let labelReported = problems.count > known
                var values: [String: FixedDecimal] = [:]
                for period in periods {
                    if let value = decimal(cells[period], at: "\(path).\(period)", what: "数值") { values[period] = value }
                }
                if let label {
                    overview.otherFinances.append(.init(label: label, values: values))
                } else if !values.isEmpty, !labelReported {
                    problem("\(path).label", "请填写财务指标名称（含单位）")
                }
            }
        }
        return overview
    }

    // MARK: - Content

    private mutating func content(_ json: JSONValue?, spec: DirectionSpec) -> [String: FieldValue] {
        guard let json, json != .null,
              let object = object(json, at: "content", keys: Set(spec.fields.map(\.id)), directionName: spec.fullName) else { return [:] }
        var content: [String: FieldValue] = [:]
        for field in spec.fields {
            if let value = fieldValue(object[field.id], field: field, at: "content.\(field.id)") {
                content[field.id] = value
            }
        }
        return content
    }

    private mutating func fieldValue(_ json: JSONValue?, field: FieldSpec, at path: String) -> FieldValue? {
        switch field.type {
        case .text, .longText:
            return string(json, at: path, maxLength: field.lengthLimit).map(FieldValue.text)
        case .amount:
            return amount(json, at: path).map(FieldValue.number)
        case .percent:
            return percent(json, at: path, maximum: 100).map(FieldValue.number)
        case .integer:
            return integer(json, at: path, range: 0...Int.max).map { .number(FixedDecimal($0)) }
        case .year:
            return integer(json, at: path, range: 1949...2100, what: "年份（四位数字，例如 2022）").map { .number(FixedDecimal($0)) }
        case .date:
            guard let text = string(json, at: path) else { return nil }
            guard CalendarDate(text) != nil else {
                problem(path, "“\(text)”不是有效日期，应写作 2022-12-31")
                return nil
            }
            return .date(text)
        case .bool:
            return bool(json, at: path).map(FieldValue.bool)
        case .choice:
            return choice(json, at: path, options: round.options(for: field)).map(FieldValue.text)
        case .creditCode:
            guard let text = string(json, at: path) else { return nil }
            switch CreditCode.validate(text) {
            case .success(let normalised): return .text(normalised)
            case .failure(let error):
                problem(path, error.message)
                return nil
            }
        case .table:
            return table(json, field: field, at: path)
        }
    }

    private mutating func table(_ json: JSONValue?, field: FieldSpec, at path: String) -> FieldValue? {
        guard let json, json != .null else { return nil }
        guard case .array(let items) = json else {
            problem(path, "应为表格（数组），每行一个对象，实为\(json.kindDescription)")
            return nil
        }
        let columns = field.columns ?? []
        var rows: [[String: FieldValue]] = []
        for (index, item) in items.enumerated() {
            let rowPath = "\(path)[\(index)]"
            guard let cells = object(item, at: rowPath, keys: Set(columns.map(\.id))) else { continue }
            var row: [String: FieldValue] = [:]
            for column in columns {
                if let value = fieldValue(cells[column.id], field: column, at: "\(rowPath).\(column.id)") {
                    row[column.id] = value
                }
            }
            rows.append(row)
        }
        return .rows(rows)
    }

    // MARK: - Performance targets and attachments

    private mutating func performanceTargets(_ json: JSONValue?) -> PerformanceTargets {
        var targets = PerformanceTargets()
        let spec = round.performanceTargets
        guard let json, json != .null,
              let object = object(json, at: "performanceTargets", keys: ["funding", "goals", "indicators"]) else { return targets }
        if let funding = object["funding"], funding != .null,
           let sources = self.object(funding, at: "performanceTargets.funding", keys: Set(spec.fundingSources.map(\.id))) {
            for source in spec.fundingSources {
                if let value = amount(sources[source.id], at: "performanceTargets.funding.\(source.id)") {
                    targets.funding[source.id] = value
                }
            }
        }
        if let goals = array(object["goals"], at: "performanceTargets.goals") {
            for (index, goal) in goals.enumerated() {
                if let text = string(goal, at: "performanceTargets.goals[\(index)]", maxLength: 500) { targets.goals.append(text) }
            }
        }
        if let indicators = array(object["indicators"], at: "performanceTargets.indicators") {
            for (index, item) in indicators.enumerated() {
                let path = "performanceTargets.indicators[\(index)]"
                guard let cells = self.object(item, at: path, keys: ["level1", "level2", "name", "value"]) else { continue }
                let level1 = choice(cells["level1"], at: "\(path).level1", options: spec.indicatorLevels.map(\.name))
                let seconds = spec.indicatorLevels.first { $0.name == level1 }?.secondLevel ?? spec.indicatorLevels.flatMap(\.secondLevel)
                let level2 = choice(cells["level2"], at: "\(path).level2", options: seconds)
                let name = string(cells["name"], at: "\(path).name", maxLength: 200)
                let value = string(cells["value"], at: "\(path).value", maxLength: 200)
                if let level1, let level2, let name, let value {
                    targets.indicators.append(.init(level1: level1, level2: level2, name: name, value: value))
                } else if level1 != nil || level2 != nil || name != nil || value != nil {
                    for (key, present) in [("level1", level1), ("level2", level2), ("name", name), ("value", value)] where present == nil && cells[key] == nil {
                        problem("\(path).\(key)", "绩效指标须填写一级指标、二级指标、三级指标名称和指标值")
                    }
                }
            }
        }
        return targets
    }

    private mutating func attachments(_ json: JSONValue?, spec: DirectionSpec) -> [AttachmentRef] {
        guard let items = array(json, at: "attachments") else { return [] }
        let uploads = round.attachments(for: spec).filter { $0.source == .upload }
        var refs: [AttachmentRef] = []
        for (index, item) in items.enumerated() {
            let path = "attachments[\(index)]"
            guard let cells = object(item, at: path, keys: ["item", "file"]) else { continue }
            guard let itemID = string(cells["item"], at: "\(path).item") else {
                problem("\(path).item", "缺少附件清单项")
                continue
            }
            guard uploads.contains(where: { $0.id == itemID }) else {
                problem("\(path).item", "“\(itemID)”不是“\(spec.fullName)”需上传的附件；可选：\(uploads.map { "\($0.id)（\($0.title)）" }.joined(separator: "、"))")
                continue
            }
            guard let file = string(cells["file"], at: "\(path).file", maxLength: 255) else {
                problem("\(path).file", "缺少附件文件")
                continue
            }
            refs.append(AttachmentRef(item: itemID, file: file))
        }
        return refs
    }

    // MARK: - Primitives

    private mutating func problem(_ path: String, _ message: String) {
        problems.append(InputProblem(path: path, message: message))
    }

    private mutating func object(_ json: JSONValue, at path: String, keys: Set<String>, directionName: String? = nil) -> [String: JSONValue]? {
        guard case .object(let object) = json else {
            problem(path, "应为对象（{…}），实为\(json.kindDescription)")
            return nil
        }
        for key in object.keys.sorted() where !keys.contains(key) {
            let context = directionName.map { "“\($0)”没有此字段" } ?? "未知字段"
            problem(path.isEmpty ? key : "\(path).\(key)", "\(context)；可用字段：\(keys.sorted().joined(separator: "、"))")
        }
        return object
    }

    private mutating func array(_ json: JSONValue?, at path: String) -> [JSONValue]? {
        guard let json, json != .null else { return nil }
        guard case .array(let items) = json else {
            problem(path, "应为数组（[…]），实为\(json.kindDescription)")
            return nil
        }
        return items
    }

    /// A non-empty string; an empty or blank string counts as not filled in. Strings without a limit of their own
    /// (ids, codes, numbers, the project name) are refused past `TextLimits.shortText`.
    private mutating func string(_ json: JSONValue?, at path: String, maxLength: Int = TextLimits.shortText) -> String? {
        guard let json, json != .null else { return nil }
        guard case .string(let raw) = json else {
            problem(path, "应为文本，实为\(json.kindDescription)")
            return nil
        }
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return nil }
        if text.count > maxLength {
            problem(path, "不能超过 \(maxLength) 个字，现为 \(text.count) 个字")
            return nil
        }
        return text
    }

    private mutating func bool(_ json: JSONValue?, at path: String) -> Bool? {
        guard let json, json != .null else { return nil }
        guard case .bool(let value) = json else {
            problem(path, "应为 true（是）或 false（否），实为\(json.kindDescription)")
            return nil
        }
        return value
    }

    private mutating func choice(_ json: JSONValue?, at path: String, options: [String]) -> String? {
        guard let text = string(json, at: path) else { return nil }
        guard options.contains(text) else {
            problem(path, "“\(text)”不在可选范围内；可选：\(options.joined(separator: "、"))")
            return nil
        }
        return text
    }

    private mutating func decimal(_ json: JSONValue?, at path: String, what: String) -> FixedDecimal? {
        guard let json, json != .null else { return nil }
        let text: String
        switch json {
        case .number(let value):
            text = value.description
        case .string(let value):
            text = value.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { return nil }
        default:
            problem(path, "应为\(what)，实为\(json.kindDescription)")
            return nil
        }
        if let value = FixedDecimal(text) { return value }
        if text.allSatisfy({ $0.isASCIIDigitCharacter || $0 == "." || $0 == "-" }), Decimal(string: text) != nil {
            let integerDigits = text.split(separator: ".").first.map { $0.filter(\.isASCIIDigitCharacter).count } ?? 0
            if integerDigits > 14 {
                problem(path, "数值过大，请核对单位（金额以万元为单位）")
            } else {
                problem(path, what.hasPrefix("金额") ? "金额以万元为单位，最多保留 4 位小数（精确到元）" : "\(what)最多保留 4 位小数")
            }
        } else {
            problem(path, "“\(text)”不是有效的\(what)，应只含数字和小数点，例如 12345.67")
        }
        return nil
    }

    /// 万元, at most four decimals (to the 元).
    private mutating func amount(_ json: JSONValue?, at path: String, allowNegative: Bool = false) -> FixedDecimal? {
        guard let value = decimal(json, at: path, what: "金额（万元）") else { return nil }
        if value < .zero && !allowNegative {
            problem(path, "金额不能为负数")
            return nil
        }
        return value
    }

    private mutating func percent(_ json: JSONValue?, at path: String, maximum: FixedDecimal?) -> FixedDecimal? {
        guard let value = decimal(json, at: path, what: "百分比（%）") else { return nil }
        if value < .zero || (maximum.map { value > $0 } ?? false) {
            problem(path, maximum.map { "百分比应在 0 至 \($0.compact()) 之间" } ?? "百分比不能为负数")
            return nil
        }
        return value
    }

    private mutating func integer(_ json: JSONValue?, at path: String, range: ClosedRange<Int>, what: String = "整数") -> Int? {
        guard let value = decimal(json, at: path, what: what) else { return nil }
        guard value.isInteger, range.contains(value.integerValue) else {
            problem(path, "应为\(what)")
            return nil
        }
        return value.integerValue
    }
}

extension Round {
    /// An application names this round or the round it extends (a demo round accepts the real round's files).
    public func accepts(roundID: String) -> Bool {
        roundID == id || roundID == extends
    }
}
