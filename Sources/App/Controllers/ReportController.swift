import Fluent
import Foundation
import PolicyKit
import Vapor

/// The 申请报告 as a PDF: the enterprise previews and downloads its own, reviewers those in their scope
/// (`scopedApplication`). Building runs in a child process; the status page reloads itself until the file is ready.
struct ReportController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        for side in SiteURL.ReportSide.allCases {
            let reports = routes.grouped(RoleGuard(roles: side == .enterprise ? [.enterprise] : [.cityReviewer, .divisionReviewer, .admin]))
            reports.post(SiteURL.report(side, nil)) { try await start($0, side: side) }
            reports.get(SiteURL.reportJob(side, nil, job: nil)) { try await status($0, side: side) }
            reports.get(SiteURL.reportPDF(side, nil, job: nil), use: pdf)
        }
    }

    func start(_ req: Request, side: SiteURL.ReportSide) async throws -> Response {
        let stored = try await req.scopedApplication()
        let applicationID = try stored.requireID()
        let userID = try req.auth.require(CurrentUser.self).user.requireID()
        let statusPage = { (job: ReportJob) in req.redirect(to: SiteURL.reportJob(side, applicationID, job: try job.requireID())) }
        // A report of this user still being built is shown rather than started twice (unless a restart interrupted it).
        if let building = try await ReportJob.of(application: applicationID, requestedBy: userID, on: req.db).filter(\.$status == .building).first(),
           !building.wasInterrupted(limitSeconds: req.application.settings.reports.seconds) {
            return try statusPage(building)
        }
        // Only the newest report of a user is kept; earlier ones describe an older state of the application.
        for previous in try await ReportJob.of(application: applicationID, requestedBy: userID, on: req.db).all() {
            try? FileManager.default.removeItem(at: ReportBuilder.file(for: try previous.requireID(), settings: req.application.settings))
            try await previous.delete(on: req.db)
        }
        let job = ReportJob(applicationID: applicationID, requestedBy: userID)
        try await job.create(on: req.db)
        try req.application.reportBuilder.start(job, app: req.application)
        try await req.accounts.exported(by: try req.auth.require(CurrentUser.self).user, objectType: "申请报告", objectID: applicationID.uuidString)
        return try statusPage(job)
    }

    func status(_ req: Request, side: SiteURL.ReportSide) async throws -> View {
        let (stored, job) = try await scopedJob(req)
        if job.wasInterrupted(limitSeconds: req.application.settings.reports.seconds) {
            try await job.markInterrupted(on: req.db)
        }
        let id = try stored.requireID()
        let applicationHref = (side == .enterprise ? SiteURL.application(id) : SiteURL.reviewApplication(id)).path
        let title = stored.projectName ?? "申请报告"
        var chrome = req.chrome("申请报告", breadcrumbs: side == .enterprise
            ? [("我的申报", SiteURL.enterprise.path), (title, applicationHref), ("申请报告", nil)]
            : [("审核列表", SiteURL.review.path), (title, applicationHref), ("申请报告", nil)], organisation: side == .review ? req.organisationName : try await stored.$enterprise.get(on: req.db).name)
        if job.status == .building { chrome.refreshSeconds = 2 }
        let page = StatusPage(
            chrome: chrome, applicationHref: applicationHref, title: title, status: job.status.rawValue,
            seconds: Int((job.finishedAt ?? Date()).timeIntervalSince(job.createdAt ?? Date())), message: job.message,
            interrupted: job.message == ReportJob.interruptedMessage, pdfHref: SiteURL.reportPDF(side, id, job: try job.requireID()).path)
        return try await req.view.render("application/report", page)
    }

    /// The PDF, shown in the browser or, with `?download=1`, saved under the project's name.
    func pdf(_ req: Request) async throws -> Response {
        let (stored, job) = try await scopedJob(req)
        guard job.status == .done else {
            throw Abort(.conflict, reason: job.status == .building ? "申请报告正在生成，请稍候" : (job.message ?? "申请报告生成失败"))
        }
        let response = try await req.fileio.asyncStreamFile(at: ReportBuilder.file(for: try job.requireID(), settings: req.application.settings).path)
        let name = UploadChecks.safeFileName("申请报告-\(stored.projectName ?? "")", kind: .pdf)
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "report.pdf"
        let disposition = req.query[String.self, at: "download"] == "1" ? "attachment" : "inline"
        response.headers.contentType = .pdf
        response.headers.replaceOrAdd(name: .contentDisposition, value: "\(disposition); filename=\"report.pdf\"; filename*=UTF-8''\(encoded)")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }

    /// A job of an application in the user's scope that this user started; anything else is a 404.
    func scopedJob(_ req: Request) async throws -> (StoredApplication, ReportJob) {
        let stored = try await req.scopedApplication()
        let userID = try req.auth.require(CurrentUser.self).user.requireID()
        guard let jobID = req.parameters.get("job", as: UUID.self),
              let job = try await ReportJob.of(application: try stored.requireID(), requestedBy: userID, on: req.db).filter(\.$id == jobID).first() else {
            throw Abort(.notFound, reason: "申请报告不存在")
        }
        return (stored, job)
    }
}
