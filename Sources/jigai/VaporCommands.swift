import App
import ArgumentParser
import Foundation
import PolicyKit
import Vapor

/// Commands served by Vapor: the rest of the command line is Vapor's (`--hostname`, `--port`, `--yes`, `--env`).
protocol VaporCommand: AsyncParsableCommand {
    static var vaporCommand: String { get }
    var arguments: [String] { get }
}

extension VaporCommand {
    func run() async throws {
        // Production unless told otherwise: Leaf caches templates only outside development, and a deployment
        // runs exactly these commands. `--env development` for working on the app.
        let named = arguments.contains { $0 == "--env" || $0 == "-e" || $0.hasPrefix("--env=") }
        var environment = try Environment.detect(arguments: ["jigai", Self.vaporCommand] + arguments + (named ? [] : ["--env", "production"]))
        try LoggingSystem.bootstrap(from: &environment)
        let app = try await Application.make(environment)
        do {
            try await configure(app)
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
    static let configuration = CommandConfiguration(abstract: "启动网站（--hostname 127.0.0.1 --port 8080）")
    static let vaporCommand = "serve"
    @ArgumentParser.Argument(parsing: .captureForPassthrough) var arguments: [String] = []
}

struct Migrate: VaporCommand {
    static let configuration = CommandConfiguration(abstract: "迁移数据库（--yes 不询问）")
    static let vaporCommand = "migrate"
    @ArgumentParser.Argument(parsing: .captureForPassthrough) var arguments: [String] = []
}

struct Demo: VaporCommand {
    static let configuration = CommandConfiguration(abstract: "加载演示批次")
    static let vaporCommand = "demo"
    @ArgumentParser.Argument(parsing: .captureForPassthrough) var arguments: [String] = []
}

struct Audit: VaporCommand {
    static let configuration = CommandConfiguration(abstract: "操作日志：jigai audit verify 校验哈希链")
    static let vaporCommand = "audit"
    @ArgumentParser.Argument(parsing: .captureForPassthrough) var arguments: [String] = []
}

struct Backup: VaporCommand {
    static let configuration = CommandConfiguration(abstract: "备份数据库和附件（-o 备份.tar）")
    static let vaporCommand = "backup"
    @ArgumentParser.Argument(parsing: .captureForPassthrough) var arguments: [String] = []
}

struct Restore: VaporCommand {
    static let configuration = CommandConfiguration(abstract: "从备份恢复到空的数据目录（jigai restore 备份.tar）")
    static let vaporCommand = "restore"
    @ArgumentParser.Argument(parsing: .captureForPassthrough) var arguments: [String] = []
}
