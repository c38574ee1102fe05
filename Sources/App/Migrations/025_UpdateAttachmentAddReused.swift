import Fluent
import SQLKit

/// An attachment attached again from the 资料库 or copied from an earlier application, rather than uploaded anew.
struct UpdateAttachmentAddReused: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(StoredAttachment.schema)
            .field("reused", .bool, .required, .sql(.default(false)))
            .update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(StoredAttachment.schema).deleteField("reused").update()
    }
}
