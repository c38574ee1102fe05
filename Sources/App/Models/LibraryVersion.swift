import Fluent
import Foundation
import PolicyKit

/// One version of an enterprise's 资料库: the shared parts of its applications (`LibraryContent`) and the common
/// uploads (licence, three years' accounts, credit proof) by their content address, taken from the application saved.
/// Versions are ordered by time; the newest fills every new application.
final class LibraryVersion: Model, @unchecked Sendable {
    static let schema = "library_versions"

    /// A common upload as kept: enough to attach the same stored bytes to another application.
    struct File: Codable, Sendable, Equatable {
        var item: String
        var sha256: String
        var size: Int64
        var kind: UploadedFileKind
        var pageCount: Int?
        var originalName: String
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "enterprise_id") var enterprise: Enterprise
    @Field(key: "content") var content: String
    @Field(key: "files") var files: String
    @OptionalField(key: "source_application_id") var sourceApplicationID: UUID?
    @Field(key: "saved_at") var savedAt: Date
    @Parent(key: "saved_by") var savedBy: User

    init() {}

    init(enterpriseID: UUID, content: LibraryContent, files: [File], sourceApplicationID: UUID?, savedAt: Date, savedBy: UUID) throws {
        self.$enterprise.id = enterpriseID
        self.content = String(decoding: try JSONEncoder.library.encode(content), as: UTF8.self)
        self.files = String(decoding: try JSONEncoder.library.encode(files), as: UTF8.self)
        self.sourceApplicationID = sourceApplicationID
        self.savedAt = savedAt
        self.$savedBy.id = savedBy
    }

    func decodedContent() throws -> LibraryContent {
        try JSONDecoder().decode(LibraryContent.self, from: Data(content.utf8))
    }

    func decodedFiles() throws -> [File] {
        try JSONDecoder().decode([File].self, from: Data(files.utf8))
    }

    /// Every version of the enterprise's, newest first, with the applications they were kept from.
    static func history(of enterpriseID: UUID, on database: any Database) async throws -> (versions: [LibraryVersion], sources: [StoredApplication]) {
        let versions = try await query(on: database).filter(\.$enterprise.$id == enterpriseID).sort(\.$savedAt, .descending).all()
        let sources = try await StoredApplication.query(on: database).filter(\.$id ~~ versions.compactMap(\.sourceApplicationID)).all()
        return (versions, sources)
    }

    /// The enterprise's newest version, if it has one.
    static func latest(of enterpriseID: UUID, on database: any Database) async throws -> LibraryVersion? {
        try await query(on: database).filter(\.$enterprise.$id == enterpriseID).sort(\.$savedAt, .descending).first()
    }
}

extension JSONEncoder {
    /// Sorted keys, so that two versions with the same content have the same text and are compared as text.
    static var library: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
