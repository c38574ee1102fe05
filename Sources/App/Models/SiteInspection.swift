import Fluent
import Foundation
import PolicyKit

/// 现场核查 recorded by the city: verdict, description (≤ 200 字), team, date.
final class SiteInspection: Model, @unchecked Sendable {
    static let schema = "site_inspections"

    @ID(key: .id) var id: UUID?
    @Parent(key: "application_id") var application: StoredApplication
    @Field(key: "compliant") var compliant: Bool
    @Field(key: "description") var description: String
    @Field(key: "leader") var leader: String
    @Field(key: "members") var members: String
    @Field(key: "inspected_on") var inspectedOn: String
    @Parent(key: "recorded_by") var recordedBy: User
    @Timestamp(key: "recorded_at", on: .create) var recordedAt: Date?

    init() {}

    init(applicationID: UUID, compliant: Bool, description: String, leader: String, members: String, inspectedOn: String, recordedBy: UUID) {
        self.$application.id = applicationID
        self.compliant = compliant
        self.description = description
        self.leader = leader
        self.members = members
        self.inspectedOn = inspectedOn
        self.$recordedBy.id = recordedBy
    }
}

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

/// Where an application goes: its 审核单位 (属地) and its 附件4 处室, kept as columns so that scoped lists are plain queries.
struct UpdateApplicationRouting: AsyncMigration {
    // One column per statement: SQLite's ALTER TABLE adds a single column at a time.
    func prepare(on database: Database) async throws {
        try await database.schema(StoredApplication.schema).field("authority", .string).update()
        try await database.schema(StoredApplication.schema).field("division", .string).update()
    }

    func revert(on database: Database) async throws {
        try await database.schema(StoredApplication.schema).deleteField("division").update()
        try await database.schema(StoredApplication.schema).deleteField("authority").update()
    }
}

/// A photo taken at the 现场核查, kept as evidence with the inspection (content-addressed in the attachment store).
final class InspectionPhoto: Model, @unchecked Sendable {
    static let schema = "inspection_photos"

    @ID(key: .id) var id: UUID?
    @Parent(key: "inspection_id") var inspection: SiteInspection
    @Parent(key: "application_id") var application: StoredApplication
    @Field(key: "sha256") var sha256: String
    @Field(key: "size") var size: Int64
    @Field(key: "kind") var kind: UploadedFileKind
    @Field(key: "original_name") var originalName: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(inspectionID: UUID, applicationID: UUID, sha256: String, size: Int64, kind: UploadedFileKind, originalName: String) {
        self.$inspection.id = inspectionID
        self.$application.id = applicationID
        self.sha256 = sha256
        self.size = size
        self.kind = kind
        self.originalName = originalName
    }
}

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
