import Vapor

/// `jigai audit verify`: recomputes the audit chain and reports the first broken event.
struct AuditCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "verify：校验操作日志的哈希链")
        var action: String
    }

    var help: String { "操作日志：verify 校验哈希链" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "verify" else {
            throw Abort(.badRequest, reason: "未知操作“\(signature.action)”；可用：verify")
        }
        let result = try await AuditLog(database: context.application.db).verify()
        if let broken = result.firstBroken {
            context.console.error("操作日志校验失败：\(broken.reason)（已检查 \(result.events) 条）")
            throw AuditChainBroken()
        }
        context.console.print("操作日志完整：共 \(result.events) 条，哈希链校验通过")
    }

    struct AuditChainBroken: Error {}
}
