import Fluent
import PolicyKit
import Vapor

struct HomeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(SiteURL.home, use: home)
    }

    /// The current round and its whole catalogue, for anyone deciding whether and where to apply.
    func home(req: Request) async throws -> View {
        let registry = RoundRegistry(database: req.db, catalog: req.application.settings.rounds)
        let current = try await registry.current()
        var chrome = req.chrome("申报通知")
        chrome.breadcrumbs = [Chrome.Crumb(title: "首页", href: nil)]
        let page = HomePage(chrome: chrome, round: current?.round, deadline: current?.record.deadline, now: Date())
        return try await req.view.render("home", page)
    }
}
