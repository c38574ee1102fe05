import Foundation
import PolicyKit

/// 资料库: the newest version as new applications receive it — 正文（一）, 绩效目标表, the common uploads — and every
/// version with when and from which application it was kept.
struct LibraryPage: Encodable {
    struct Text: Encodable {
        var label: String
        var text: String
    }

    struct FinanceRow: Encodable {
        var label: String
        var values: [String]
    }

    struct File: Encodable {
        var title: String
        var name: String
        var size: String
    }

    struct Version: Encodable {
        var number: Int
        var savedAt: String
        var source: String
        var sourceHref: String?
    }

    var chrome: Chrome
    var hasLibrary: Bool
    var texts: [Text]
    var periods: [String]
    var finances: [FinanceRow]
    var goals: [String]
    var indicators: Int
    var files: [File]
    var versions: [Version]

    init(chrome: Chrome, round: Round, versions stored: [LibraryVersion], sources: [StoredApplication]) throws {
        self.chrome = chrome
        hasLibrary = !stored.isEmpty
        let content = try stored.first?.decodedContent().fitted(to: round)
        texts = round.overviewTexts.compactMap { spec in content?.overview.texts[spec.id].map { Text(label: spec.label, text: $0) } }
        periods = round.finance.periods.map(\.label)
        finances = round.finance.items.map { item in
            FinanceRow(label: item.label + (item.type == .percent ? "（%）" : "（万元）"),
                       values: round.finance.periods.map { content?.overview.finances[$0.id]?[item.id]?.grouped() ?? "" })
        } + (content?.overview.otherFinances ?? []).map { other in
            FinanceRow(label: other.label, values: round.finance.periods.map { other.values[$0.id]?.grouped() ?? "" })
        }
        goals = content?.performanceTargets.goals ?? []
        indicators = content?.performanceTargets.indicators.count ?? 0
        let titles = Dictionary(round.generalAttachments.map { ($0.id, $0.title) }) { first, _ in first }
        files = try (stored.first?.decodedFiles() ?? []).map { File(title: titles[$0.item] ?? $0.item, name: $0.originalName, size: ByteCountText.format($0.size)) }
        let names = Dictionary(sources.compactMap { source in source.id.map { ($0, source.projectName ?? source.direction) } }) { first, _ in first }
        let timeZone = round.timeZone
        versions = stored.enumerated().map { index, version in
            Version(number: stored.count - index, savedAt: DateText.minute(version.savedAt, timeZone: timeZone),
                    source: version.sourceApplicationID.flatMap { names[$0] } ?? "—",
                    sourceHref: version.sourceApplicationID.map { SiteURL.application($0).path })
        }
    }
}
