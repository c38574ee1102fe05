import Documents
import Fluent
import Foundation
import PolicyKit
import Vapor

/// The 申请报告 of a stored application, as `jigai report --application` builds it in a child process of the server:
/// the document, the current uploads from the attachment store and the city's latest 现场核查 record.
public enum StoredReport {
    public static func make(applicationID: UUID, app: Vapor.Application) async throws -> ApplicationReport {
        guard let stored = try await StoredApplication.find(applicationID, on: app.db) else {
            throw DocumentError.fileSystem("申报 \(applicationID) 不存在")
        }
        guard let round = app.settings.rounds[stored.roundCode] else {
            throw DocumentError.fileSystem("申报所属批次“\(stored.roundCode)”的政策文件不存在")
        }
        var application = try stored.application(round: round)
        if stored.status.isEditableByEnterprise {
            // As on the enterprise's page: a draft shows the current profile.
            let enterprise = try await stored.$enterprise.get(on: app.db)
            application.enterprise = enterprise.profile
            application.contact = Contact(name: enterprise.contactName, mobile: enterprise.mobile)
        }
        let store = app.settings.attachments
        let uploads = try await StoredAttachment.current(of: applicationID, on: app.db).map {
            ApplicationReport.Upload(item: $0.item, fileName: $0.originalName, kind: $0.kind, url: store.url(for: $0.sha256))
        }
        let inspection = try await SiteInspection.query(on: app.db).filter(\.$application.$id == applicationID)
            .sort(\.$recordedAt, .descending).first()
        return try ApplicationReport(
            round: round, application: application, uploads: uploads,
            siteInspection: try inspection.flatMap { try form($0, application: application, round: round) },
            date: reportDate(stored, round: round, now: Date()))
    }

    /// The cover's 申报日期: the day it was submitted, so that a report rebuilt later by the city carries the same date as
    /// the enterprise's copy; the build date only while the application is a draft in the enterprise's hands.
    static func reportDate(_ stored: StoredApplication, round: Round, now: Date) -> CalendarDate {
        let timeZone = TimeZone(identifier: round.timeZone) ?? .current
        let submitted = stored.status.isEditableByEnterprise ? nil : stored.submittedAt
        return CalendarDate(submitted ?? now, timeZone: timeZone)
    }

    static func form(_ inspection: SiteInspection, application: PolicyKit.Application, round: Round) throws -> SiteInspectionForm? {
        guard let spec = round.directionSpec(application.direction, subDirection: application.subDirection) else { return nil }
        return try SiteInspectionForm(
            enterpriseName: application.enterprise.name ?? "", programme: spec.programme.name, direction: spec.fullName,
            projectName: application.projectName ?? "", compliant: inspection.compliant, description: inspection.description,
            teamLeader: inspection.leader,
            teamMembers: inspection.members.split(whereSeparator: { "、，, ".contains($0) }).map(String.init),
            reviewAuthority: round.reviewAuthority(for: application.enterprise)?.name,
            signingDate: CalendarDate(inspection.inspectedOn))
    }
}
