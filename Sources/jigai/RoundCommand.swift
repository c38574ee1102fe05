import App
import ArgumentParser
import Foundation
import PolicyKit
import Vapor

/// `jigai round …`: the yearly procedure for a new notice — check the file, compare it with last year's, open it.
struct RoundCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "round",
        abstract: "申报批次：检查政策文件、比较两个批次、开启与关闭批次",
        discussion: "每年的步骤：写政策文件 → jigai round check → jigai round diff 上年 新年 → jigai simulate 新年 → jigai round open 编号。",
        subcommands: [RoundCheckCommand.self, RoundDiffCommand.self, RoundOpenCommand.self, RoundCloseCommand.self, RoundListCommand.self]
    )
}

struct RoundCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "严格检查政策文件：未知的键、日期、引用、规则参数；疑似沿用上年文字或单位填错的给出警告",
        discussion: "退出码：0 无错误（可能有警告）；1 有错误；2 文件无法读取。"
    )

    @ArgumentParser.Argument(help: "政策文件（JSON），可给多个")
    var files: [String]

    func run() async throws {
        var worst: Int32 = 0
        for path in files {
            let url = URL(fileURLWithPath: path)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                FileHandle.standardError.write(Data("无法读取政策文件：\(path)\n".utf8))
                worst = 2
                continue
            }
            let folder = url.deletingLastPathComponent()
            let checked = RoundLoader.check(data, file: url.lastPathComponent) { try Data(contentsOf: folder.appendingPathComponent($0)) }
            var lines: [String] = []
            if let round = checked.round {
                lines.append("\(path)：申报批次 \(round.id)（\(round.noticeNumber)），基准年度 \(round.baseYear)，\(round.allDirections.count) 个申报方向")
            } else {
                lines.append("\(path)：")
            }
            for error in checked.errors { lines.append("  错误　" + Self.line(error)) }
            for warning in checked.warnings { lines.append("  警告　" + Self.line(warning)) }
            lines.append(checked.errors.isEmpty
                ? "  检查通过" + (checked.warnings.isEmpty ? "" : "，有 \(checked.warnings.count) 条警告，请逐条核对")
                : "  有 \(checked.errors.count) 处错误，此文件不能使用" + (checked.warnings.isEmpty ? "" : "；另有 \(checked.warnings.count) 条警告"))
            print(lines.joined(separator: "\n"))
            if !checked.errors.isEmpty { worst = max(worst, 1) }
        }
        if worst != 0 { throw ExitCode(worst) }
    }

    static func line(_ problem: RoundError) -> String {
        problem.entry.isEmpty ? problem.reason : "\(problem.entry)：\(problem.reason)"
    }
}

struct RoundDiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "比较两个政策文件：门槛、申报方向、材料、联系人、期间、截止时间等的变化（开启新批次前审阅）",
        discussion: "退出码：0 已比较；2 文件有误。"
    )

    @ArgumentParser.Argument(help: "原批次的政策文件")
    var old: String
    @ArgumentParser.Argument(help: "新批次的政策文件")
    var new: String

    func run() async throws {
        do {
            let before = try RoundCatalog.loadFile(URL(fileURLWithPath: old))
            let after = try RoundCatalog.loadFile(URL(fileURLWithPath: new))
            print(RoundDiff.render(RoundDiff.changes(from: before, to: after), old: before, new: after))
        } catch let error as RoundError {
            Self.report(CommandFailure(message: error.description, code: 2))
        }
    }
}

/// Commands on the database `serve` uses (DATABASE_URL or $JIGAI_DATA/jigai.sqlite).
struct RoundOpenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "开启申报批次（政策文件目录中的编号）；已开启的批次再次运行即应用改动后的政策文件，已关闭的批次重新开启",
        discussion: "开启时政策文件保存进数据库，此后按保存的版本办理，文件退役也不影响该批次的申报。"
    )

    @ArgumentParser.Argument(help: "批次编号，如 shanxi-2024")
    var id: String
    @ArgumentParser.Option(name: .long, help: "截止时间（默认政策文件中的时间），如 \"2024-11-08 23:59\"")
    var deadline: String?

    func run() async throws {
        try await runOnDatabase { app in try await RoundCommands.open(id, deadline: deadline, app: app) }
    }
}

struct RoundCloseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "close", abstract: "关闭申报批次：企业不能再发起或提交申报，审核照常进行")

    @ArgumentParser.Argument(help: "批次编号")
    var id: String
    @ArgumentParser.Option(name: .long, help: "关闭原因（记入操作日志）")
    var reason: String

    func run() async throws {
        try await runOnDatabase { app in try await RoundCommands.close(id, reason: reason, app: app) }
    }
}

struct RoundListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "列出政策文件和数据库中的申报批次及其状态")

    func run() async throws {
        try await runOnDatabase { app in try await RoundCommands.list(app: app) }
    }
}

extension AsyncParsableCommand {
    /// Prints what `body` returns; a refusal goes to standard error with exit code 1.
    func runOnDatabase(_ body: (Vapor.Application) async throws -> [String]) async throws {
        do {
            let lines = try await withConfiguredApp(body)
            print(lines.joined(separator: "\n"))
        } catch let failure as CommandFailure {
            Self.report(failure)
        } catch let refused as CommandRefused {
            Self.report(CommandFailure(message: refused.message, code: 1))
        }
    }
}

struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "假设分析：按新批次草案的条件重新判断已开启批次的申报，逐方向列出现在和草案下符合条件的数量与申请金额",
        discussion: "只读，不改动数据库。比较的是已提交（含此后各状态、不含已撤回）的申报；财务期间、“白名单”期间按顺序对应到新批次。"
    )

    @ArgumentParser.Argument(help: "新批次的政策文件（草案）")
    var draft: String
    @ArgumentParser.Option(name: .long, help: "与哪个已开启的批次比较（默认最近开启的另一个批次）")
    var from: String?

    func run() async throws {
        let round: Round
        do {
            round = try RoundCatalog.loadFile(URL(fileURLWithPath: draft))
        } catch let error as RoundError {
            Self.report(CommandFailure(message: error.description, code: 2))
        }
        try await runOnDatabase { app in try await RoundCommands.simulate(round, from: from, app: app) }
    }
}
