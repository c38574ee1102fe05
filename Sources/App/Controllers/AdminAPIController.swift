import Fluent
import Foundation
import PolicyKit
import Vapor

/// The provincial admin's actions in the JSON API (docs/openapi.yaml): accounts, the round's deadline, 失信名单.
struct AdminAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let admin = routes.grouped("api", "admin").grouped(DutyGuard(duty: .system))
        admin.post("users", use: createUser)
        admin.post("users", ":user", "reset-password", use: resetPassword)
        admin.post("users", ":user", "disable", use: disable)
        admin.post("users", ":user", "enable", use: enable)
        admin.post("round", "deadline", use: extendDeadline)
        admin.on(.POST, "blacklists", body: .collect(maxSize: ByteCount(value: SheetFile.maximumBytes + 64 * 1024)), use: importBlacklist)
        admin.delete("blacklists", ":import", use: removeBlacklist)
        admin.delete("blacklists", ":import", "entries", ":entry", use: removeBlacklistEntry)
    }

    func refused(_ error: WorkflowError, req: Request) async throws -> Response {
        try await ReviewAPIController().refused(error, req: req)
    }

    struct NewUser: Content {
        var role: Role?
        var organisation: String?
        var login: String?
        var displayName: String?
        var mobile: String?
    }

    /// The account and its one-time password, shown once.
    struct IssuedPassword: Content {
        var id: UUID
        var login: String
        var displayName: String
        var password: String
    }

    func issued(_ user: User, password: String, status: HTTPResponseStatus, req: Request) async throws -> Response {
        let response = try await IssuedPassword(id: try user.requireID(), login: user.login ?? user.mobile ?? "", displayName: user.displayName, password: password)
            .encodeResponse(status: status, for: req)
        response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        return response
    }

    func createUser(req: Request) async throws -> Response {
        let body = try req.decodeBody(NewUser.self)
        let round = try await req.currentRound()
        let organisations = Set(body.role == .divisionReviewer ? round.divisions.map(\.id) : round.reviewAuthorities.map(\.id))
        let staff = Administration.NewStaff(role: body.role == .cityReviewer || body.role == .divisionReviewer ? body.role : nil, organisation: body.organisation,
                                            login: (body.login ?? "").trimmingCharacters(in: .whitespaces).lowercased(),
                                            displayName: (body.displayName ?? "").trimmingCharacters(in: .whitespaces),
                                            mobile: body.mobile?.trimmingCharacters(in: .whitespaces))
        do {
            let (user, password) = try await Administration(environment: try req.services())
                .createStaff(staff, organisations: organisations, organisationName: req.organisationName(of: body.organisation))
            return try await issued(user, password: password, status: .created, req: req)
        } catch let error as WorkflowError {
            return try await refused(error, req: req)
        }
    }

    func resetPassword(req: Request) async throws -> Response {
        let (user, password) = try await Administration(environment: try req.services()).resetPassword(req.parameters.get("user", as: UUID.self))
        return try await issued(user, password: password, status: .ok, req: req)
    }

    func disable(req: Request) async throws -> HTTPStatus {
        try await Administration(environment: try req.services()).setDisabled(req.parameters.get("user", as: UUID.self), true)
        return .noContent
    }

    func enable(req: Request) async throws -> HTTPStatus {
        try await Administration(environment: try req.services()).setDisabled(req.parameters.get("user", as: UUID.self), false)
        return .noContent
    }

    struct DeadlineBody: Content {
        var deadline: String?
        var reason: String?
    }

    func extendDeadline(req: Request) async throws -> Response {
        let body = try req.decodeBody(DeadlineBody.self)
        do {
            try await Administration(environment: try req.services()).extendDeadline(body.deadline ?? "", reason: body.reason ?? "")
        } catch let error as WorkflowError {
            return try await refused(error, req: req)
        }
        return try await APIController().round(req: req).encodeResponse(for: req)
    }

    /// multipart/form-data with `file` (CSV or xlsx) and `source` (which list), as the admin page posts it.
    struct BlacklistUpload: Content {
        var file: File?
        var source: String?
    }

    struct Imported: Content {
        var id: UUID
        var entries: Int
    }

    /// Every bad line of a refused file, in order.
    struct ImportRefused: Content {
        var error = true
        var reason: String
        var problems: [String]
    }

    func importBlacklist(req: Request) async throws -> Response {
        let upload = try req.decodeBody(BlacklistUpload.self)
        do {
            let (id, entries) = try await Administration(environment: try req.services())
                .importBlacklist(file: upload.file.map { Data($0.data.readableBytesView) } ?? Data(), fileName: UploadChecks.cleanedName(upload.file?.filename ?? ""), source: upload.source)
            return try await Imported(id: id, entries: entries).encodeResponse(status: .created, for: req)
        } catch WorkflowError.invalid(let message, let lines) {
            return try await ImportRefused(reason: message, problems: lines.keys.sorted().compactMap { lines[$0] }).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    func removeBlacklist(req: Request) async throws -> HTTPStatus {
        try await Administration(environment: try req.services()).removeBlacklist(req.parameters.get("import", as: UUID.self))
        return .noContent
    }

    func removeBlacklistEntry(req: Request) async throws -> HTTPStatus {
        _ = try await Administration(environment: try req.services())
            .removeBlacklistEntry(req.parameters.get("import", as: UUID.self), entry: req.parameters.get("entry", as: UUID.self))
        return .noContent
    }
}
