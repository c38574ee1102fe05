import Crypto
import Fluent
import Foundation
import PolicyKit
import SQLKit
import Vapor

/// 操作日志: append-only, each event chained to the one before by SHA-256, so that a changed or removed event shows.
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
    @Field(key: "hash") var hash: String

    init() {}

    /// The text the hash covers: every field, in a fixed order, separated by a character no field contains.
    var canonical: String {
        AuditEvent.canonical(sequence: sequence, at: at, actorID: actorID, actor: actor, action: action, objectType: objectType,
                             objectID: objectID, before: before, after: after, address: address, previousHash: previousHash)
    }

    static func canonical(sequence: Int, at: Date, actorID: UUID?, actor: String, action: String, objectType: String, objectID: String?,
                          before: String?, after: String?, address: String?, previousHash: String) -> String {
        let milliseconds = Int64((at.timeIntervalSince1970 * 1000).rounded())
        return [String(sequence), String(milliseconds), actorID?.uuidString ?? "", actor, action, objectType, objectID ?? "",
                before ?? "", after ?? "", address ?? "", previousHash].joined(separator: "\u{1F}")
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func digest(_ text: String) -> String {
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(text.utf8)) {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    static let genesis = String(repeating: "0", count: 64)
}

/// Writes and checks the audit chain.
struct AuditLog {
    let database: Database

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
    }

    /// Appends one event. Appends are serialised so the chain never forks and a rush of writers never collides:
    /// on SQLite the transaction takes the write lock as it begins (IMMEDIATE), on PostgreSQL an advisory lock
    /// held to the end of the transaction covers every app instance. The unique sequence stays as the last guard.
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
        let now = Date()
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

    private func append(_ action: Action, actor: User?, actorLabel: String?, objectType: String, objectID: String?,
                        before: String?, after: String?, address: String?) async throws {
        try await database.transaction { database in
            if let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" {
                try await sql.raw("SELECT pg_advisory_xact_lock(\(literal: Self.chainLock))").run()
            }
            let last = try await AuditEvent.query(on: database).sort(\.$sequence, .descending).first()
            let event = AuditEvent()
            event.sequence = (last?.sequence ?? 0) + 1
            // Whole milliseconds, so that the value the hash covers survives the database's own rounding
            // (SQLite's double, PostgreSQL's microseconds) without landing on a .5 ms boundary.
            event.at = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 * 1000).rounded(.down) / 1000)
            event.actorID = actor?.id
            event.actor = actorLabel ?? actor.map { "\($0.displayName)（\($0.role.label)）" } ?? "匿名"
            event.action = action.rawValue
            event.objectType = objectType
            event.objectID = objectID
            event.before = before
            event.after = after
            event.address = address
            event.previousHash = last?.hash ?? AuditEvent.genesis
            event.hash = AuditEvent.digest(event.canonical)
            try await event.create(on: database)
        }
    }

    /// The advisory lock key for appending to the chain (any constant unique to this purpose).
    static let chainLock: Int64 = 0x4A49_4741_4955

    struct Verification {
        var events: Int
        /// The first event whose hash or link does not hold, and why.
        var firstBroken: (sequence: Int, reason: String)?
    }

    /// One event as the check reads it: plain columns through SQLKit, as Fluent's reflection over model properties
    /// dominated the check of a long log.
    private struct ChainRow: Decodable {
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
        var hash: String

        var canonical: String {
            AuditEvent.canonical(sequence: sequence, at: at, actorID: actor_id, actor: actor, action: action, objectType: object_type,
                                 objectID: object_id, before: before, after: after, address: address, previousHash: previous_hash)
        }
    }

    /// Recomputes every hash in order, reading in pages so that a long log does not sit in memory.
    func verify() async throws -> Verification {
        guard let sql = database as? any SQLDatabase else { throw Abort(.internalServerError, reason: "操作日志需要 SQL 数据库") }
        var previous = AuditEvent.genesis
        var expectedSequence = 1
        var count = 0
        while true {
            let page = try await sql.select()
                .columns("sequence", "at", "actor_id", "actor", "action", "object_type", "object_id", "before", "after", "address",
                         "previous_hash", "hash")
                .from(AuditEvent.schema)
                .where("sequence", .greaterThanOrEqual, expectedSequence)
                .orderBy("sequence")
                .limit(5000)
                .all(decoding: ChainRow.self)
            if page.isEmpty { break }
            for event in page {
                count += 1
                if event.sequence != expectedSequence {
                    return Verification(events: count, firstBroken: (expectedSequence, "第 \(expectedSequence) 条记录缺失"))
                }
                if event.previous_hash != previous {
                    return Verification(events: count, firstBroken: (event.sequence, "第 \(event.sequence) 条记录与上一条的链接不符"))
                }
                if AuditEvent.digest(event.canonical) != event.hash {
                    return Verification(events: count, firstBroken: (event.sequence, "第 \(event.sequence) 条记录的内容被改动"))
                }
                previous = event.hash
                expectedSequence += 1
            }
        }
        return Verification(events: count, firstBroken: nil)
    }
}
