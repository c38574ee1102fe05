import Documents
import Foundation
import PolicyKit

/// The home page: the open round and its catalogue, everything taken from the policy file.
struct HomePage: Encodable {
    struct RoundView: Encodable {
        var noticeNumber: String
        var title: String
        var programmeTitle: String
        var issuer: String
        var issuedOn: String
        var baseYear: Int
        var deadline: String
        var deadlineDay: String
        var isOpen: Bool
        var directionCount: Int
        var subDirectionCount: Int
    }

    struct Condition: Encodable {
        var text: String
        var clause: String
        var threshold: String?
    }

    struct Contact: Encodable {
        var row: Int
        var label: String
        var division: String
        var contacts: String
        var phone: String
    }

    struct SubDirectionView: Encodable {
        var id: String
        var name: String
        var scope: String
        var attachments: [String]
    }

    struct DirectionView: Encodable {
        var number: String
        var id: String
        var name: String
        var clause: String
        var scope: String
        var projectNameRule: String
        var subDirections: [SubDirectionView]
        var conditions: [Condition]
        var attachments: [String]
        var commitments: [String]
        var contacts: [Contact]
    }

    struct ProgrammeView: Encodable {
        var number: String
        var name: String
        var directions: [DirectionView]
    }

    var chrome: Chrome
    var round: RoundView?
    var generalConditions: [Condition]
    var generalAttachments: [String]
    var programmes: [ProgrammeView]

    init(chrome: Chrome, round: Round?, deadline: Date?, now: Date) {
        self.chrome = chrome
        guard let round, let deadline else {
            self.round = nil
            generalConditions = []
            generalAttachments = []
            programmes = []
            return
        }
        self.round = RoundView(
            noticeNumber: round.noticeNumber, title: round.title, programmeTitle: round.programmeTitle, issuer: round.issuer,
            issuedOn: round.issuedOn, baseYear: round.baseYear,
            deadline: DateText.minute(deadline, timeZone: round.timeZone), deadlineDay: DateText.day(deadline, timeZone: round.timeZone),
            isOpen: now <= deadline,
            directionCount: round.allDirections.count,
            subDirectionCount: round.allDirections.reduce(0) { $0 + ($1.direction.subDirections?.count ?? 0) })
        generalConditions = round.generalRules.map { Condition(text: $0.clauseText, clause: $0.clause) }
        generalAttachments = round.generalAttachments.map(\.title)
        var directionNumber = 0
        programmes = round.programmes.enumerated().map { index, programme in
            ProgrammeView(number: ChineseNumerals.ordinal(index + 1), name: programme.name, directions: programme.directions.map { direction in
                directionNumber += 1
                return DirectionView(
                    number: ChineseNumerals.ordinal(directionNumber), id: direction.id, name: direction.name, clause: direction.clause,
                    scope: direction.scope, projectNameRule: direction.projectNameRule.description,
                    subDirections: (direction.subDirections ?? []).map { sub in
                        SubDirectionView(id: sub.id, name: sub.name, scope: sub.clauseText, attachments: sub.attachments.map(\.title))
                    },
                    conditions: direction.rules.map { rule in
                        Condition(text: rule.clauseText, clause: rule.clause, threshold: Self.threshold(rule))
                    },
                    attachments: (direction.attachments ?? []).map(\.title),
                    commitments: (direction.commitments ?? []).map(\.text),
                    contacts: direction.routing.filter { $0.supplementary == nil }.map { row in
                        Contact(row: row.row, label: row.label, division: round.division(row.division)?.name ?? row.division,
                                contacts: row.contacts.joined(separator: "、"), phone: row.phone)
                    })
            })
        }
    }

    /// The rule's parameter as a short tag beside its text.
    static func threshold(_ rule: EligibilityRule) -> String? {
        switch rule.kind {
        case .minimum:
            guard let value = rule.threshold else { return nil }
            let unit = rule.displayUnit ?? "万元"
            let shown = value.compact(shift: unit == "亿元" ? 4 : 0)
            return unit == "%" ? "≥ \(shown)%" : "≥ \(shown) \(unit)"
        case .minimumRows:
            return rule.count.map { "≥ \($0) \(rule.unit ?? "项")" }
        case .equals:
            return rule.value.map { "= \($0)" }
        case .onOrBefore:
            return rule.date.flatMap(CalendarDate.init).map { "≤ \($0.chinese)" }
        case .monthlyGrowth:
            return rule.tiers.map { "每月 > 0%，任一月 ≥ " + $0.map { $0.minimumPercent.compact() + "%" }.joined(separator: " / ") }
        default:
            return nil
        }
    }
}
