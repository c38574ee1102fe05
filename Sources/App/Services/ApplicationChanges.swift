import Fluent
import Foundation
import PolicyKit
import SQLKit

/// The one place where an application is written. Each change claims the revision the caller read (so a concurrent
/// writer makes it fail instead of being overwritten), then commits its rows, the status, the history event and the
/// audit entry in one transaction: all of them or none.
struct ApplicationChanges {
    let environment: ServiceEnvironment

    enum Outcome: Equatable {
        case done
        /// The same request (by its key) was carried out before; nothing was written this time.
        case repeated
    }

    /// An audit entry written with the change.
    struct AuditEntry: Sendable {
        var action: AuditLog.Action
        var objectType = "申报"
        var objectID: String?
        var before: String?
        var after: String?
    }

    /// Whether the request with this key already did `action`: callers ask first, before the rules, which would now
    /// refuse what has already happened.
    func alreadyDone(_ requestKey: String?, _ action: WorkflowAction) async throws -> Bool {
        guard let key = Self.key(requestKey) else { return false }
        return try await ProcessedRequest.exists(key, action: action.rawValue, on: environment.database)
    }

    static func key(_ requestKey: String?) -> String? {
        requestKey.flatMap { $0.isEmpty ? nil : String($0.prefix(100)) }
    }

    /// Moves `applications` to `status` (nil: it stays) for `action`, after `alongside` has stored what belongs with the
    /// change; audits each status change and then `audits`. The caller has asked the transition table already.
    @discardableResult
    func commit(_ applications: [StoredApplication], action: WorkflowAction, to status: ApplicationStatus?, comment: String?,
                requestKey: String?, audits: [AuditEntry] = [],
                alongside: @escaping @Sendable (any Database) async throws -> Void = { _ in }) async throws -> Outcome {
        let database = environment.database
        let actorID = environment.actor.id
        let key = Self.key(requestKey)
        if let key, try await ProcessedRequest.exists(key, action: action.rawValue, on: database) { return .repeated }
        let changes = applications.sorted { ($0.id?.uuidString ?? "") < ($1.id?.uuidString ?? "") }.map { ($0, $0.status) }
        let environment = environment
        do {
            try await database.transaction { database in
                if let key { try await ProcessedRequest(key: key, action: action.rawValue, actorID: actorID).create(on: database) }
                for (application, _) in changes { try await Self.claim(application, on: database) }
                try await alongside(database)
                for (application, from) in changes {
                    if let status { application.status = status }
                    try await application.save(on: database)
                    try await Self.keepRevision(application, savedBy: actorID, on: database)
                    if let status {
                        try await ApplicationEvent(applicationID: try application.requireID(), actorID: actorID, from: from, to: status, comment: comment)
                            .create(on: database)
                    }
                }
                // The audit chain is appended last: on PostgreSQL its lock is then held only while nothing else waits on rows.
                if let status {
                    for (application, from) in changes {
                        try await environment.audit(.statusChanged, on: database, objectType: "申报", objectID: try application.requireID().uuidString,
                                                    before: from.label, after: status.label)
                    }
                }
                for entry in audits {
                    try await environment.audit(entry.action, on: database, objectType: entry.objectType, objectID: entry.objectID,
                                                before: entry.before, after: entry.after)
                }
            }
        } catch {
            // Two copies of one request racing: the second one's key collides when the first commits.
            if let key, try await ProcessedRequest.exists(key, action: action.rawValue, on: database) { return .repeated }
            throw error
        }
        return .done
    }

    /// Changes an application's document so that a concurrent writer is merged with, never overwritten and never the
    /// cause of a spurious refusal. `prepare` turns the row as it is now into the row to store (a save merges into it, an
    /// upload adds its file); `alongside` writes the rows that go with it. The work is prepared against the row as read,
    /// outside any transaction, and committed if nobody wrote meanwhile; otherwise it is prepared again inside a
    /// transaction that holds the row (FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transaction holds the write lock),
    /// so the row is held only while writing in the common case.
    @discardableResult
    func rewrite<Result: Sendable>(_ id: UUID, audits: [AuditEntry] = [],
                                   alongside: @escaping @Sendable (any Database) async throws -> Void = { _ in },
                                   prepare: @escaping @Sendable (StoredApplication, any Database) async throws -> Result) async throws -> (StoredApplication, Result) {
        let environment = environment
        let actorID = environment.actor.id
        @Sendable func finish(_ row: StoredApplication, on database: any Database) async throws {
            try await alongside(database)
            try await row.save(on: database)
            try await Self.keepRevision(row, savedBy: actorID, on: database)
            for entry in audits {
                try await environment.audit(entry.action, on: database, objectType: entry.objectType, objectID: entry.objectID,
                                            before: entry.before, after: entry.after)
            }
        }
        if let snapshot = try await StoredApplication.find(id, on: environment.database) {
            let result = try await prepare(snapshot, environment.database)
            let committed = try await environment.database.transaction { database -> Bool in
                guard try await Self.takeNextRevision(snapshot, on: database) else { return false }
                try await finish(snapshot, on: database)
                return true
            }
            if committed { return (snapshot, result) }
        }
        return try await environment.database.transaction { database in
            if let sql = database as? any SQLDatabase, sql.dialect.name == "postgresql" {
                try await sql.raw("SELECT id FROM applications WHERE id = \(bind: id) FOR UPDATE").run()
            }
            guard let current = try await StoredApplication.find(id, on: database) else { throw WorkflowError.notFound("申报不存在或您无权查看") }
            let result = try await prepare(current, database)
            try await Self.claim(current, on: database)
            try await finish(current, on: database)
            return (current, result)
        }
    }

    /// Takes the next revision if the row is still at the one this application was read at; otherwise someone else
    /// wrote in between, and the whole transaction is abandoned.
    static func claim(_ application: StoredApplication, on database: any Database) async throws {
        guard try await takeNextRevision(application, on: database) else {
            throw WorkflowError.staleRevision(try await conflict(try application.requireID(), on: database))
        }
    }

    /// The next revision, if the row is still at the one `application` was read at.
    static func takeNextRevision(_ application: StoredApplication, on database: any Database) async throws -> Bool {
        guard let sql = database as? any SQLDatabase else { throw WorkflowError.unavailable("申报需要 SQL 数据库") }
        let id = try application.requireID()
        let read = application.revision
        let rows = try await sql.raw("UPDATE applications SET revision = revision + 1 WHERE id = \(bind: id) AND revision = \(bind: read) RETURNING revision")
            .all()
        guard let row = rows.first, let next = try? row.decode(column: "revision", as: Int.self) else { return false }
        application.revision = next
        return true
    }

    /// Who wrote the current revision and when, for the message.
    static func conflict(_ id: UUID, fields: [String] = [], on database: any Database) async throws -> EditConflict {
        let current = try await StoredApplication.find(id, on: database)
        let latest = try await ApplicationRevision.query(on: database).filter(\.$application.$id == id).sort(\.$revision, .descending)
            .with(\.$savedBy).first()
        let event = try await ApplicationEvent.query(on: database).filter(\.$application.$id == id).sort(\.$createdAt, .descending).with(\.$actor).first()
        // The newer of the last save and the last transition is the write that got in first.
        let fromSave = latest.map { ($0.savedBy.displayName, $0.savedAt) }
        let fromEvent = event.map { ($0.actor.displayName, $0.createdAt) }
        let newest = [fromSave, fromEvent].compactMap { $0 }.max { ($0.1 ?? .distantPast) < ($1.1 ?? .distantPast) }
        return EditConflict(currentRevision: current?.revision ?? 0, savedBy: newest?.0, savedAt: newest?.1, fields: fields)
    }

    /// Keeps the document of a revision for later merges, and drops those too old to be a tab's base any more.
    static func keepRevision(_ application: StoredApplication, savedBy: UUID, on database: any Database) async throws {
        let id = try application.requireID()
        try await ApplicationRevision(applicationID: id, revision: application.revision, document: application.document, savedBy: savedBy).create(on: database)
        // Pruned every tenth revision rather than at every autosave.
        if application.revision % 10 == 0 {
            try await ApplicationRevision.query(on: database).filter(\.$application.$id == id)
                .filter(\.$revision <= application.revision - ApplicationRevision.kept).delete()
        }
    }
}
