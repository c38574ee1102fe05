import Foundation
import Vapor

/// `jigai audit verify | export | purge`: checks the audit chain, exports a range of it with its proof, and purges
/// what the retention period allows. `verify-export` needs no database and is run by the command line itself.
struct AuditCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "verify：校验哈希链；export：导出；purge：导出后清理")
        var action: String
        @Option(name: "to", help: "export：导出到这个文件（JSON Lines，不能已存在）")
        var to: String?
        @Option(name: "from", help: "export：从这一天（北京时间，含）起，例如 2024-01-01")
        var from: String?
        @Option(name: "before", help: "export、purge：到这一天（北京时间）之前为止，例如 2024-07-01")
        var before: String?
        @Option(name: "export", help: "purge：清理前把这些记录导出到这个文件（不能已存在）")
        var export: String?
    }

    var help: String {
        "操作日志：verify 校验哈希链；export --to 文件 [--from 日期] [--before 日期] 导出；purge --before 日期 --export 文件 导出后清理；verify-export 文件 校验导出文件"
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        switch signature.action {
        case "verify":
            let result = try await app.audit.verify()
            if let broken = result.firstBroken {
                // A refusal, so that the reason reaches standard error and the exit code is 1.
                throw CommandRefused(message: "操作日志校验失败：\(broken.reason)（已检查 \(result.events) 条）")
            }
            context.console.print("操作日志完整：共 \(result.events) 条，哈希链校验通过" + (result.purgeNote.map { "；" + $0 } ?? ""))
        case "export":
            try await export(app, signature, context.console)
        case "purge":
            try await purge(app, signature, context.console)
        default:
            throw CommandRefused(message: "未知操作“\(signature.action)”；可用：verify、export、purge、verify-export")
        }
    }

    func export(_ app: Vapor.Application, _ signature: Signature, _ console: any Console) async throws {
        guard let to = signature.to, !to.isEmpty else {
            throw CommandRefused(message: "请用 --to 指定导出文件，例如 jigai audit export --to 操作日志-2024.jsonl --from 2024-01-01 --before 2025-01-01")
        }
        let archive = AuditArchive(log: app.audit, retention: app.settings.auditRetention)
        guard let range = try await archive.range(from: try Self.day(signature.from, option: "--from"), before: try Self.day(signature.before, option: "--before")) else {
            throw CommandRefused(message: "所选时间范围内没有操作日志；未生成导出文件")
        }
        let exported = try await archive.export(range, to: URL(fileURLWithPath: to), from: signature.from, before: signature.before)
        try await app.audit.record(.export, actor: nil, actorLabel: "命令行", objectType: "操作日志", objectID: nil,
                                   after: "第 \(range.lowerBound)–\(range.upperBound) 条共 \(exported.count) 条，导出到 \(exported.file.lastPathComponent)，\(exported.digestText)",
                                   address: nil)
        console.print("已导出第 \(range.lowerBound)–\(range.upperBound) 条共 \(exported.count) 条操作日志到 \(exported.file.path)（\(exported.digestText)）；"
                      + "可在任何一台装有 jigai 的机器上用 jigai audit verify-export 校验")
    }

    func purge(_ app: Vapor.Application, _ signature: Signature, _ console: any Console) async throws {
        guard let text = signature.before, let before = try Self.day(text, option: "--before"),
              let file = signature.export, !file.isEmpty else {
            throw CommandRefused(message: "请用 --before 指定日期、--export 指定导出文件，例如 jigai audit purge --before 2024-07-01 --export 操作日志-2024上半年.jsonl")
        }
        let archive = AuditArchive(log: app.audit, retention: app.settings.auditRetention)
        guard let purged = try await archive.purge(before: before, day: text, exportTo: URL(fileURLWithPath: file), actor: "命令行") else {
            console.print("没有 \(text) 之前的操作日志可清理；未生成导出文件")
            return
        }
        let (exported, anchor) = purged
        console.print("已导出并清理 \(text) 之前的第 \(exported.range.lowerBound)–\(anchor.purgedThrough) 条共 \(anchor.purged) 条操作日志：")
        console.print("  导出文件 \(exported.file.path)（\(exported.digestText)），请保存到本机以外")
        console.print("  清理锚点：第 \(anchor.purgedThrough) 条，哈希 \(anchor.hash)；现存记录从这里接续")
    }

    /// A day written 2024-07-01 (Beijing time), or nil when the option is absent.
    static func day(_ text: String?, option: String) throws -> Date? {
        guard let text, !text.isEmpty else { return nil }
        guard let day = AuditController.day(text) else { throw CommandRefused(message: "\(option) 的日期“\(text)”无效，应写作 2024-07-01") }
        return day
    }
}
