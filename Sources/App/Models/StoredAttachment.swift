import Fluent
import Foundation
import PolicyKit

/// An uploaded file attached to one checklist item of one application. The bytes live in the content-addressed
/// store under their SHA-256; the original name is kept only to show and to offer on download.
final class StoredAttachment: Model, @unchecked Sendable {
    static let schema = "attachments"

    @ID(key: .id) var id: UUID?
    @Parent(key: "application_id") var application: StoredApplication
    @Field(key: "item") var item: String
    @Field(key: "sha256") var sha256: String
    @Field(key: "size") var size: Int64
    @Field(key: "kind") var kind: UploadedFileKind
    @OptionalField(key: "page_count") var pageCount: Int?
    @Field(key: "original_name") var originalName: String
    @Parent(key: "uploaded_by") var uploadedBy: User
    @Timestamp(key: "uploaded_at", on: .create) var uploadedAt: Date?
    @OptionalField(key: "removed_at") var removedAt: Date?
    /// Attached again from the 资料库 or an earlier application, not uploaded for this one.
    @Field(key: "reused") var reused: Bool

    init() {}

    init(applicationID: UUID, item: String, sha256: String, size: Int64, kind: UploadedFileKind, pageCount: Int?, originalName: String, uploadedBy: UUID) {
        self.$application.id = applicationID
        self.item = item
        self.sha256 = sha256
        self.size = size
        self.kind = kind
        self.pageCount = pageCount
        self.originalName = originalName
        self.$uploadedBy.id = uploadedBy
        reused = false
    }
}

extension StoredAttachment {
    /// The files an application has now (removed ones are kept for the record), oldest first.
    static func current(of applicationID: UUID, on database: any Database) async throws -> [StoredAttachment] {
        try await query(on: database).filter(\.$application.$id == applicationID).filter(\.$removedAt == nil).sort(\.$uploadedAt).all()
    }
}
