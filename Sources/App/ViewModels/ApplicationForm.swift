import Foundation
import PolicyKit
import Vapor

/// `application/x-www-form-urlencoded` as flat name → value pairs. Field names are the application's paths
/// (`content.monthlyOutput[2].currentOutput`), which Vapor's own decoder would read as nesting.
enum FormBody {
    static func parse(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            fields[name] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }

    /// The row indices `i` of fields named `name[i].column`, ascending.
    static func rowIndices(_ name: String, in fields: [String: String]) -> [Int] {
        let prefix = name + "["
        return Set(fields.keys.compactMap { key -> Int? in
            guard key.hasPrefix(prefix), let close = key.firstIndex(of: "]") else { return nil }
            return Int(key[key.index(key.startIndex, offsetBy: prefix.count)..<close])
        }).sorted()
    }

    static func decode(_ text: Substring) -> String {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(text)
    }
}

/// Turns the generated form's fields into the application document, with the enterprise's profile as its 情况表 part.
struct ApplicationFormInput {
    let round: Round
    let spec: DirectionSpec
    let fields: [String: String]

    func json(stored: PolicyKit.Application, enterprise: Enterprise) -> JSONValue {
        var object: [String: JSONValue] = [
            "round": .string(stored.round),
            "direction": .string(stored.direction),
            "enterprise": Self.profile(enterprise),
            "contact": .object(["name": .string(enterprise.contactName), "mobile": .string(enterprise.mobile)]),
            "attachments": .array(stored.attachments.map { .object(["item": .string($0.item), "file": .string($0.file)]) }),
            "commitmentAccepted": .bool(fields["commitmentAccepted"] == "true"),
        ]
        if let sub = stored.subDirection { object["subDirection"] = .string(sub) }
        if let name = fields["projectName"] { object["projectName"] = .string(name) }
        var texts: [String: JSONValue] = [:]
        for text in round.overviewTexts { texts[text.id] = fields["overview.texts.\(text.id)"].map(JSONValue.string) }
        var finances: [String: JSONValue] = [:]
        for period in round.finance.periods {
            var items: [String: JSONValue] = [:]
            for item in round.finance.items { items[item.id] = fields["overview.finances.\(period.id).\(item.id)"].map(JSONValue.string) }
            finances[period.id] = .object(items)
        }
        let otherFinances = rows("overview.otherFinances", columns: ApplicationFormBuilder.otherFinancesSpec(round).columns ?? [])
        object["overview"] = .object(["texts": .object(texts), "finances": .object(finances), "otherFinances": .array(otherFinances)])
        var content: [String: JSONValue] = [:]
        for field in spec.fields {
            let name = "content.\(field.id)"
            if field.type == .table {
                content[field.id] = .array(rows(name, columns: field.columns ?? []))
            } else if let value = fields[name] {
                content[field.id] = Self.value(value, type: field.type)
            }
        }
        object["content"] = .object(content)
        var funding: [String: JSONValue] = [:]
        for source in round.performanceTargets.fundingSources {
            funding[source.id] = fields["performanceTargets.funding.\(source.id)"].map(JSONValue.string)
        }
        let goals = (fields["performanceTargets.goals"] ?? "").split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map(JSONValue.string)
        let indicatorColumns = ["level1", "level2", "name", "value"].map { FieldSpec(id: $0, label: $0, type: .text) }
        object["performanceTargets"] = .object([
            "funding": .object(funding), "goals": .array(goals),
            "indicators": .array(rows("performanceTargets.indicators", columns: indicatorColumns)),
        ])
        return .object(object)
    }

    /// Rows `name[i].column`, in index order; a row left entirely blank is dropped (that is how a row is deleted).
    func rows(_ name: String, columns: [FieldSpec]) -> [JSONValue] {
        FormBody.rowIndices(name, in: fields).compactMap { index in
            var cells: [String: JSONValue] = [:]
            for column in columns {
                if let value = fields["\(name)[\(index)].\(column.id)"], !value.trimmingCharacters(in: .whitespaces).isEmpty {
                    cells[column.id] = Self.value(value, type: column.type)
                }
            }
            return cells.isEmpty ? nil : .object(cells)
        }
    }

    static func value(_ text: String, type: FieldType) -> JSONValue {
        switch type {
        case .bool:
            switch text {
            case "true": .bool(true)
            case "false": .bool(false)
            default: .null
            }
        default:
            .string(text)
        }
    }

    static func profile(_ enterprise: Enterprise) -> JSONValue {
        var profile: [String: JSONValue] = [
            "creditCode": .string(enterprise.creditCode), "name": .string(enterprise.name),
            "inTransformationZone": .bool(enterprise.inTransformationZone),
        ]
        let texts: [(String, String?)] = [
            ("city", enterprise.city), ("county", enterprise.county), ("zone", enterprise.zone), ("ownership", enterprise.ownership),
            ("industryCategory", enterprise.industryCategory), ("industry", enterprise.industry),
        ]
        for (key, value) in texts { if let value { profile[key] = .string(value) } }
        let flags: [(String, Bool?)] = [
            ("independentLegalPerson", enterprise.independentLegalPerson), ("implementedInShanxi", enterprise.implementedInShanxi),
            ("noOtherProvincialFunds", enterprise.noOtherProvincialFunds),
        ]
        for (key, value) in flags { if let value { profile[key] = .bool(value) } }
        return .object(profile)
    }
}
