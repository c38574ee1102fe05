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
