import Fluent
import Foundation
import PolicyKit

/// The provincial admin's changes: 失信名单 imports and removals, staff accounts, the round's deadline. Each commits its
/// rows and its audit entry in one transaction.
struct Administration {
    let environment: ServiceEnvironment

    // MARK: - 失信名单

    /// A 失信名单 file (CSV or xlsx, read in a child process) checked line by line and imported whole, or refused with
    /// every bad line and nothing imported.
    func importBlacklist(file data: Data, fileName: String, source: String?) async throws -> (id: UUID, entries: Int) {
        let source = source.flatMap { CreditBlacklist.listNames.contains($0) ? $0 : nil } ?? CreditBlacklist.listNames[0]
        let (list, problems) = CreditBlacklist.parseRows(try await sheetRows(data), defaultSource: source)
        try Self.refuse(problems)
        guard list.count > 0 else { throw WorkflowError.invalid("文件中没有任何条目", fields: [:]) }
        return (try await importBlacklist(list, fileName: String(fileName.prefix(200))), list.count)
    }

    /// The rows of an uploaded list (CSV, or xlsx unpacked in a child process), or why the file cannot be read.
    func sheetRows(_ data: Data) async throws -> [(line: Int, cells: [String])] {
        guard !data.isEmpty else { throw WorkflowError.invalid("请选择要导入的 CSV 或 xlsx 文件", fields: [:]) }
        guard data.count <= SheetFile.maximumBytes else {
            throw WorkflowError.invalid("文件超过 \(SheetFile.maximumBytes / 1024 / 1024) MB", fields: [:])
        }
        do {
            return try await SheetFile.rows(data, directory: environment.settings.dataDirectory + "/tmp")
        } catch let unreadable as SheetFile.Unreadable {
            throw WorkflowError.invalid(unreadable.message, fields: [:])
        }
    }

    /// A list with bad lines is imported not at all; the admin sees every line and why.
    static func refuse(_ problems: [CreditBlacklist.LineProblem]) throws {
        guard problems.isEmpty else { throw WorkflowError.lines("文件中有 \(problems.count) 行有误，未导入任何条目。请修改后重新导入：", problems) }
    }

    /// Stores a checked list and recomputes the stored self-check of every enterprise it names.
    func importBlacklist(_ list: CreditBlacklist, fileName: String) async throws -> UUID {
        let importID = UUID()
        let now = environment.clock()
        let actor = "\(environment.actor.user.displayName)（\(environment.actor.role.label)）"
        let entries = list.entries.values.sorted { $0.creditCode < $1.creditCode }
        let sources = Set(entries.map(\.source)).sorted().joined(separator: "、")
        let environment = environment
        try await environment.database.transaction { database in
            for chunk in stride(from: 0, to: entries.count, by: 500).map({ entries[$0..<min($0 + 500, entries.count)] }) {
                try await chunk.map { BlacklistEntry(importID: importID, fileName: fileName, entry: $0, importedAt: now, importedBy: actor) }.create(on: database)
            }
            try await BlacklistEntry.refreshVerdicts(of: entries.map(\.creditCode), settings: environment.settings, on: database)
            try await environment.audit(.blacklistImported, on: database, objectType: "失信名单", objectID: importID.uuidString,
                                        after: "文件 \(fileName)，\(entries.count) 条（\(sources)）")
        }
        return importID
    }

    func blacklistEntries(_ importID: UUID?) async throws -> (UUID, [BlacklistEntry]) {
        guard let importID else { throw WorkflowError.notFound("该失信名单不存在") }
        let entries = try await BlacklistEntry.query(on: environment.database).filter(\.$importID == importID).sort(\.$creditCode).all()
        guard !entries.isEmpty else { throw WorkflowError.notFound("该失信名单不存在或已删除") }
        return (importID, entries)
    }

    func removeBlacklist(_ importID: UUID?) async throws {
        let (id, entries) = try await blacklistEntries(importID)
        let environment = environment
        try await environment.database.transaction { database in
            try await BlacklistEntry.query(on: database).filter(\.$importID == id).delete()
            try await BlacklistEntry.refreshVerdicts(of: entries.map(\.creditCode), settings: environment.settings, on: database)
            try await environment.audit(.blacklistRemoved, on: database, objectType: "失信名单", objectID: id.uuidString,
                                        before: "文件 \(entries[0].fileName)，\(entries.count) 条")
        }
    }

    /// Removes one entry; returns how many the list had before.
    func removeBlacklistEntry(_ importID: UUID?, entry entryID: UUID?) async throws -> Int {
        let (id, entries) = try await blacklistEntries(importID)
        guard let entryID, let entry = entries.first(where: { $0.id == entryID }) else { throw WorkflowError.notFound("该条目不存在或已删除") }
        let environment = environment
        try await environment.database.transaction { database in
            try await entry.delete(on: database)
            try await BlacklistEntry.refreshVerdicts(of: [entry.creditCode], settings: environment.settings, on: database)
            try await environment.audit(.blacklistRemoved, on: database, objectType: "失信名单", objectID: id.uuidString,
                                        before: "\(entry.creditCode) \(entry.name ?? "")（\(entry.source)，文件 \(entry.fileName)）")
        }
        return entries.count
    }

    // MARK: - 链主、链上企业营业收入奖励名单

    /// The award list (CSV or xlsx, an xlsx read in a child process) imported whole, or refused with every bad line.
    func importChainRewards(file data: Data, fileName: String) async throws -> (id: UUID, entries: Int) {
        let (listed, problems) = ChainRevenueReward.parseRows(try await sheetRows(data))
        try Self.refuse(problems)
        guard !listed.isEmpty else { throw WorkflowError.invalid("文件中没有任何条目", fields: [:]) }
        let importID = UUID()
        let now = environment.clock()
        let actor = "\(environment.actor.user.displayName)（\(environment.actor.role.label)）"
        let name = String(fileName.prefix(200))
        let environment = environment
        try await environment.database.transaction { database in
            for chunk in stride(from: 0, to: listed.count, by: 500).map({ listed[$0..<min($0 + 500, listed.count)] }) {
                try await chunk.map { ChainRewardEntry(importID: importID, fileName: name, entry: $0, importedAt: now, importedBy: actor) }.create(on: database)
            }
            let years = Set(listed.map(\.year)).sorted().map(String.init).joined(separator: "、")
            try await environment.audit(.chainRewardsImported, on: database, objectType: "链主、链上企业奖励名单", objectID: importID.uuidString,
                                        after: "文件 \(name)，\(listed.count) 条（\(years) 年度）")
        }
        return (importID, listed.count)
    }

    func removeChainRewards(_ importID: UUID?) async throws {
        guard let importID else { throw WorkflowError.notFound("该名单不存在") }
        let entries = try await ChainRewardEntry.query(on: environment.database).filter(\.$importID == importID).all()
        guard let first = entries.first else { throw WorkflowError.notFound("该名单不存在或已删除") }
        let environment = environment
        try await environment.database.transaction { database in
            try await ChainRewardEntry.query(on: database).filter(\.$importID == importID).delete()
            try await environment.audit(.chainRewardsRemoved, on: database, objectType: "链主、链上企业奖励名单", objectID: importID.uuidString,
                                        before: "文件 \(first.fileName)，\(entries.count) 条")
        }
    }

    // MARK: - Accounts

    struct NewStaff: Sendable {
        var role: Role?
        var organisation: String?
        var login: String
        var displayName: String
        var mobile: String?
    }

    /// A reviewer's or a security or audit administrator's account with a one-time password, or field → message.
    func createStaff(_ form: NewStaff, organisations: Set<String>, organisationName: String) async throws -> (User, password: String) {
        let database = environment.database
        let mobile = (form.mobile ?? "").isEmpty ? nil : try? MobileNumber.validate(form.mobile ?? "").get()
        let login = form.login
        let loginTaken = try await User.query(on: database).filter(\.$login == login).count() > 0
        var errors = StaffAccountRules.problems(login: login, displayName: form.displayName, role: form.role, organisation: form.organisation,
                                                organisations: organisations, mobile: form.mobile, loginTaken: loginTaken)
        if errors["mobile"] == nil, let mobile, try await User.query(on: database).filter(\.$mobile == mobile).count() > 0 {
            errors["mobile"] = "手机号码已被其他账号使用"
        }
        guard errors.isEmpty, let role = form.role else { throw WorkflowError.invalid("请按提示修改", fields: errors) }
        let password = TemporaryPassword.make()
        let user = User(role: role, organisation: form.organisation, login: login, mobile: mobile, displayName: form.displayName,
                        passwordHash: try await environment.passwords.hash(password))
        user.organisation = role == .cityReviewer || role == .divisionReviewer ? form.organisation : nil
        // The administrator has seen the one-time password; its holder must replace it at the first sign-in.
        user.mustChangePassword = true
        let environment = environment
        try await database.transaction { database in
            try await user.create(on: database)
            try await environment.audit(.accountCreated, on: database, objectType: "账号", objectID: try user.requireID().uuidString,
                                        after: "\(role.label) \(organisationName) \(login)")
        }
        return (user, password)
    }

    func account(_ id: UUID?) async throws -> User {
        guard let id, let user = try await User.find(id, on: environment.database) else { throw WorkflowError.notFound("账号不存在") }
        return user
    }

    /// A new one-time password; every session of the account ends.
    func resetPassword(_ id: UUID?) async throws -> (User, password: String) {
        let user = try await account(id)
        let password = TemporaryPassword.make()
        user.passwordHash = try await environment.passwords.hash(password)
        user.passwordChangedAt = environment.clock()
        user.mustChangePassword = true
        let environment = environment
        try await environment.database.transaction { database in
            try await user.save(on: database)
            try await UserSession.query(on: database).filter(\.$user.$id == user.requireID()).delete()
            try await environment.audit(.passwordReset, on: database, objectType: "账号", objectID: try user.requireID().uuidString)
        }
        return (user, password)
    }

    /// Disables or enables an account; disabling ends its sessions. One's own account cannot be disabled.
    func setDisabled(_ id: UUID?, _ disabled: Bool) async throws {
        let user = try await account(id)
        if disabled, user.id == environment.actor.user.id { throw WorkflowError.unavailable("不能停用自己的账号") }
        guard (user.disabledAt != nil) != disabled else { return }
        user.disabledAt = disabled ? environment.clock() : nil
        let environment = environment
        try await environment.database.transaction { database in
            try await user.save(on: database)
            if disabled { try await UserSession.query(on: database).filter(\.$user.$id == user.requireID()).delete() }
            try await environment.audit(disabled ? .accountDisabled : .accountEnabled, on: database, objectType: "账号", objectID: try user.requireID().uuidString,
                                        before: disabled ? "启用" : "停用", after: disabled ? "停用" : "启用")
        }
    }

    // MARK: - The round

    /// Moves a round's deadline later (the open round's when `roundID` is nil), with the reason in the audit entry.
    func extendDeadline(_ text: String, reason: String, roundID: String? = nil) async throws {
        let (record, round) = if let roundID { try await environment.openedRound(roundID) } else { try await environment.openRound() }
        let text = text.trimmingCharacters(in: .whitespaces)
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        var errors: [String: String] = [:]
        let deadline = DeadlineRules.parse(text, timeZone: round.timeZone)
        if let problem = DeadlineRules.extensionProblem(current: record.deadline, proposed: deadline, timeZone: round.timeZone) {
            errors["deadline"] = problem
        }
        if reason.isEmpty { errors["reason"] = "请填写延期原因" }
        guard errors.isEmpty, let deadline else { throw WorkflowError.invalid("请按提示修改", fields: errors) }
        let before = DateText.minute(record.deadline, timeZone: round.timeZone)
        record.deadline = deadline
        let environment = environment
        try await environment.database.transaction { database in
            try await record.save(on: database)
            try await environment.audit(.deadlineExtended, on: database, objectType: "申报批次", objectID: round.id, before: before,
                                        after: "\(DateText.minute(deadline, timeZone: round.timeZone))；原因：\(reason.prefix(500))")
        }
    }
}
