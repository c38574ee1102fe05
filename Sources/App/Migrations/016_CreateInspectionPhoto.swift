import Fluent
import Foundation
import PolicyKit

struct CreateInspectionPhoto: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(InspectionPhoto.schema)
            .id()
            .field("inspection_id", .uuid, .required, .references(SiteInspection.schema, .id))
            .field("application_id", .uuid, .required, .references(StoredApplication.schema, .id))
            .field("sha256", .string, .required)
            .field("size", .int64, .required)
            .field("kind", .string, .required)
            .field("original_name", .string, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(InspectionPhoto.schema).delete()
    }
}
