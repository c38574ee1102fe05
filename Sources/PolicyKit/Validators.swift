import Foundation

public struct ValidationError: Error, Sendable, Equatable {
    public var message: String
}

/// 统一社会信用代码 (GB 32100-2015) with its embedded 组织机构代码 (GB 11714-1997).
public enum CreditCode {
    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    static let organisationWeights = [3, 7, 9, 10, 5, 8, 4, 2]
    /// 登记管理部门代码 of GB 32100-2015 表1.
    static let registrationAuthorities = Set("123456789ABCDEFGNY")

    /// Accepts lower case and surrounding spaces; returns the normalised code or why it is wrong.
    public static func validate(_ input: String) -> Result<String, ValidationError> {
        let code = input.trimmingCharacters(in: .whitespaces).uppercased()
        let characters = Array(code)
        guard characters.count == 18 else {
            return .failure(.init(message: "统一社会信用代码应为 18 位，现为 \(characters.count) 位"))
        }
        var values: [Int] = []
        for (index, character) in characters.enumerated() {
            guard let value = alphabet.firstIndex(of: character) else {
                return .failure(.init(message: "统一社会信用代码第 \(index + 1) 位“\(character)”不是有效字符（不使用 I、O、Z、S、V）"))
            }
            values.append(value)
        }
        guard registrationAuthorities.contains(characters[0]) else {
            return .failure(.init(message: "统一社会信用代码第 1 位（登记管理部门代码）“\(characters[0])”无效"))
        }
        guard characters[2..<8].allSatisfy(\.isASCIIDigitCharacter) else {
            return .failure(.init(message: "统一社会信用代码第 3–8 位应为登记管理机关行政区划码（6 位数字）"))
        }
        if let message = organisationCodeProblem(characters[8..<17]) {
            return .failure(.init(message: message))
        }
        let sum = zip(values.prefix(17), weights).reduce(0) { $0 + $1.0 * $1.1 }
        let expected = alphabet[(31 - sum % 31) % 31]
        guard characters[17] == expected else {
            return .failure(.init(message: "统一社会信用代码校验位错误：第 18 位应为“\(expected)”，请核对营业执照"))
        }
        return .success(code)
    }

    /// GB 11714: eight body characters and a check character (0–9 or X).
    static func organisationCodeProblem(_ characters: ArraySlice<Character>) -> String? {
        let body = Array(characters.prefix(8))
        var sum = 0
        for (character, weight) in zip(body, organisationWeights) {
            guard let value = organisationValue(character) else {
                return "统一社会信用代码第 9–16 位（组织机构代码本体）含无效字符“\(character)”"
            }
            sum += value * weight
        }
        let check = 11 - sum % 11
        let expected: Character = check == 10 ? "X" : check == 11 ? "0" : Character(String(check))
        guard characters.last == expected else {
            return "统一社会信用代码第 17 位（组织机构代码校验码）应为“\(expected)”，请核对营业执照"
        }
        return nil
    }

    static func organisationValue(_ character: Character) -> Int? {
        if let digit = character.wholeNumberValue, character.isASCII { return digit }
        guard let ascii = character.asciiValue, (65...90).contains(ascii) else { return nil }
        return Int(ascii) - 55
    }

    /// Completes a 17-character prefix with its check character (for generated test data).
    public static func withCheckCharacter(_ prefix: String) -> String {
        let values = prefix.map { alphabet.firstIndex(of: $0)! }
        let sum = zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return prefix + String(alphabet[(31 - sum % 31) % 31])
    }

    /// Completes an 8-character organisation-code body with its GB 11714 check character.
    public static func organisationCode(body: String) -> String {
        let sum = zip(body, organisationWeights).reduce(0) { $0 + organisationValue($1.0)! * $1.1 }
        let check = 11 - sum % 11
        return body + (check == 10 ? "X" : check == 11 ? "0" : String(check))
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}

/// Mainland mobile numbers: 11 digits starting 13–19; “+86”, spaces and hyphens are tolerated.
public enum MobileNumber {
    public static func validate(_ input: String) -> Result<String, ValidationError> {
        var digits = input.filter { !" -".contains($0) }
        if digits.hasPrefix("+86") { digits.removeFirst(3) } else if digits.hasPrefix("0086") { digits.removeFirst(4) }
        guard digits.count == 11, digits.allSatisfy(\.isASCIIDigitCharacter) else {
            return .failure(.init(message: "手机号码应为 11 位数字，例如 13912345678"))
        }
        guard digits.hasPrefix("1"), let second = digits.dropFirst().first, ("3"..."9").contains(second) else {
            return .failure(.init(message: "“\(input)”不是有效的大陆手机号码（应以 13–19 开头）"))
        }
        return .success(digits)
    }
}

public enum LocationRules {
    /// Nil when the county belongs to the city; otherwise the reason.
    public static func checkCounty(_ countyCode: String, city cityCode: String?, round: Round) -> String? {
        let owner = round.locations.cities.first { $0.counties.contains { $0.code == countyCode } }
        guard let owner else {
            return "“\(countyCode)”不是山西省的县（市、区）代码"
        }
        guard let cityCode, let city = round.city(cityCode) else { return nil }
        guard owner.code == city.code else {
            let county = owner.counties.first { $0.code == countyCode }!
            return "\(county.name)（\(countyCode)）属于\(owner.name)，不属于\(city.name)"
        }
        return nil
    }

    /// Nil when the county hosts part of the 综改示范区.
    public static func checkTransformationZone(county countyCode: String, round: Round) -> String? {
        guard let zone = round.locations.specialAuthorities.first else { return nil }
        guard zone.hostCounties.contains(countyCode) else {
            let names = zone.hostCounties.compactMap { code in
                round.locations.cities.lazy.flatMap(\.counties).first { $0.code == code }?.name
            }
            return "所在县不在\(zone.zoneName)范围内（\(names.joined(separator: "、"))）"
        }
        return nil
    }
}

public enum IndustryRules {
    /// Nil when the 所属行业 belongs to the 行业分类.
    public static func check(industry: String, category: String, round: Round) -> String? {
        guard let actual = round.category(ofIndustry: industry) else {
            return "“\(industry)”不是附件2所列行业"
        }
        guard actual == category else {
            return "所属行业“\(industry)”属于\(actual)，与行业分类“\(category)”不符"
        }
        return nil
    }
}

/// A calendar day written yyyy-MM-dd, compared without time zones; on signed forms 2023年10月20日.
public struct CalendarDate: Comparable, Hashable, Sendable {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The day `date` falls on in `timeZone` (the round's time zone, Asia/Shanghai).
    public init(_ date: Date, timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = calendar.dateComponents([.year, .month, .day], from: date)
        self.init(year: components.year!, month: components.month!, day: components.day!)
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month) else { return nil }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...lengths[month - 1]).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    public static func < (lhs: CalendarDate, rhs: CalendarDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    public var chinese: String { "\(year)年\(month)月\(day)日" }
}

/// 项目名称 per 附件2 一（三).
public enum ProjectNameRules {
    /// The name the rule prescribes where it can be derived from the application (fixed, field or template).
    public static func expectedName(for spec: DirectionSpec, application: Application, round: Round) -> String? {
        let rule = spec.direction.projectNameRule
        switch rule.kind {
        case .fixed:
            return rule.value
        case .field:
            return rule.field.flatMap { application.value(at: $0, round: round)?.text }
        case .tableColumn:
            return nil
        case .template:
            guard let template = rule.template else { return nil }
            return fill(template) { placeholder in
                switch placeholder {
                case "industry": application.enterprise.industry
                case "whitelistPeriod": application.content["period"]?.text
                default: nil
                }
            }
        }
    }

    /// Replaces each `{name}` with its value; nil while any value is unknown.
    static func fill(_ template: String, _ value: (Substring) -> String?) -> String? {
        var result = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}"), let filled = value(rest[rest.index(after: open)..<close]) else { return nil }
            result += rest[..<open]
            result += filled
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// Nil when the name follows the rule; otherwise what it should be.
    public static func check(_ name: String, spec: DirectionSpec, application: Application, round: Round) -> String? {
        let rule = spec.direction.projectNameRule
        if rule.kind == .tableColumn, let field = rule.field, let column = rule.column {
            let names = application.value(at: field, round: round)?.rows?.compactMap { $0[column]?.text } ?? []
            guard names.contains(name) else {
                return names.isEmpty
                    ? "项目名称应\(rule.description.replacingOccurrences(of: "填写", with: ""))，请先填写申报表"
                    : "项目名称应为申报表中的品种名称之一：\(names.joined(separator: "、"))"
            }
            return nil
        }
        guard let expected = expectedName(for: spec, application: application, round: round) else { return nil }
        guard name == expected || normalised(name) == normalised(expected) else {
            return "项目名称应为“\(expected)”（附件2 一（三）：\(rule.description)）"
        }
        return nil
    }

    /// Full-width and half-width brackets and quotes are the same to a reader; spaces are ignored.
    static func normalised(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "(": result.append("（")
            case ")": result.append("）")
            case "\"", "“": result.append("”")
            case " ": continue
            default: result.append(scalar)
            }
        }
        return String(result)
    }
}
