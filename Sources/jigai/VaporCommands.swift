import App
import ArgumentParser
import Foundation
import PolicyKit
import Vapor

/// Commands served by Vapor: the rest of the command line is Vapor's (`--hostname`, `--port`, `--yes`, `--env`).
protocol VaporCommand: AsyncParsableCommand {
    static var vaporCommand: String { get }
    /// Serves or changes applications, so it needs the rounds as they were opened (not `migrate`, `restore`, …).
    static var readsRounds: Bool { get }
    var arguments: [String] { get }
}

extension VaporCommand {
    func run() async throws {
        try await runApplication()
    }

    func runApplication() async throws {
        // Production unless told otherwise: Leaf caches templates only outside development, and a deployment
        // runs exactly these commands. `--env development` for working on the app.
        let named = arguments.contains { $0 == "--env" || $0 == "-e" || $0.hasPrefix("--env=") }
        // `--demo` is ours, not Vapor's: the server may then run with the demo accounts' published password.
        let demo = arguments.contains("--demo")
        let passed = arguments.filter { $0 != "--demo" }
        var environment = try Environment.detect(arguments: ["jigai", Self.vaporCommand] + passed + (named ? [] : ["--env", "production"]))
        try LoggingSystem.bootstrap(from: &environment)
        let app = try await Application.make(environment)
        do {
            try await configure(app)
            if demo { app.useDemoSecurityProfile() }
            if Self.readsRounds {
                for note in try await app.installRoundSnapshots() { app.logger.warning("\(note)") }
            }
            if Self.vaporCommand == "serve", app.environment == .production, !demo {
                let published = try await app.accountsWithPublishedDemoPassword()
                guard published.isEmpty else {
                    throw CommandRefused(message: "生产环境拒绝启动：以下账号仍使用公开的演示密码：\(published.joined(separator: "、"))。"
                                         + "请修改密码或停用这些账号后再启动；演示请用 jigai serve --demo（make run 即如此）")
                }
            }
            try await app.execute()
        } catch let error as RoundError {
            try? await app.asyncShutdown()
            Self.report(CommandFailure(message: error.description, code: 2))
        } catch let refused as CommandRefused {
            try? await app.asyncShutdown()
            Self.report(CommandFailure(message: refused.message, code: 1))
        } catch {
            app.logger.report(error: error)
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}

struct Serve: VaporCommand {
    static let configuration = CommandConfiguration(
        abstract: "启动网站（--hostname 127.0.0.1 --port 8080；--demo 允许演示账号）",
        discussion: "生产环境（默认）中若有账号仍使用公开的演示密码则拒绝启动，除非给出 --demo。")
    static let vaporCommand = "serve"
    static let readsRounds = true
    @ArgumentParser.Argument(parsing: .captureForPassthrough) var arguments: [String] = []
}

struct Migrate: VaporCommand {
    static let configuration = CommandConfiguration(abstract: "迁移数据库（--yes 不询问）")
    static let vaporCommand = "migrate"
    static let readsRounds = false
    @ArgumentParser.Argument(parsing: .captureForPassthrough) var arguments: [String] = []
}

struct Demo: VaporCommand {
    static let configuration = CommandConfiguration(abstract: "加载演示批次")
    static let vaporCommand = "demo"
    static let readsRounds = true
    @ArgumentParser.Argument(parsing: .captureForPassthrough) var arguments: [String] = []
}

struct Audit: VaporCommand {
    static let configuration = CommandConfiguration(
        abstract: "操作日志：verify 校验哈希链；export --to 文件 导出；purge --before 日期 --export 文件 导出后清理；verify-export 文件 校验导出文件",
        discussion: "verify-export 只读导出文件，不需要数据库和配置，可在别的机器上运行。退出码：0 通过或完成；1 校验未通过或被拒绝（原因写在标准错误上）；2 参数有误。")
    static let vaporCommand = "audit"
    static let readsRounds = false
    @ArgumentParser.Argument(parsing: .captureForPassthrough) var arguments: [String] = []

    func run() async throws {
        // An export is checked where it is kept, off the server: no configuration, no database.
        guard arguments.first == "verify-export" else { return try await runApplication() }
        guard arguments.count == 2 else { Self.report(CommandFailure(message: "用法：jigai audit verify-export 导出文件", code: 2)) }
        do {
            for line in try AuditExportFile.verify(path: arguments[1]) { print(line) }
        } catch let refused as CommandRefused {
            Self.report(CommandFailure(message: refused.message, code: 1))
        } catch {
            Self.report(CommandFailure(message: "无法校验导出文件：\(error)", code: 1))
        }
    }
}

struct Backup: VaporCommand {
    static let configuration = CommandConfiguration(abstract: "备份数据库和附件（-o 备份.tar）")
    static let vaporCommand = "backup"
    static let readsRounds = false
    @ArgumentParser.Argument(parsing: .captureForPassthrough) var arguments: [String] = []
}

struct Restore: VaporCommand {
    static let configuration = CommandConfiguration(abstract: "从备份恢复到空的数据目录（jigai restore 备份.tar）")
    static let vaporCommand = "restore"
    static let readsRounds = false
    @ArgumentParser.Argument(parsing: .captureForPassthrough) var arguments: [String] = []
}
