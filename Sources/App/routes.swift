import Vapor

func routes(_ app: Application) throws {
    try app.register(collection: HealthController())
    try app.register(collection: HomeController())
    try app.register(collection: AccountController())
    try app.register(collection: EnterpriseController())
    try app.register(collection: ApplicationController())
    try app.register(collection: AttachmentController())
    try app.register(collection: TableImportController())
    try app.register(collection: ChainRewardController())
    try app.register(collection: APIController())
    try app.register(collection: ReviewAPIController())
    try app.register(collection: AdminAPIController())
    try app.register(collection: ReviewController())
    try app.register(collection: ForwardingController())
    try app.register(collection: AdminController())
    try app.register(collection: UserAdminController())
    try app.register(collection: BlacklistController())
    try app.register(collection: ConflictController())
    try app.register(collection: StatisticsController())
    try app.register(collection: AuditController())
    try app.register(collection: ReportController())
}
