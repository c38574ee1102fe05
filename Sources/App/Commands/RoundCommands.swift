import Fluent
import Foundation
import PolicyKit
import Vapor

/// What `jigai round open|close|list` and `jigai admin create` do, on the database `serve` uses. Each returns the
/// lines to print; a refusal is a `CommandRefused` in Chinese.
public enum RoundCommands {
    static func refusal(_ error: WorkflowError) -> CommandRefused {
        CommandRefused(message: error.problems.joined(separator: "\n"))
    }

    public static func open(_ id: String, deadline text: String?, app: Vapor.Application) async throws -> [String] {
        let catalog = app.settings.rounds
        guard let file = catalog.files[id] else {
            throw CommandRefused(message: "政策文件目录 \(app.settings.policiesDirectory) 中没有批次“\(id)”；可选：\(catalog.files.keys.sorted().joined(separator: "、"))")
        }
        var deadline: Date?
        if let text {
            guard let parsed = DeadlineRules.parse(text, timeZone: file.round.timeZone) else {
                throw CommandRefused(message: "截止时间“\(text)”无效，应写作 2024-11-08 23:59（\(file.round.timeZone)）")
            }
            deadline = parsed
        }
        let outcome: RoundLifecycle.Outcome
        do {
            outcome = try await RoundLifecycle(database: app.db, catalog: catalog, cryptography: app.settings.cryptography, actor: nil, address: nil).open(id, deadline: deadline)
        } catch let error as WorkflowError {
            throw refusal(error)
        }
        let round = outcome.round
        let closing = DateText.minute(outcome.record.deadline, timeZone: round.timeZone)
        let head: String
        switch outcome.action {
        case .roundOpened?: head = "已开启申报批次 \(round.id)（\(round.noticeNumber)），截止 \(closing)"
        case .roundReopened?: head = "已重新开启申报批次 \(round.id)（\(round.noticeNumber)），截止 \(closing)"
        case .roundApplied?: head = "已将政策文件应用于申报批次 \(round.id)（\(round.noticeNumber)），截止 \(closing)"
        default: head = "申报批次 \(round.id) 已按此政策文件开启，截止 \(closing)，没有变化"
        }
        return [head] + outcome.changes.map { "  · \($0.text)" }
    }

    public static func close(_ id: String, reason: String, app: Vapor.Application) async throws -> [String] {
        do {
            let record = try await RoundLifecycle(database: app.db, catalog: app.settings.rounds, cryptography: app.settings.cryptography, actor: nil, address: nil).close(id, reason: reason)
            let zone = app.settings.rounds[id]?.timeZone ?? "Asia/Shanghai"
            return ["已关闭申报批次 \(id)（\(DateText.minute(record.closedAt ?? Date(), timeZone: zone))）：企业不能再发起或提交申报，审核照常进行"]
        } catch let error as WorkflowError {
            throw refusal(error)
        }
    }

    /// Every round file and every opened round: state, deadline, and whether the file still matches what was opened.
    public static func list(app: Vapor.Application) async throws -> [String] {
        let states = try await RoundLifecycle(database: app.db, catalog: app.settings.rounds, cryptography: app.settings.cryptography, actor: nil, address: nil).states()
        guard !states.isEmpty else { return ["没有申报批次：政策文件目录 \(app.settings.policiesDirectory) 为空"] }
        return states.map { state in
            let round = state.round
            let time = { (date: Date) in DateText.minute(date, timeZone: round.timeZone) }
            guard let record = state.record else {
                return "\(round.id)　\(round.noticeNumber)　未开启　文件中的截止时间 \(time(round.deadline))"
            }
            return "\(round.id)　\(round.noticeNumber)　\(state.label)　截止 \(time(record.deadline))　\(state.file.summary)"
        }
    }

    /// `jigai simulate`: the table of `RoundSimulation` for a draft round file.
    public static func simulate(_ draft: Round, from: String?, app: Vapor.Application) async throws -> [String] {
        do {
            let (current, lines) = try await RoundLifecycle(database: app.db, catalog: app.settings.rounds, cryptography: app.settings.cryptography, actor: nil, address: nil).simulate(draft, fromID: from)
            return [RoundSimulation.render(lines, current: current, draft: draft)]
        } catch let error as WorkflowError {
            throw refusal(error)
        }
    }

    /// The first administrator of a new installation (and any later one), with a password typed by the operator.
    public static func createAdmin(login: String, name: String, password: String, app: Vapor.Application) async throws -> [String] {
        var problems = StaffAccountRules.problems(login: login, displayName: name, role: .admin, organisation: nil, organisations: [], mobile: nil,
                                                  loginTaken: try await User.query(on: app.db).filter(\.$login == login).count() > 0)
        // The rules are the admin page's, which makes reviewers only: an administrator is what this command is for.
        problems["role"] = nil
        if let password = await WeakPasswords.problems(password).first { problems["password"] = password }
        guard problems.isEmpty else { throw CommandRefused(message: problems.keys.sorted().compactMap { problems[$0] }.joined(separator: "\n")) }
        let user = User(role: .admin, organisation: nil, login: login, mobile: nil, displayName: name, passwordHash: try await app.password.async.hash(password))
        try await app.db.transaction { database in
            try await user.create(on: database)
            try await AuditLog(database: database, cryptography: app.settings.cryptography).record(
                .accountCreated, actor: nil, actorLabel: "命令行", objectType: "账号", objectID: try user.requireID().uuidString,
                after: "\(Role.admin.label) \(login)", address: nil)
        }
        return ["已创建管理员账号 \(login)（\(name)）"]
    }
}
