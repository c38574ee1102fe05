import App
import ArgumentParser
import Foundation
import Vapor

/// `jigai admin create`: the first administrator of a new installation, without the demo. The password is typed on
/// the terminal (not echoed) or read from a file, never given on the command line where `ps` and the shell history see it.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "admin", abstract: "管理员账号：jigai admin create", subcommands: [AdminCreateCommand.self])
}

struct AdminCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "创建管理员账号（密码在终端输入，或用 --password-file 从文件读取）",
        discussion: "密码规则与网站相同：至少 10 个字符，不能是重复字符或键盘顺序。"
    )

    @ArgumentParser.Option(name: .long, help: "登录名（3–32 位小写字母、数字、点、下划线或连字符）")
    var login: String
    @ArgumentParser.Option(name: .long, help: "姓名或称谓，如 投资处管理员")
    var name: String
    @ArgumentParser.Option(name: .long, help: "从此文件的第一行读取密码（文件应只有本人可读）")
    var passwordFile: String?

    func run() async throws {
        let password: String
        do {
            password = try readPassword()
        } catch let failure as CommandFailure {
            Self.report(failure)
        }
        try await runOnDatabase { app in try await RoundCommands.createAdmin(login: login, name: name, password: password, app: app) }
    }

    func readPassword() throws -> String {
        if let passwordFile {
            guard let data = FileManager.default.contents(atPath: passwordFile), let text = String(data: data, encoding: .utf8) else {
                throw CommandFailure(message: "无法读取密码文件：\(passwordFile)", code: 2)
            }
            return String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        }
        guard isatty(STDIN_FILENO) == 1 else {
            throw CommandFailure(message: "请在终端中运行以输入密码，或用 --password-file 指定密码文件", code: 2)
        }
        guard let first = getpass("新管理员的密码："), let typed = String(validatingCString: first),
              let second = getpass("再输入一次："), typed == String(validatingCString: second) else {
            throw CommandFailure(message: "两次输入的密码不一致", code: 2)
        }
        return typed
    }
}
