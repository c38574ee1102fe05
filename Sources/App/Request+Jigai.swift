import Fluent
import Foundation
import PolicyKit
import Vapor

/// What controllers take from a request, in one place: the services' environment, the access scope, the forms' request
/// key, the signed-in enterprise, the round whose vocabularies pages use, names of organisations, typed redirects and
/// the audit entries the error middleware writes. (Sessions and CSRF stay with their middleware, the page frame with `Chrome`.)
extension Request {
    /// The services' environment for the signed-in user; a request without one cannot change anything.
    func services() throws -> ServiceEnvironment {
        let current = try auth.require(CurrentUser.self)
        return ServiceEnvironment(database: db, settings: application.settings, actor: Actor(user: current.user, address: clientAddress),
                                  passwords: password.async)
    }

    /// The key that makes a form or API request idempotent: the `requestKey` field each rendered form carries, or the
    /// `Idempotency-Key` header of an API call.
    var requestKey: String? {
        headers.first(name: "Idempotency-Key") ?? (try? content.get(String.self, at: "requestKey"))
    }

    /// The application `id` in the path, if the signed-in user's scope includes it.
    func applicationContext() async throws -> ApplicationContext {
        try await ApplicationContext.load(parameters.get("id", as: UUID.self), in: try services())
    }

    /// The application `id` in the path, scoped, as stored (without evaluating it).
    func scopedApplication() async throws -> StoredApplication {
        guard let id = parameters.get("id", as: UUID.self),
              let stored = try await accessScope.apply(to: StoredApplication.query(on: db).filter(\.$id == id)).first() else {
            throw WorkflowError.notFound("申报不存在或您无权查看")
        }
        return stored
    }

    func engine(for round: Round) -> EligibilityEngine {
        application.settings.rounds.engine(for: round)
    }

    /// The round open for applications; none open is a 409 with the reason.
    func openRound() async throws -> (RoundRecord, Round) {
        guard let current = try await RoundRegistry(database: db, catalog: application.settings.rounds).current() else {
            throw WorkflowError.unavailable("暂无开放的申报批次")
        }
        return current
    }

    /// The signed-in enterprise account's enterprise.
    func currentEnterprise() async throws -> Enterprise {
        let current = try auth.require(CurrentUser.self)
        guard let enterprise = try await current.user.$enterprise.get(on: db) else {
            throw Abort(.forbidden, reason: "当前账号未关联企业")
        }
        return enterprise
    }

    /// The round whose vocabularies and locations forms use: the open round, or the latest round file.
    func vocabularyRound(_ open: Round?) throws -> Round {
        if let open { return open }
        guard let round = application.settings.rounds.latest else {
            throw Abort(.internalServerError, reason: "未加载任何政策文件")
        }
        return round
    }

    /// The round a list or the statistics are about: the one the filter names, else the open one, else the latest file;
    /// and every opened round as a filter choice (labelled by its notice), the chosen one selected.
    func listRound(_ id: String?) async throws -> (round: Round, choices: [SelectOption]) {
        let catalog = application.settings.rounds
        let choices = try await RoundRegistry(database: db, catalog: catalog).opened().map { _, round in
            SelectOption(value: round.id, label: "\(round.noticeNumber)（\(round.baseYear)年度）", selected: round.id == id)
        }
        if let id, let named = catalog[id] { return (named, choices) }
        return (try await currentRound(), choices)
    }

    /// The round whose vocabularies (审核单位, 处室) the admin pages use: the open one, or the base round.
    func currentRound() async throws -> Round {
        try vocabularyRound(try await RoundRegistry(database: db, catalog: application.settings.rounds).current()?.round)
    }

    /// 太原市工信局 for 140100, 原材料处 for raw-materials.
    func organisationName(of organisation: String?) -> String {
        guard let organisation else { return "" }
        for round in application.settings.rounds.rounds.values {
            if let authority = round.reviewAuthorities.first(where: { $0.id == organisation }) { return authority.name }
            if let division = round.division(organisation) { return division.name }
        }
        return organisation
    }

    /// The signed-in staff member's organisation as users name it: 太原市工信局, 原材料处, 省工信厅.
    var organisationName: String? {
        guard let current = auth.get(CurrentUser.self), let organisation = current.user.organisation else {
            return auth.get(CurrentUser.self)?.role == .admin ? "山西省工业和信息化厅" : nil
        }
        return organisationName(of: organisation)
    }

    var accessScope: AccessScope {
        auth.get(CurrentUser.self).map { AccessScope.of($0.user) } ?? .none
    }

    var audit: AuditLog { AuditLog(database: db, cryptography: application.settings.cryptography) }

    /// Records an event by the signed-in user (or anonymous) from this request's address: a refused access, which
    /// the error middleware writes outside any change.
    func audit(_ action: AuditLog.Action, objectType: String, objectID: String?, after: String? = nil) async throws {
        try await audit.record(action, actor: auth.get(CurrentUser.self)?.user, objectType: objectType, objectID: objectID,
                               after: after, address: clientAddress)
    }

    /// The accounts service for this request's database and address.
    var accounts: Accounts { Accounts(database: db, cryptography: application.settings.cryptography, address: clientAddress) }

    /// A 303 to `url` after a form was handled, with the notice to show there.
    func redirect(to url: SiteURL, done: String? = nil, fragment: String? = nil) -> Response {
        redirect(to: url.path(done: done, fragment: fragment), redirectType: .normal)
    }

    /// The body decoded as `type`. A body that is not what its content type says (a broken multipart boundary, say) is
    /// the client's error, answered 400 in Chinese, not a server error.
    func decodeBody<T: Decodable>(_ type: T.Type) throws -> T {
        do {
            return try content.decode(type)
        } catch let error as any AbortError {
            throw error
        } catch {
            throw Abort(.badRequest, reason: "提交的内容格式有误，无法读取（\(headers.contentType?.description ?? "未说明类型")），请检查后重新提交")
        }
    }
}
