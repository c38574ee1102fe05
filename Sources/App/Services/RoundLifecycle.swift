import Crypto
import Fluent
import Foundation
import PolicyKit
import Vapor

/// The round file a round was opened with, as the database keeps it: canonical JSON and its digest.
enum RoundSnapshot {
    static func text(_ object: [String: JSONValue]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(JSONValue.object(object)), as: UTF8.self)
    }

    static func digest(_ object: [String: JSONValue]) throws -> String {
        AuditEvent.hex(SHA256.hash(data: Data(try text(object).utf8)))
    }

    /// The round a record keeps, checked like a file; nil for a record opened before rounds were snapshotted.
    static func round(of record: RoundRecord) throws(RoundError) -> Round? {
        guard let policy = record.policy else { return nil }
        guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(policy.utf8)) else {
            throw RoundError(file: "数据库中的批次 \(record.code)", entry: "", reason: "保存的政策文件不是有效的 JSON")
        }
        let checked = RoundLoader.check(object, file: "数据库中的批次 \(record.code)")
        if let error = checked.errors.first { throw error }
        return checked.round
    }

    /// Serves every opened round as it was opened, and says where the files no longer match: the server keeps
    /// working by the snapshot until the admin applies the file (`jigai round open ID`).
    static func install(from database: any Database, into catalog: RoundCatalog) async throws -> [String] {
        var notes: [String] = []
        for record in try await RoundRecord.query(on: database).sort(\.$openedAt).all() {
            let kept: Round?
            do {
                kept = try round(of: record)
            } catch {
                notes.append("批次 \(record.code) 保存的政策文件无法读取（\(error.description)），暂按政策文件目录中的文件办理")
                continue
            }
            let file = catalog.files[record.code]
            guard let kept else {
                // Opened before rounds were snapshotted: the file it is served by now is kept, so that it may be retired later.
                if let file {
                    record.policy = try text(file.object)
                    record.policyDigest = try digest(file.object)
                    try await record.save(on: database)
                } else {
                    notes.append("批次 \(record.code) 既没有保存的政策文件，政策文件目录中也没有，其申报无法办理；请放回政策文件后运行 jigai round open \(record.code)")
                }
                continue
            }
            catalog.install(kept)
            guard let file else { continue }
            if try digest(file.object) != record.policyDigest {
                let changes = RoundDiff.changes(from: kept, to: file.round)
                let sample = changes.prefix(3).map(\.text).joined(separator: "；")
                notes.append("批次 \(record.code) 的政策文件与开启时保存的版本不同（\(changes.count) 处变化\(sample.isEmpty ? "" : "：\(sample)")\(changes.count > 3 ? "……" : "")）。"
                             + "仍按开启时的版本办理；用 jigai round diff 核对后，运行 jigai round open \(record.code) 应用文件")
            }
        }
        return notes
    }
}

/// Opening, re-applying and closing rounds. Each is one change of the round's record with its audit entry, in one
/// transaction; the catalogue then serves the snapshot. From the admin's page `actor` is the admin; from the command
/// line it is nil and the audit entry says so.
struct RoundLifecycle {
    let database: any Database
    let catalog: RoundCatalog
    let cryptography: CryptographySettings
    let actor: User?
    let address: String?
    var clock: @Sendable () -> Date = { Date() }

    struct Outcome {
        var record: RoundRecord
        var round: Round
        /// What opening did: 开启, 重新开启, 应用政策文件, or nothing when the file was already the one kept.
        var action: AuditLog.Action?
        var changes: [RoundChange]
    }

    func audit(_ action: AuditLog.Action, on database: any Database, round: String, before: String? = nil, after: String?) async throws {
        try await AuditLog(database: database, cryptography: cryptography).record(
            action, actor: actor, actorLabel: actor == nil ? "命令行" : nil, objectType: "申报批次", objectID: round, before: before, after: after, address: address)
    }

    /// Opens the round of the file `id` for applications, or applies the file anew to an opened round (its texts,
    /// rules and, unless `deadline` says otherwise, the file's deadline where the file changed it). A closed round
    /// is reopened.
    func open(_ id: String, deadline: Date? = nil) async throws -> Outcome {
        guard let file = catalog.files[id] else {
            throw WorkflowError.notFound("政策文件目录中没有批次“\(id)”；可选：\(catalog.files.keys.sorted().joined(separator: "、"))")
        }
        let round = file.round
        let policy = try RoundSnapshot.text(file.object)
        let digest = try RoundSnapshot.digest(file.object)
        let time = { (date: Date) in DateText.minute(date, timeZone: round.timeZone) }
        if let deadline, deadline <= clock() {
            throw WorkflowError.invalid("截止时间须晚于现在", fields: ["deadline": "截止时间 \(time(deadline)) 已过，须晚于现在"])
        }
        guard let record = try await RoundRecord.query(on: database).filter(\.$code == id).first() else {
            let record = RoundRecord(code: round.id, noticeNumber: round.noticeNumber, title: round.title, deadline: deadline ?? round.deadline)
            record.policy = policy
            record.policyDigest = digest
            let after = "\(round.noticeNumber)；截止 \(time(record.deadline))"
            try await database.transaction { database in
                try await record.create(on: database)
                try await audit(.roundOpened, on: database, round: id, after: after)
            }
            catalog.install(round)
            return Outcome(record: record, round: round, action: .roundOpened, changes: [])
        }
        let kept = try RoundSnapshot.round(of: record)
        let changes = kept.map { RoundDiff.changes(from: $0, to: round) } ?? []
        let reopening = record.closedAt != nil
        let applying = record.policyDigest != digest
        let fileMovedDeadline = kept.map { $0.deadline != round.deadline } ?? false
        let newDeadline = deadline ?? (fileMovedDeadline ? round.deadline : record.deadline)
        guard reopening || applying || newDeadline != record.deadline else {
            return Outcome(record: record, round: round, action: nil, changes: [])
        }
        let before = "\(record.noticeNumber)；截止 \(time(record.deadline))" + (reopening ? "；已关闭" : "")
        record.noticeNumber = round.noticeNumber
        record.title = round.title
        record.policy = policy
        record.policyDigest = digest
        record.deadline = newDeadline
        record.closedAt = nil
        let action: AuditLog.Action = reopening ? .roundReopened : .roundApplied
        let summary = changes.prefix(20).map(\.text).joined(separator: "；")
        let after = "\(round.noticeNumber)；截止 \(time(newDeadline))" + (changes.isEmpty ? "" : "；\(changes.count) 处变化：\(summary)")
        try await database.transaction { database in
            try await record.save(on: database)
            try await audit(action, on: database, round: id, before: before, after: after)
        }
        catalog.install(round)
        return Outcome(record: record, round: round, action: action, changes: changes)
    }

    /// A round as the admin sees it: opened or not, and whether its file still is the one it was opened with.
    struct State {
        enum File {
            case notOpened
            case same
            /// The file changed since the round was opened: what applying it would change.
            case changed([RoundChange])
            /// The file is no longer in the policies folder; the round works from what was kept.
            case retired
        }

        var round: Round
        var record: RoundRecord?
        var file: File

        /// 未开启, 已开启 or 已关闭（when）.
        var label: String {
            guard let record else { return "未开启" }
            return record.closedAt.map { "已关闭（\(DateText.minute($0, timeZone: round.timeZone))）" } ?? "已开启"
        }
    }

    /// Every opened round in the order opened, then the round files not opened yet.
    func states() async throws -> [State] {
        var states: [State] = []
        for record in try await RoundRecord.query(on: database).sort(\.$openedAt).all() {
            guard let round = catalog[record.code] else { continue }
            let file: State.File
            if let loaded = catalog.files[record.code] {
                file = try RoundSnapshot.digest(loaded.object) == record.policyDigest ? .same : .changed(RoundDiff.changes(from: round, to: loaded.round))
            } else {
                file = .retired
            }
            states.append(State(round: round, record: record, file: file))
        }
        for id in catalog.files.keys.sorted() where !states.contains(where: { $0.round.id == id }) {
            states.append(State(round: catalog.files[id]!.round, record: nil, file: .notOpened))
        }
        return states
    }

    /// Ends applications and submissions of an opened round now; its applications are still reviewed.
    func close(_ id: String, reason: String) async throws -> RoundRecord {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let record = try await RoundRecord.query(on: database).filter(\.$code == id).first() else {
            throw WorkflowError.notFound("批次“\(id)”尚未开启")
        }
        guard record.closedAt == nil else { throw WorkflowError.unavailable("批次“\(id)”已关闭") }
        guard !reason.isEmpty else { throw WorkflowError.invalid("请填写关闭原因", fields: ["reason": "请填写关闭原因"]) }
        record.closedAt = clock()
        try await database.transaction { database in
            try await record.save(on: database)
            try await audit(.roundClosed, on: database, round: id, after: "关闭；原因：\(reason.prefix(500))")
        }
        return record
    }
}

extension RoundLifecycle.State.File {
    var summary: String {
        switch self {
        case .notOpened: "未开启"
        case .same: "政策文件与开启时一致"
        case .changed(let changes): "政策文件已改动（\(changes.count) 处），尚未应用"
        case .retired: "政策文件已不在目录中，按开启时保存的版本办理"
        }
    }
}

extension RoundLifecycle {
    /// What-if: the applications of an opened round (`fromID`, else the latest opened round other than the draft) that
    /// are in the running — submitted or further, not withdrawn — assessed under today's round and under `draft`.
    func simulate(_ draft: Round, fromID: String?) async throws -> (current: Round, lines: [RoundSimulation.Line]) {
        let opened = try await RoundRegistry(database: database, catalog: catalog).opened().map(\.round)
        guard let current = fromID.map({ id in opened.first { $0.id == id } }) ?? opened.first(where: { $0.id != draft.id }) else {
            throw WorkflowError.notFound(fromID.map { "批次“\($0)”尚未开启" } ?? "数据库中没有可比较的已开启批次")
        }
        let stored = try await StoredApplication.query(on: database).filter(\.$roundCode == current.id)
            .filter(\.$status !~ [ApplicationStatus.draft, .withdrawn]).all()
        let applications = try stored.map { try $0.application(round: current) }
        return (current, RoundSimulation.run(applications, current: current, draft: draft))
    }
}
