import Foundation
import PolicyKit
import Vapor

/// The 情况表 fields as submitted; strings throughout so that whatever was typed comes back on an error.
struct ProfileForm: Content {
    var name: String?
    var contactName: String?
    var mobile: String?
    var city: String?
    var county: String?
    var zone: String?
    var inTransformationZone: String?
    var ownership: String?
    var industryCategory: String?
    var industry: String?
    var independentLegalPerson: String?
    var implementedInShanxi: String?
    var noOtherProvincialFunds: String?

    init(_ enterprise: Enterprise) {
        name = enterprise.name
        contactName = enterprise.contactName
        mobile = enterprise.mobile
        city = enterprise.city
        county = enterprise.county
        zone = enterprise.zone
        inTransformationZone = enterprise.inTransformationZone ? "true" : nil
        ownership = enterprise.ownership
        industryCategory = enterprise.industryCategory
        industry = enterprise.industry
        independentLegalPerson = enterprise.independentLegalPerson.map { $0 ? "true" : "false" }
        implementedInShanxi = enterprise.implementedInShanxi.map { $0 ? "true" : "false" }
        noOtherProvincialFunds = enterprise.noOtherProvincialFunds.map { $0 ? "true" : "false" }
    }

    static func text(_ value: String?) -> String? {
        let trimmed = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    static func flag(_ value: String?) -> Bool? {
        switch value {
        case "true": true
        case "false": false
        default: nil
        }
    }

    var normalisedMobile: String? {
        Self.text(mobile).flatMap { try? MobileNumber.validate($0).get() }
    }

    /// Field → Chinese message. Location and industry rules come from PolicyKit.
    func problems(round: Round) -> [String: String] {
        var errors: [String: String] = [:]
        if Self.text(name) == nil { errors["name"] = "请填写企业（单位）名称" } else if (name ?? "").count > 100 { errors["name"] = "名称不能超过 100 个字" }
        if Self.text(contactName) == nil { errors["contactName"] = "请填写项目联系人" } else if (contactName ?? "").count > 50 { errors["contactName"] = "联系人不能超过 50 个字" }
        switch Self.text(mobile).map(MobileNumber.validate) {
        case nil: errors["mobile"] = "请填写联系手机"
        case .failure(let error)?: errors["mobile"] = error.message
        case .success?: break
        }
        let cityCode = Self.text(city)
        if let cityCode, round.city(cityCode) == nil { errors["city"] = "请从列表中选择所在市" }
        if let countyCode = Self.text(county) {
            if cityCode == nil {
                errors["city"] = "请先选择所在市"
            } else if let message = LocationRules.checkCounty(countyCode, city: cityCode, round: round) {
                errors["county"] = message
            } else if Self.flag(inTransformationZone) == true, let message = LocationRules.checkTransformationZone(county: countyCode, round: round) {
                errors["inTransformationZone"] = message
            }
        }
        if (zone ?? "").count > 100 { errors["zone"] = "开发区名称不能超过 100 个字" }
        if let value = Self.text(ownership), !round.vocabularies.ownership.contains(value) { errors["ownership"] = "请从列表中选择企业（单位）性质" }
        let category = Self.text(industryCategory)
        if let category, !round.vocabularies.industryCategories.contains(where: { $0.name == category }) { errors["industryCategory"] = "请从列表中选择行业分类" }
        if let value = Self.text(industry) {
            if let category, errors["industryCategory"] == nil, let message = IndustryRules.check(industry: value, category: category, round: round) {
                errors["industry"] = message
            } else if round.category(ofIndustry: value) == nil {
                errors["industry"] = "请从列表中选择所属行业"
            }
        }
        return errors
    }

    func apply(to enterprise: Enterprise) {
        enterprise.name = Self.text(name) ?? enterprise.name
        enterprise.contactName = Self.text(contactName) ?? enterprise.contactName
        enterprise.mobile = normalisedMobile ?? enterprise.mobile
        enterprise.city = Self.text(city)
        enterprise.county = Self.text(county)
        enterprise.zone = Self.text(zone)
        enterprise.inTransformationZone = Self.flag(inTransformationZone) == true
        enterprise.ownership = Self.text(ownership)
        enterprise.industryCategory = Self.text(industryCategory)
        enterprise.industry = Self.text(industry)
        enterprise.independentLegalPerson = Self.flag(independentLegalPerson)
        enterprise.implementedInShanxi = Self.flag(implementedInShanxi)
        enterprise.noOtherProvincialFunds = Self.flag(noOtherProvincialFunds)
    }
}

struct SelectOption: Encodable {
    var value: String
    var label: String
    var selected: Bool
    var group: String?

    /// `<option>` elements, escaped, consecutive options of one `group` in an `<optgroup>`.
    static func html(_ options: [SelectOption]) -> String {
        var html = ""
        var openGroup: String?
        for option in options {
            if option.group != openGroup {
                if openGroup != nil { html += "</optgroup>" }
                if let group = option.group { html += "<optgroup label=\"\(HTML.escaped(group))\">" }
                openGroup = option.group
            }
            html += "<option value=\"\(HTML.escaped(option.value))\"\(option.selected ? " selected" : "")>\(HTML.escaped(option.label))</option>"
        }
        if openGroup != nil { html += "</optgroup>" }
        return html
    }
}

enum HTML {
    /// Text safe in element content and in quoted attribute values.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}

struct ProfilePage: Encodable {
    struct Declaration: Encodable {
        var field: String
        var question: String
        var clause: String
        var yes: Bool
        var no: Bool
    }

    var chrome: Chrome
    var form: ProfileForm
    var errors: [String: String]
    var notice: String?
    var creditCode: String
    var cities: [SelectOption]
    var counties: [SelectOption]
    var ownerships: [SelectOption]
    var categories: [SelectOption]
    var industries: [SelectOption]
    /// What the notice says some industries include, under the select.
    var industryHelp: String?
    var inTransformationZone: Bool
    var transformationZoneName: String
    var declarations: [Declaration]

    init(chrome: Chrome, round: Round, form: ProfileForm, errors: [String: String], notice: String?, creditCode: String) {
        self.chrome = chrome
        self.form = form
        self.errors = errors
        self.notice = notice
        self.creditCode = creditCode
        cities = round.locations.cities.map { SelectOption(value: $0.code, label: $0.name, selected: $0.code == form.city) }
        counties = round.locations.cities.flatMap { city in
            city.counties.map { SelectOption(value: $0.code, label: $0.name, selected: $0.code == form.county, group: city.code) }
        }
        ownerships = round.vocabularies.ownership.map { SelectOption(value: $0, label: $0, selected: $0 == form.ownership) }
        categories = round.vocabularies.industryCategories.map { SelectOption(value: $0.name, label: $0.name, selected: $0.name == form.industryCategory) }
        industries = round.vocabularies.industryCategories.flatMap { category in
            category.industries.map { industry in
                SelectOption(value: industry, label: category.notes?[industry].map { "\(industry)（\($0)）" } ?? industry,
                             selected: industry == form.industry, group: category.name)
            }
        }
        let notes = round.vocabularies.industryCategories.flatMap { ($0.notes ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)\($0.value)" } }
        industryHelp = notes.isEmpty ? nil : notes.joined(separator: "；") + "。"
        inTransformationZone = ProfileForm.flag(form.inTransformationZone) == true
        transformationZoneName = round.locations.specialAuthorities.first?.zoneName ?? ""
        let clause = { (field: String) -> String in
            let path = "enterprise." + field
            return round.generalRules.first { $0.field == path }?.clause ?? ""
        }
        let answers: [(String, String, String?)] = [
            ("independentLegalPerson", "本单位为独立法人企业或其他法人单位", form.independentLegalPerson),
            ("implementedInShanxi", "奖励项目在山西省境内实施", form.implementedInShanxi),
            ("noOtherProvincialFunds", "奖励项目没有获得过其他省级财政资金支持", form.noOtherProvincialFunds),
        ]
        declarations = answers.map { field, question, value in
            Declaration(field: field, question: question, clause: clause(field), yes: value == "true", no: value == "false")
        }
    }
}

struct EnterpriseDashboard: Encodable {
    struct RoundSummary: Encodable {
        var noticeNumber: String
        var deadline: String
        var isOpen: Bool
    }

    var chrome: Chrome
    var name: String
    var creditCode: String
    var authority: String?
    var missingProfile: [String]
    var round: RoundSummary?
    var passwordChanged: Bool
    /// The list as escaped HTML: looping over the rows in Leaf was most of this page's rendering time.
    var applicationsHTML: String
    var applicationCount: Int
    /// Status changes and comments by the reviewers, newest first.
    var activity: [ActivityItem]

    init(chrome: Chrome, enterprise: Enterprise, round: Round, openRound: (record: RoundRecord, round: Round)?, now: Date, passwordChanged: Bool,
         applications: [ApplicationListItem], activity: [ActivityItem]) {
        applicationsHTML = Self.html(applications)
        applicationCount = applications.count
        self.activity = activity
        self.chrome = chrome
        name = enterprise.name
        creditCode = enterprise.creditCode
        let profile = EnterpriseProfile(
            creditCode: enterprise.creditCode, name: enterprise.name, city: enterprise.city, county: enterprise.county,
            zone: enterprise.zone, inTransformationZone: enterprise.inTransformationZone, ownership: enterprise.ownership,
            industryCategory: enterprise.industryCategory, industry: enterprise.industry)
        authority = round.reviewAuthority(for: profile)?.name
        missingProfile = [
            ("所在市", enterprise.city), ("所在县", enterprise.county), ("企业（单位）性质", enterprise.ownership),
            ("行业分类", enterprise.industryCategory), ("所属行业", enterprise.industry),
        ].compactMap { $0.1 == nil ? $0.0 : nil }
            + [("独立法人声明", enterprise.independentLegalPerson), ("省内实施声明", enterprise.implementedInShanxi), ("未获其他省级资金声明", enterprise.noOtherProvincialFunds)]
            .compactMap { $0.1 == nil ? $0.0 : nil }
        self.round = openRound.map { RoundSummary(noticeNumber: $0.round.noticeNumber, deadline: DateText.minute($0.record.deadline, timeZone: $0.round.timeZone), isOpen: now <= $0.record.deadline) }
        self.passwordChanged = passwordChanged
    }

    static func html(_ items: [ApplicationListItem]) -> String {
        var html = ""
        html.reserveCapacity(items.count * 500)
        for item in items {
            let e = HTML.escaped
            html += "<tr><td>\(e(item.programme))</td><td>\(e(item.direction))" + (item.round.map { "<div class=\"muted\">\(e($0))</div>" } ?? "")
                + "</td><td>\(e(item.projectName))</td>"
            html += "<td><span class=\"tag status-\(e(item.status))\">\(e(item.statusLabel))</span></td><td>\(e(item.verdictLabel ?? ""))</td>"
            let action = ApplicationStatus(rawValue: item.status)?.isEditableByEnterprise == true ? "填写" : "查看"
            html += "<td>\(e(item.updated))</td><td><a href=\"\(SiteURL.applications.path)/\(e(item.id))\">\(action)</a></td></tr>"
        }
        return html
    }
}
