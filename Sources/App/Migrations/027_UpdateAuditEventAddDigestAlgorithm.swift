import Fluent
import SQLKit

/// Each audit event names the algorithm of its hash; the events before this were all SHA-256. The default also keeps
/// rows written by other means (the benchmark's generated log) readable.
struct UpdateAuditEventAddDigestAlgorithm: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(AuditEvent.schema)
            .field("digest_algorithm", .string, .required, .sql(.default("sha256")))
            .update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(AuditEvent.schema).deleteField("digest_algorithm").update()
    }
}
