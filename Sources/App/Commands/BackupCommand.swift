import Foundation
import Vapor

/// `jigai backup -o FILE`: the database and the attachment files in one tar archive with a manifest.
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "output", short: "o", help: "备份文件（tar）")
        var output: String?
    }

    var help: String { "备份数据库和附件到一个文件：jigai backup -o 备份.tar" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let output = signature.output, !output.isEmpty else {
            throw CommandRefused(message: "请用 -o 指定备份文件，例如 jigai backup -o jigai-备份.tar")
        }
        let file = URL(fileURLWithPath: output)
        let manifest = try await Backup.create(app: context.application, output: file)
        context.console.print("已备份到 \(file.path)：\(manifest.database.label) 数据库 \(manifest.tables.count) 张表共 \(manifest.tables.values.reduce(0, +)) 行，附件 \(manifest.files.count) 个（\(Self.megabytes(manifest.files.values.reduce(0, +)))）")
    }

    static func megabytes(_ bytes: Int64) -> String {
        String(format: "%.1f MB", Double(bytes) / 1_048_576)
    }
}

/// `jigai restore FILE`: into an empty data folder (and, on PostgreSQL, an empty database), then checked against the manifest.
struct RestoreCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "file", help: "jigai backup 生成的备份文件")
        var file: String
    }

    var help: String { "从备份文件恢复到空的数据目录：jigai restore 备份.tar" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let manifest = try await Backup.restore(app: context.application, archive: URL(fileURLWithPath: signature.file))
        context.console.print("已恢复到 \(context.application.settings.dataDirectory)，校验通过：\(manifest.tables.count) 张表共 \(manifest.tables.values.reduce(0, +)) 行与备份清单一致，附件 \(manifest.files.count) 个的 SHA-256 均一致")
    }
}
