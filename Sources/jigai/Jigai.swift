import App
import ArgumentParser
import Foundation
import PolicyKit

@main
struct Jigai: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jigai",
        abstract: "晋技改：山西省技术改造专项资金奖励项目申报系统",
        subcommands: [Serve.self, Migrate.self, Demo.self, Audit.self, Backup.self, Restore.self, RoundCommand.self, SimulateCommand.self, AdminCommand.self, Catalog.self, Check.self, Report.self, Summary.self]
    )

    /// Like ArgumentParser's own entry point, but a misuse of the command line exits with 2 and says so in Chinese.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success || code == .failure {
                exit(withError: error)
            }
            FileHandle.standardError.write(Data("命令行参数有误：\(fullMessage(for: error))\n请运行 jigai help 查看用法。\n".utf8))
            Foundation.exit(2)
        }
    }
}

/// Options shared by the commands that read a round file directly.
struct RoundOptions: ParsableArguments {
    @Option(name: .long, help: "申报批次：编号或政策文件路径（默认 $JIGAI_ROUND；否则申报文件所写的批次；否则 $JIGAI_POLICIES 中基准年度最新的批次）")
    var round: String?

    /// - Parameter named: the round an application file names, used when neither `--round` nor `$JIGAI_ROUND` is given.
    func load(named: String? = nil) throws -> Round {
        let requested = round ?? ProcessInfo.processInfo.environment["JIGAI_ROUND"]
        do {
            if let requested, requested.hasSuffix(".json") || requested.contains("/") {
                return try RoundCatalog.loadFile(URL(fileURLWithPath: requested))
            }
            let directory = InstallLayout.policiesDirectory()
            let catalog = try RoundCatalog.load(directory: directory)
            let known = catalog.rounds.keys.sorted().joined(separator: "、")
            if let id = requested ?? named {
                // A file naming the real round is read with it, not with a round derived from it (the demo).
                guard let match = catalog[id] ?? catalog.rounds.values.sorted(by: { $0.id < $1.id }).first(where: { $0.accepts(roundID: id) }) else {
                    throw CommandFailure(message: "政策文件目录 \(directory) 中没有申报批次“\(id)”；可选：\(known)", code: 2)
                }
                return match
            }
            guard let latest = catalog.latest else { throw CommandFailure(message: "政策文件目录 \(directory) 中没有政策文件", code: 2) }
            return latest
        } catch let error as RoundError {
            throw CommandFailure(message: error.description, code: 2)
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure(message: "\(error)", code: 2)
        }
    }

    /// The round id an application file names (its `round`), read before the file is checked against a round.
    static func roundID(of data: Data) -> String? {
        guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: data), case .string(let id)? = object["round"] else { return nil }
        return id
    }
}

/// A failure reported in Chinese on standard error with a chosen exit code.
struct CommandFailure: Error {
    var message: String
    var code: Int32
}

extension AsyncParsableCommand {
    static func report(_ failure: CommandFailure) -> Never {
        FileHandle.standardError.write(Data((failure.message + "\n").utf8))
        Foundation.exit(failure.code)
    }
}

struct Catalog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "输出申报批次的目录（JSON；--tree 输出中文提纲）")

    @OptionGroup var roundOptions: RoundOptions
    @Flag(name: .long, help: "输出中文提纲")
    var tree = false

    func run() async throws {
        do {
            let round = try roundOptions.load()
            print(tree ? CatalogOutline.render(round) : try JSONOutput.encode(round))
        } catch let failure as CommandFailure {
            Self.report(failure)
        }
    }
}

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "检查一份申报（JSON）是否符合申报条件",
        discussion: "退出码：0 符合条件；1 不符合条件或信息不完整；2 输入有误。格式见 docs/application-format.md。"
    )

    @Argument(help: "申报文件（JSON），- 表示标准输入")
    var file: String
    @OptionGroup var roundOptions: RoundOptions
    @Option(name: .long, help: "失信名单（CSV，含“统一社会信用代码”列）")
    var blacklist: String?

    func run() async throws {
        do {
            let data = try read(file)
            let round = try roundOptions.load(named: RoundOptions.roundID(of: data))
            let list = try blacklist.map(loadBlacklist) ?? .empty
            let application: Application
            do {
                application = try ApplicationReader.read(data, round: round)
            } catch {
                print(try JSONOutput.encode(InvalidInput(problems: error.problems)))
                throw CommandFailure(message: "输入有误：\n" + error.problems.map { "  " + $0.description }.joined(separator: "\n"), code: 2)
            }
            let verdict = EligibilityEngine(round: round).evaluate(application, blacklist: list)
            print(try JSONOutput.encode(verdict))
            if verdict.status != .eligible { throw ExitCode(1) }
        } catch let failure as CommandFailure {
            Self.report(failure)
        }
    }

    struct InvalidInput: Encodable {
        var status = "invalid"
        var problems: [InputProblem]
    }

    func read(_ path: String) throws -> Data {
        if path == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure(message: "无法读取申报文件：\(path)", code: 2)
        }
        return data
    }

    func loadBlacklist(_ path: String) throws -> CreditBlacklist {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw CommandFailure(message: "无法读取失信名单（须为 UTF-8 编码的 CSV）：\(path)", code: 2)
        }
        let (list, problems) = CreditBlacklist.parseCSV(text)
        guard problems.isEmpty else {
            throw CommandFailure(message: "失信名单 \(path) 有误：\n" + problems.map { "  " + $0.description }.joined(separator: "\n"), code: 2)
        }
        return list
    }
}

enum JSONOutput {
    static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

