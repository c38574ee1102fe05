import Documents
import Fluent
import Foundation
import PolicyKit
import Vapor

/// `jigai demo`: opens the demo round (the 2023 round with a future deadline) and creates the demo accounts.
/// Running it again changes nothing that already exists.
struct DemoCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "round", help: "演示批次编号（默认 shanxi-2023-demo）")
        var round: String?
    }

    var help: String { "加载演示批次和演示账号" }

    static let password = PasswordPolicy.publishedDemoPassword

    struct DemoEnterprise {
        var creditCode: String
        var name: String
        var contact: String
        var mobile: String
        var city: String
        var county: String
        var inTransformationZone: Bool
        var ownership: String
        var category: String
        var industry: String
    }

    static let enterprises = [
        DemoEnterprise(creditCode: CreditCode.withCheckCharacter("91140100" + CreditCode.organisationCode(body: "MA0K3L7P")), name: "太原示例钢铁有限公司",
                       contact: "王明", mobile: "13934561234", city: "140100", county: "140110", inTransformationZone: false,
                       ownership: "民营企业", category: "传统优势产业", industry: "钢铁"),
        DemoEnterprise(creditCode: CreditCode.withCheckCharacter("91140200" + CreditCode.organisationCode(body: "MA0D9T2C")), name: "大同示例食品有限公司",
                       contact: "赵丽", mobile: "13934562345", city: "140200", county: "140213", inTransformationZone: false,
                       ownership: "地方国企", category: "传统优势产业", industry: "食品"),
        DemoEnterprise(creditCode: CreditCode.withCheckCharacter("91140100" + CreditCode.organisationCode(body: "MA0XC8N4")), name: "综改区示例新材料有限公司",
                       contact: "陈刚", mobile: "13934563456", city: "140100", county: "140105", inTransformationZone: true,
                       ownership: "民营企业", category: "战略性新兴产业", industry: "新材料"),
    ]

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let code = signature.round ?? "shanxi-2023-demo"
        guard let round = app.settings.rounds[code] else {
            throw Abort(.notFound, reason: "找不到政策文件中的批次“\(code)”；可用：\(app.settings.rounds.rounds.keys.sorted().joined(separator: "、"))")
        }
        let record = try await RoundRegistry(database: app.db, catalog: app.settings.rounds).open(round, cryptography: app.settings.cryptography)
        context.console.print("已开放演示批次：\(round.noticeNumber)（\(round.id)），截止 \(DateText.minute(record.deadline, timeZone: round.timeZone))")
        let hash = try await app.password.async.hash(Self.password)
        context.console.print("演示账号（密码均为 \(Self.password)）：")
        for demo in Self.enterprises {
            try await Self.ensure(demo, passwordHash: hash, on: app.db)
            let authority = round.reviewAuthority(for: EnterpriseProfile(city: demo.city, inTransformationZone: demo.inTransformationZone))?.name ?? ""
            context.console.print("  企业  \(demo.name)  登录：\(demo.creditCode) 或 \(demo.mobile)  （审核单位：\(authority)）")
        }
        for staff in Self.staff {
            try await Self.ensure(staff, passwordHash: hash, on: app.db)
            context.console.print("  \(staff.role.label)  \(staff.name)  登录：\(staff.login)")
        }
        let created = try await Self.ensureApplications(app: app, round: round)
        if created > 0 { context.console.print("已创建 \(created) 份演示申报（草稿、已提交、已撤回各有，均经申报流程办理）") }
    }

    struct DemoStaff {
        var login: String
        var name: String
        var role: Role
        var organisation: String?
    }

    static let staff = [
        DemoStaff(login: "taiyuan", name: "太原市工信局审核员", role: .cityReviewer, organisation: "140100"),
        DemoStaff(login: "datong", name: "大同市工信局审核员", role: .cityReviewer, organisation: "140200"),
        DemoStaff(login: "zonggai", name: "综改示范区管委会审核员", role: .cityReviewer, organisation: "transformation-zone"),
        DemoStaff(login: "yuancailiao", name: "原材料处审核员", role: .divisionReviewer, organisation: "raw-materials"),
        DemoStaff(login: "xiaofeipin", name: "消费品处审核员", role: .divisionReviewer, organisation: "consumer-goods"),
        DemoStaff(login: "yunxing", name: "运行处审核员", role: .divisionReviewer, organisation: "operations"),
        DemoStaff(login: "admin", name: "投资处管理员", role: .admin, organisation: nil),
        DemoStaff(login: "anquan", name: "安全管理员", role: .securityAdmin, organisation: nil),
        DemoStaff(login: "shenji", name: "审计管理员", role: .auditAdmin, organisation: nil),
    ]

    /// The enabled accounts still signing in with the published demo password: a production server refuses to start
    /// with any (`jigai serve --demo` is the demo). Only accounts the demo creates are tried, so a real installation
    /// pays nothing.
    static func accountsWithPublishedPassword(app: Vapor.Application) async throws -> [String] {
        let logins = staff.map(\.login)
        let mobiles = enterprises.map(\.mobile)
        let candidates = try await User.query(on: app.db).filter(\.$disabledAt == nil)
            .group(.or) { $0.filter(\.$login ~~ logins).filter(\.$mobile ~~ mobiles) }.all()
        var found: [String] = []
        for user in candidates where try await app.password.async.verify(password, created: user.passwordHash) {
            found.append(user.login ?? user.mobile ?? user.displayName)
        }
        return found.sorted()
    }

    static func ensure(_ staff: DemoStaff, passwordHash: String, on database: Database) async throws {
        if try await User.query(on: database).filter(\.$login == staff.login).first() != nil { return }
        try await User(role: staff.role, organisation: staff.organisation, login: staff.login, mobile: nil, displayName: staff.name,
                       passwordHash: passwordHash).create(on: database)
    }

    /// One demo application per enterprise, filled from `Examples/applications/`, in different states; made through the
    /// same services as the pages, so each submission has its version and every change its history and audit entry.
    static let applications: [(enterprise: Int, example: String, status: ApplicationStatus)] = [
        (0, "revenue-increase.eligible.json", .draft),
        (1, "consumer-increase.eligible.json", .submitted),
        (2, "whitelist-2022-h2-tier-2.eligible.json", .submitted),
        (2, "rd-expense.eligible.json", .withdrawn),
    ]

    static func ensureApplications(app: Vapor.Application, round: Round) async throws -> Int {
        var created = 0
        let examples = URL(fileURLWithPath: app.settings.homeDirectory).appendingPathComponent("Examples/applications")
        for demo in applications {
            let spec = enterprises[demo.enterprise]
            guard let enterprise = try await Enterprise.query(on: app.db).filter(\.$creditCode == spec.creditCode).first(),
                  let user = try await User.query(on: app.db).filter(\.$enterprise.$id == enterprise.requireID()).first() else { continue }
            let example = try ApplicationReader.read(Data(contentsOf: examples.appendingPathComponent(demo.example)), round: round)
            let existing = try await StoredApplication.query(on: app.db)
                .filter(\.$enterprise.$id == enterprise.requireID()).filter(\.$direction == example.direction).count()
            if existing > 0 { continue }
            let environment = ServiceEnvironment(database: app.db, settings: app.settings, actor: Actor(user: user, address: nil), passwords: app.password.async)
            let workflow = ApplicationWorkflow(environment: environment)
            let stored = try await workflow.create(directionID: example.direction, subDirectionID: example.subDirection)
            var context = try await workflow.load(stored.id)
            var document = example
            document.projectName = context.application.projectName ?? example.projectName
            document.attachments = []
            _ = try await workflow.save(context, document, basedOn: stored.revision)
            if demo.status != .draft {
                let intake = AttachmentIntake(environment: environment)
                for item in round.attachments(for: context.spec) where item.source == .upload && item.isRequired {
                    context = try await workflow.load(stored.id)
                    let receiver = try app.settings.attachments.receiver()
                    try receiver.append(ByteBuffer(data: try DemoAttachment.pdf(title: item.title, enterprise: enterprise.name, pages: 2)))
                    _ = try await intake.accept(receiver, fileName: "\(item.title.prefix(40)).pdf", for: item, context: context)
                }
                try await workflow.submit(try await workflow.load(stored.id), requestKey: nil)
            }
            if demo.status == .withdrawn {
                try await workflow.withdraw(try await workflow.load(stored.id), reason: "演示：企业撤回修改", requestKey: nil)
            }
            created += 1
        }
        return created
    }

    static func ensure(_ demo: DemoEnterprise, passwordHash: String, on database: Database) async throws {
        if try await Enterprise.query(on: database).filter(\.$creditCode == demo.creditCode).first() != nil { return }
        try await database.transaction { database in
            let enterprise = Enterprise(creditCode: demo.creditCode, name: demo.name, contactName: demo.contact, mobile: demo.mobile)
            enterprise.city = demo.city
            enterprise.county = demo.county
            enterprise.inTransformationZone = demo.inTransformationZone
            enterprise.ownership = demo.ownership
            enterprise.industryCategory = demo.category
            enterprise.industry = demo.industry
            enterprise.independentLegalPerson = true
            enterprise.implementedInShanxi = true
            enterprise.noOtherProvincialFunds = true
            try await enterprise.create(on: database)
            let user = User(role: .enterprise, enterpriseID: try enterprise.requireID(), mobile: demo.mobile, displayName: demo.contact, passwordHash: passwordHash)
            try await user.create(on: database)
        }
    }
}

extension Vapor.Application {
    /// See `DemoCommand.accountsWithPublishedPassword`.
    public func accountsWithPublishedDemoPassword() async throws -> [String] {
        try await DemoCommand.accountsWithPublishedPassword(app: self)
    }
}
