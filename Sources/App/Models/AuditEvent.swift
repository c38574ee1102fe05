import Cryptography
import Fluent
import Foundation
import PolicyKit
import SQLKit
import Vapor

/// 操作日志: append-only, each event chained to the one before by its digest (SHA-256, or SM3 under `JIGAI_GUOMI=1`),
/// so that a changed or removed event shows. Each event names the algorithm it was hashed with, so a log switched to
/// SM3 midway still verifies.
final class AuditEvent: Model, @unchecked Sendable {
    static let schema = "audit_events"

    @ID(key: .id) var id: UUID?
    @Field(key: "sequence") var sequence: Int
    @Field(key: "at") var at: Date
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "actor") var actor: String
    @Field(key: "action") var action: String
    @Field(key: "object_type") var objectType: String
    @OptionalField(key: "object_id") var objectID: String?
    @OptionalField(key: "before") var before: String?
    @OptionalField(key: "after") var after: String?
    @OptionalField(key: "address") var address: String?
    @Field(key: "previous_hash") var previousHash: String
    /// `DigestAlgorithm`'s raw value; text rather than the enum, so that an altered value fails the check instead of the query.
    @Field(key: "digest_algorithm") var digestAlgorithm: String
    @Field(key: "hash") var hash: String

    init() {}

    /// The text the hash covers: every field, in a fixed order, separated by a character no field contains. The
    /// algorithm is not among them: hashing with another one already changes the hash.
    var canonical: String {
        AuditEvent.canonical(sequence: sequence, milliseconds: AuditEvent.milliseconds(at), actorID: actorID?.uuidString, actor: actor, action: action,
                             objectType: objectType, objectID: objectID, before: before, after: after, address: address, previousHash: previousHash)
    }

    /// The time as the hash covers it, also how an export writes it.
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func canonical(sequence: Int, milliseconds: Int64, actorID: String?, actor: String, action: String, objectType: String, objectID: String?,
                          before: String?, after: String?, address: String?, previousHash: String) -> String {
        [String(sequence), String(milliseconds), actorID ?? "", actor, action, objectType, objectID ?? "",
         before ?? "", after ?? "", address ?? "", previousHash].joined(separator: "\u{1F}")
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Lower-case hex, byte by byte rather than through `String(format:)`, which is slow over a long log.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in bytes {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    static func digest(_ text: String, algorithm: DigestAlgorithm, provider: any CryptoProvider) -> String {
        hex(provider.digest(Data(text.utf8), algorithm: algorithm))
    }

    static let genesis = String(repeating: "0", count: 64)
}

extension DigestAlgorithm {
    /// As people write it: SHA-256, SM3.
    var label: String {
        switch self {
        case .sha256: "SHA-256"
        case .sm3: "SM3"
        }
    }
}

/// Writes and checks the audit chain.
struct AuditLog {
    let database: any Database
    /// The algorithm new events are hashed with, and the provider that hashes them and checks every event.
    let cryptography: CryptographySettings
    /// When events happen; the tests of purging write events of the past.
    var clock: @Sendable () -> Date = { Date() }

    /// What happened, in the words the admin's audit page shows.
    enum Action: String, CaseIterable {
        case signIn = "登录成功"
        case signInFailed = "登录失败"
        case signInLocked = "登录被锁定"
        case signInDisabled = "停用账号尝试登录"
        case anonymousEventsSummarised = "匿名事件汇总"
        case secondFactorEnabled = "启用双因素认证"
        case secondFactorDisabled = "关闭双因素认证"
        case secondFactorReset = "重置双因素认证"
        case secondFactorFailed = "动态口令错误"
        case recoveryCodeUsed = "使用恢复码"
        case accountUnlocked = "解除登录锁定"
        case signOut = "退出"
        case register = "企业注册"
        case passwordChanged = "修改密码"
        case accessRefused = "拒绝访问"
        case profileSaved = "保存企业信息"
        case applicationCreated = "发起申报"
        case applicationSaved = "保存申报"
        case statusChanged = "状态变更"
        case attachmentUploaded = "上传附件"
        case attachmentRemoved = "删除附件"
        case inspectionRecorded = "记录现场核查"
        case export = "导出"
        case deadlineExtended = "延长截止时间"
        case roundOpened = "开启申报批次"
        case roundApplied = "应用政策文件"
        case roundReopened = "重新开启申报批次"
        case roundClosed = "关闭申报批次"
        case accountCreated = "创建账号"
        case passwordReset = "重置密码"
        case accountDisabled = "停用账号"
        case accountEnabled = "启用账号"
        case blacklistImported = "导入失信名单"
        case blacklistRemoved = "删除失信名单"
        case chainRewardsImported = "导入链主、链上企业奖励名单"
        case chainRewardsRemoved = "删除链主、链上企业奖励名单"
        case auditPurged = "清理操作日志"
    }

    /// Appends an event to the chain. An anonymous event from a client's address (a failed sign-in, a refused
    /// request) passes `AnonymousAuditPolicy` first: past its allowance only counts are written.
    func record(_ action: Action, actor: User?, actorLabel: String? = nil, objectType: String, objectID: String?,
                before: String? = nil, after: String? = nil, address: String?) async throws {
        if actor == nil, let address {
            switch try await anonymousDecision(address: address) {
            case .record: break
            case .count: return
            case .summarise(let total):
                let window = Int(AnonymousAuditPolicy.standard.window / 60)
                return try await append(.anonymousEventsSummarised, actor: nil, actorLabel: "匿名", objectType: "地址", objectID: address, before: nil,
                                        after: "\(window) 分钟内来自此地址的匿名事件已达 \(total) 次（最近一次：\(action.rawValue)）；超过 \(AnonymousAuditPolicy.standard.recordedPerWindow) 次后只按次数汇总记录",
                                        address: address)
            }
        }
        try await append(action, actor: actor, actorLabel: actorLabel, objectType: objectType, objectID: objectID, before: before, after: after, address: address)
    }

    /// Counts the address's anonymous events in the current window, in the throttle table that every instance shares.
    private func anonymousDecision(address: String) async throws -> AnonymousAuditPolicy.Decision {
        let policy = AnonymousAuditPolicy.standard
        let now = clock()
        let key = "audit:" + address
        let row = try await LoginThrottle.find(key, on: database) ?? LoginThrottle(key: key, now: now)
        // `lastFailureAt` holds the start of the window here.
        if row.failures == 0 || now.timeIntervalSince(row.lastFailureAt) > policy.window {
            row.failures = 0
            row.lastFailureAt = now
        }
        row.failures += 1
        do {
            try await row.save(on: database)
        } catch {
            // Another request of the same address created the row first: record this one rather than lose it.
            return .record
        }
        return policy.decide(number: row.failures)
    }

    /// Appends one event. Appends are serialised so the chain never forks and a rush of writers never collides:
    /// on SQLite the transaction takes the write lock as it begins (IMMEDIATE), on PostgreSQL an advisory lock
    /// held to the end of the transaction covers every app instance. The unique sequence stays as the last guard.
    private func append(_ action: Action, actor: User?, actorLabel: String?, objectType: String, objectID: String?,
                        before: String?, after: String?, address: String?) async throws {
        try await database.transaction { database in
            try await Self.lockChain(database)
            let last = try await AuditEvent.query(on: database).sort(\.$sequence, .descending).first()
            // With every event purged the chain goes on from the newest anchor.
            let anchor = last == nil ? try await AuditAnchor.newest(on: database) : nil
            let event = AuditEvent()
            event.sequence = (last?.sequence ?? anchor?.purgedThrough ?? 0) + 1
            // Whole milliseconds, so that the value the hash covers survives the database's own rounding
            // (SQLite's double, PostgreSQL's microseconds) without landing on a .5 ms boundary.
            event.at = Date(timeIntervalSince1970: (clock().timeIntervalSince1970 * 1000).rounded(.down) / 1000)
            event.actorID = actor?.id
            event.actor = actorLabel ?? actor.map { "\($0.displayName)（\($0.role.label)）" } ?? "匿名"
            event.action = action.rawValue
            event.objectType = objectType
            event.objectID = objectID
            event.before = before
            event.after = after
            event.address = address
            event.previousHash = last?.hash ?? anchor?.hash ?? AuditEvent.genesis
            event.digestAlgorithm = cryptography.digest.rawValue
            event.hash = AuditEvent.digest(event.canonical, algorithm: cryptography.digest, provider: cryptography.provider)
            try await event.create(on: database)
        }
    }

    /// The advisory lock key for appending to the chain (any constant unique to this purpose).
    static let chainLock: Int64 = 0x4A49_4741_4955

    /// Serialises changes to the chain on PostgreSQL until the transaction ends; SQLite's IMMEDIATE transactions already are.
    static func lockChain(_ database: any Database) async throws {
        if let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" {
            try await sql.raw("SELECT pg_advisory_xact_lock(\(literal: Self.chainLock))").run()
        }
    }

    struct Verification {
        var events: Int
        /// The first event whose hash or link does not hold, and why.
        var firstBroken: (sequence: Int, reason: String)?
        /// The newest purge, where the check began.
        var anchor: AuditAnchor?

        /// After a purge, where the remaining events begin, for the page and the command line.
        var purgeNote: String? {
            anchor.map { "第 \($0.purgedThrough) 条及以前的记录已于 \(DateText.day($0.at, timeZone: AuditController.timeZone)) 导出并清理，现存记录从清理锚点接续" }
        }
    }

    /// One event as the check and the export read it: plain columns through SQLKit, as Fluent's reflection over model
    /// properties dominated the check of a long log.
    struct ChainRow: Decodable {
        var sequence: Int
        var at: Date
        var actor_id: UUID?
        var actor: String
        var action: String
        var object_type: String
        var object_id: String?
        var before: String?
        var after: String?
        var address: String?
        var previous_hash: String
        var digest_algorithm: String
        var hash: String

        static let columns = ["sequence", "at", "actor_id", "actor", "action", "object_type", "object_id", "before", "after", "address",
                              "previous_hash", "digest_algorithm", "hash"]

        var canonical: String {
            AuditEvent.canonical(sequence: sequence, milliseconds: AuditEvent.milliseconds(at), actorID: actor_id?.uuidString, actor: actor, action: action,
                                 objectType: object_type, objectID: object_id, before: before, after: after, address: address, previousHash: previous_hash)
        }
    }

    /// Events `range` in order, a page at a time, so that a long log does not sit in memory, until `each` returns false.
    func rows(_ range: ClosedRange<Int>, _ each: (ChainRow) throws -> Bool) async throws {
        guard let sql = database as? any SQLDatabase else { throw Abort(.internalServerError, reason: "操作日志需要 SQL 数据库") }
        var next = range.lowerBound
        while next <= range.upperBound {
            let page = try await sql.select()
                .columns(ChainRow.columns.map { SQLIdentifier($0) })
                .from(AuditEvent.schema)
                .where("sequence", .greaterThanOrEqual, next)
                .where("sequence", .lessThanOrEqual, range.upperBound)
                .orderBy("sequence")
                .limit(5000)
                .all(decoding: ChainRow.self)
            guard let last = page.last else { return }
            for row in page where try !each(row) { return }
            next = last.sequence + 1
        }
    }

    /// Recomputes every hash in order, each with the event's own algorithm. After a purge the check begins at the
    /// newest anchor: the first remaining event must link to the hash of the last one purged.
    func verify() async throws -> Verification {
        let anchor = try await AuditAnchor.newest(on: database)
        var previous = anchor?.hash ?? AuditEvent.genesis
        var expectedSequence = (anchor?.purgedThrough ?? 0) + 1
        var count = 0
        var broken: (sequence: Int, reason: String)?
        try await rows(expectedSequence...Int.max) { event in
            count += 1
            broken = check(event, sequence: expectedSequence, previous: previous)
            previous = event.hash
            expectedSequence += 1
            return broken == nil
        }
        return Verification(events: count, firstBroken: broken, anchor: anchor)
    }

    /// Why `event` does not hold as number `sequence` after `previous`, or nil.
    private func check(_ event: ChainRow, sequence: Int, previous: String) -> (sequence: Int, reason: String)? {
        if event.sequence != sequence {
            return (sequence, "第 \(sequence) 条记录缺失")
        }
        if event.previous_hash != previous {
            return (event.sequence, "第 \(event.sequence) 条记录与上一条的链接不符")
        }
        guard let algorithm = DigestAlgorithm(rawValue: event.digest_algorithm) else {
            return (event.sequence, "第 \(event.sequence) 条记录的摘要算法“\(event.digest_algorithm)”无法识别")
        }
        if AuditEvent.digest(event.canonical, algorithm: algorithm, provider: cryptography.provider) != event.hash {
            return (event.sequence, "第 \(event.sequence) 条记录的内容被改动")
        }
        return nil
    }
}

extension Vapor.Application {
    /// The audit chain on the application's database, for the commands and the tests.
    var audit: AuditLog { AuditLog(database: db, cryptography: settings.cryptography) }
}
