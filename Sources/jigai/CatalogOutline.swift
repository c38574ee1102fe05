import Documents
import PolicyKit

/// `jigai catalog --tree`: the round as a Chinese outline.
enum CatalogOutline {
    static func render(_ round: Round) -> String {
        var lines = [
            "\(round.noticeNumber) \(round.programmeTitle)",
            "截止时间：\(DateText.minute(round.deadline, timeZone: round.timeZone))（\(round.timeZone)）；奖励基准年度：\(round.baseYear)",
            "支持对象条件：",
        ]
        lines += round.generalRules.map { "  · \($0.clauseText)（\($0.clause)）" }
        var directionNumber = 0
        for (index, programme) in round.programmes.enumerated() {
            lines.append("\(ChineseNumerals.ordinal(index + 1))、\(programme.name)")
            for direction in programme.directions {
                directionNumber += 1
                lines.append("  （\(ChineseNumerals.ordinal(directionNumber))）\(direction.name)〔\(direction.id)〕")
                for sub in direction.subDirections ?? [] {
                    lines.append("      - \(sub.name)〔\(sub.id)〕")
                }
                for rule in direction.rules {
                    lines.append("      条件：\(rule.clauseText)（\(rule.clause)）")
                }
                lines.append("      项目名称：\(direction.projectNameRule.description)")
                for row in direction.routing {
                    let division = round.division(row.division)?.name ?? row.division
                    let number = row.supplementary == nil ? "\(row.row)" : "附件4未列"
                    lines.append("      处室：\(number). \(row.label) — \(division) \(row.contacts.joined(separator: "、")) \(row.phone)")
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
