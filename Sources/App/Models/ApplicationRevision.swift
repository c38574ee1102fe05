import Fluent
import Foundation

/// The document as it was after each write, kept so that a save from a tab opened at an older revision can be merged
/// field by field against what it started from. At least the latest `kept` revisions of an application are kept.
final class ApplicationRevision: Model, @unchecked Sendable {
    static let schema = "application_revisions"
    static let kept = 50

    @ID(key: .id) var id: UUID?
    @Parent(key: "application_id") var application: StoredApplication
    @Field(key: "revision") var revision: Int
    @Field(key: "document") var document: String
    @Parent(key: "saved_by") var savedBy: User
    @Timestamp(key: "saved_at", on: .create) var savedAt: Date?

    init() {}

    init(applicationID: UUID, revision: Int, document: String, savedBy: UUID) {
        self.$application.id = applicationID
        self.revision = revision
        self.document = document
        self.$savedBy.id = savedBy
    }
}

/// A form or API request already carried out, by the key it carried (a hidden field per rendered form, or the
/// `Idempotency-Key` header): a double click, a browser retry or a refreshed POST finds it and writes nothing again.
final class ProcessedRequest: Model, @unchecked Sendable {
    static let schema = "processed_requests"

    @ID(key: .id) var id: UUID?
    @Field(key: "request_key") var key: String
    @Field(key: "action") var action: String
    @Parent(key: "actor_id") var actor: User
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(key: String, action: String, actorID: UUID) {
        self.key = key
        self.action = action
        self.$actor.id = actorID
    }

    static func exists(_ key: String, action: String, on database: any Database) async throws -> Bool {
        try await query(on: database).filter(\.$key == key).filter(\.$action == action).count() > 0
    }
}
