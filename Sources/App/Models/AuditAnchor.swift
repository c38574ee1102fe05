import Fluent
import Foundation

/// Where a purge cut the audit chain: the last purged event's sequence and hash, which the first remaining event
/// links to, and the export that holds the purged events (its digest, so the file kept elsewhere can be matched).
final class AuditAnchor: Model, @unchecked Sendable {
    static let schema = "audit_anchors"

    @ID(key: .id) var id: UUID?
    @Field(key: "purged_through") var purgedThrough: Int
    @Field(key: "hash") var hash: String
    @Field(key: "purged") var purged: Int
    /// The date given to `jigai audit purge --before`.
    @Field(key: "before") var before: Date
    @Field(key: "at") var at: Date
    @Field(key: "actor") var actor: String
    @Field(key: "export_file") var exportFile: String
    @Field(key: "export_algorithm") var exportAlgorithm: String
    @Field(key: "export_digest") var exportDigest: String

    init() {}

    static func newest(on database: any Database) async throws -> AuditAnchor? {
        try await query(on: database).sort(\.$purgedThrough, .descending).first()
    }
}
