import Cryptography
import Fluent
import Foundation
import PolicyKit

/// `jigai audit export` and `jigai audit purge`. Both work on a run of whole sequences, so that an export is one
/// piece of the chain: a date range runs from the first event at or after `from` to the last one before the first
/// event at or after `before` (the clock of an event is no more than its place in the chain).
struct AuditArchive {
    let log: AuditLog
    let retention: AuditRetention

    struct Exported {
        var range: ClosedRange<Int>
        var file: URL
        var algorithm: DigestAlgorithm
        var digest: String
        var lastHash: String

        var count: Int { range.count }

        /// “SM3 摘要 …” of the file, for the messages and the 清理操作日志 event.
        var digestText: String { "\(algorithm.label) 摘要 \(digest)" }
    }

    /// The sequences of the remaining events in the range, or nil when it holds none.
    func range(from: Date?, before: Date?) async throws -> ClosedRange<Int>? {
        let database = log.database
        var first = try await AuditEvent.query(on: database).min(\.$sequence)
        if let from { first = try await AuditEvent.query(on: database).filter(\.$at >= from).min(\.$sequence) }
        var last = try await AuditEvent.query(on: database).max(\.$sequence)
        if let before, let reaching = try await AuditEvent.query(on: database).filter(\.$at >= before).min(\.$sequence) { last = reaching - 1 }
        guard let first, let last, first <= last else { return nil }
        return first...last
    }

    /// Writes events `range` to a new `file` (see `AuditExportFile`); a file left incomplete by an error is removed.
    func export(_ range: ClosedRange<Int>, to file: URL, from: String?, before: String?) async throws -> Exported {
        let algorithms = try await AuditEvent.query(on: log.database).filter(\.$sequence >= range.lowerBound).filter(\.$sequence <= range.upperBound)
            .unique().all(\.$digestAlgorithm).sorted()
        let algorithm = log.cryptography.digest
        let writer = try AuditExportFile.Writer(creating: file, algorithm: algorithm, provider: log.cryptography.provider)
        do {
            var count = 0
            var lastHash = ""
            try await log.rows(range) { row in
                if count == 0 {
                    try writer.write(AuditExportFile.Header(algorithms: algorithms, firstSequence: row.sequence, previousHash: row.previous_hash,
                                                            exportedAt: log.clock(), from: from, before: before))
                }
                try writer.write(AuditExportFile.Event(row))
                count += 1
                lastHash = row.hash
                return true
            }
            try writer.write(AuditExportFile.Trailer(count: count, lastSequence: range.lowerBound + count - 1, lastHash: lastHash))
            return Exported(range: range, file: file, algorithm: algorithm, digest: try writer.finish(), lastHash: lastHash)
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// The events before `before` (a day given as `day`), once older than the retention allows: checked, exported to
    /// `file`, then in one transaction deleted, replaced by an anchor and recorded in the chain. Nil when none is left
    /// to purge.
    func purge(before: Date, day: String, exportTo file: URL, actor: String) async throws -> (Exported, AuditAnchor)? {
        let limit = retention.limit(now: log.clock())
        guard before <= limit else {
            throw CommandRefused(message: "拒绝清理：\(day) 之前的操作日志尚未保存满 \(retention.days) 天和六个月（网络安全法第二十一条：网络日志留存不少于六个月）；"
                                 + "现在 --before 最晚可为 \(DateText.day(limit, timeZone: AuditController.timeZone))。未导出、未删除任何记录")
        }
        // An anchor must not vouch for a chain that does not hold, nor a purge remove the evidence of a change.
        let verification = try await log.verify()
        if let broken = verification.firstBroken {
            throw CommandRefused(message: "拒绝清理：操作日志校验未通过（\(broken.reason)），请先核查。未导出、未删除任何记录")
        }
        guard let range = try await range(from: nil, before: before) else { return nil }
        let exported = try await export(range, to: file, from: nil, before: day)
        let checkedFrom = verification.anchor?.purgedThrough
        let anchor = try await log.database.transaction { database in
            try await AuditLog.lockChain(database)
            guard try await AuditAnchor.newest(on: database)?.purgedThrough == checkedFrom else {
                throw CommandRefused(message: "另一次清理刚刚完成，本次未删除任何记录；导出文件 \(file.path) 可以删除")
            }
            try await AuditEvent.query(on: database).filter(\.$sequence <= range.upperBound).delete()
            let anchor = AuditAnchor()
            anchor.purgedThrough = range.upperBound
            anchor.hash = exported.lastHash
            anchor.purged = exported.count
            anchor.before = before
            anchor.at = log.clock()
            anchor.actor = actor
            anchor.exportFile = file.path
            anchor.exportAlgorithm = exported.algorithm.rawValue
            anchor.exportDigest = exported.digest
            try await anchor.create(on: database)
            try await AuditLog(database: database, cryptography: log.cryptography, clock: log.clock).record(
                .auditPurged, actor: nil, actorLabel: actor, objectType: "操作日志", objectID: "\(range.lowerBound)-\(range.upperBound)",
                after: "清理 \(day) 之前的第 \(range.lowerBound)–\(range.upperBound) 条共 \(exported.count) 条；末条哈希 \(exported.lastHash)；"
                    + "导出文件 \(file.lastPathComponent)，\(exported.digestText)",
                address: nil)
            return anchor
        }
        return (exported, anchor)
    }
}
