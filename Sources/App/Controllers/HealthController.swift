import Fluent
import SQLKit
import Vapor

struct HealthController: RouteCollection {
    struct Health: Content {
        var status: String
        var database: DatabaseKind
        var rounds: [String]
        var error: String?
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.healthz, use: health)
    }

    /// Answers 200 only when the database answers a query; load balancers take the instance out otherwise.
    func health(req: Request) async throws -> Response {
        let settings = req.application.settings
        var health = Health(status: "ok", database: settings.databaseKind, rounds: settings.rounds.rounds.keys.sorted())
        var status = HTTPResponseStatus.ok
        do {
            guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
            try await sql.raw("SELECT 1").run()
        } catch {
            req.logger.error("health check: database unavailable: \(String(reflecting: error))")
            health.status = "error"
            health.error = "数据库不可用"
            status = .serviceUnavailable
        }
        return try await health.encodeResponse(status: status, for: req)
    }
}
