import Fluent
import Foundation
import PolicyKit

struct CreateSiteInspection: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(SiteInspection.schema)
            .id()
            .field("application_id", .uuid, .required, .references(StoredApplication.schema, .id))
            .field("compliant", .bool, .required)
            .field("description", .sql(.text), .required)
            .field("leader", .string, .required)
            .field("members", .string, .required)
            .field("inspected_on", .string, .required)
            .field("recorded_by", .uuid, .required, .references(User.schema, .id))
            .field("recorded_at", .datetime)
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(SiteInspection.schema).delete()
    }
}
