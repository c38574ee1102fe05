import Fluent
import Foundation

struct CreateReportJob: AsyncMigration {
    func prepare(on database: Database) async throws {
        try await database.schema(ReportJob.schema)
            .id()
            .field("application_id", .uuid, .required, .references(StoredApplication.schema, .id))
            .field("requested_by", .uuid, .required, .references(User.schema, .id))
            .field("status", .string, .required)
            .field("message", .sql(.text))
            .field("created_at", .datetime)
            .field("finished_at", .datetime)
            .create()
    }

    func revert(on database: Database) async throws {
        try await database.schema(ReportJob.schema).delete()
    }
}
