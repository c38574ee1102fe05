import Fluent
import Foundation
import PolicyKit

/// What the enterprise submitted, each time it submitted: the document and the files as they were, so earlier
/// versions stay readable after a return and the city can see what changed.
final class ApplicationVersion: Model, @unchecked Sendable {
    static let schema = "application_versions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "application_id") var application: StoredApplication
    @Field(key: "number") var number: Int
    @Field(key: "document") var document: String
    /// The current files at submission, as JSON `[FileSnapshot]`.
    @Field(key: "files") var files: String
    @Parent(key: "submitted_by") var submittedBy: User
    @Timestamp(key: "submitted_at", on: .create) var submittedAt: Date?

    struct FileSnapshot: Codable, Equatable {
        var id: UUID
        var item: String
        var name: String
        var sha256: String
    }

    init() {}

    init(applicationID: UUID, number: Int, document: String, files: [StoredAttachment], submittedBy: UUID) throws {
        self.$application.id = applicationID
        self.number = number
        self.document = document
        self.files = String(decoding: try JSONEncoder().encode(files.map {
            FileSnapshot(id: try $0.requireID(), item: $0.item, name: $0.originalName, sha256: $0.sha256)
        }), as: UTF8.self)
        self.$submittedBy.id = submittedBy
    }

    var fileSnapshots: [FileSnapshot] {
        (try? JSONDecoder().decode([FileSnapshot].self, from: Data(files.utf8))) ?? []
    }

    static func all(of applicationID: UUID, on database: any Database) async throws -> [ApplicationVersion] {
        try await query(on: database).filter(\.$application.$id == applicationID).sort(\.$number).all()
    }
}

/// A city reviewer's comment on one field or attachment when returning an application; `version` is the version returned.
final class ReturnNote: Model, @unchecked Sendable {
    static let schema = "return_notes"

    @ID(key: .id) var id: UUID?
    @Parent(key: "application_id") var application: StoredApplication
    @Field(key: "version") var version: Int
    /// A form field name (`content.x`, `overview.finances`) or `attachment:<item>`.
    @Field(key: "target") var target: String
    @Field(key: "target_label") var targetLabel: String
    @Field(key: "text") var text: String
    @Parent(key: "author_id") var author: User
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(applicationID: UUID, version: Int, target: String, targetLabel: String, text: String, authorID: UUID) {
        self.$application.id = applicationID
        self.version = version
        self.target = target
        self.targetLabel = targetLabel
        self.text = text
        self.$author.id = authorID
    }
}
