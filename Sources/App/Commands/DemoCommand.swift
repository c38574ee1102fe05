import Fluent
import PolicyKit
import Vapor

/// `jigai demo`: opens the demo round (a copy of the 2023 round with a future deadline).
struct DemoCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "round", help: "演示批次编号（默认 shanxi-2023-demo）")
        var round: String?
    }

    var help: String { "加载演示申报批次" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let code = signature.round ?? "shanxi-2023-demo"
        guard let round = app.settings.rounds[code] else {
            throw Abort(.notFound, reason: "找不到政策文件中的批次“\(code)”；可用：\(app.settings.rounds.rounds.keys.sorted().joined(separator: "、"))")
        }
        let record = try await RoundRegistry(database: app.db, catalog: app.settings.rounds).open(round)
        context.console.print("已开放演示批次：\(round.noticeNumber)（\(round.id)），截止 \(DateText.minute(record.deadline, timeZone: round.timeZone))")
    }
}
