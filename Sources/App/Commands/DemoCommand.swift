import Fluent
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

    static let password = "Jigai-Demo-2023"

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
        let record = try await RoundRegistry(database: app.db, catalog: app.settings.rounds).open(round)
        context.console.print("已开放演示批次：\(round.noticeNumber)（\(round.id)），截止 \(DateText.minute(record.deadline, timeZone: round.timeZone))")
        let hash = try await app.password.async.hash(Self.password)
        context.console.print("演示账号（密码均为 \(Self.password)）：")
        for demo in Self.enterprises {
            try await Self.ensure(demo, passwordHash: hash, on: app.db)
            let authority = round.reviewAuthority(for: EnterpriseProfile(city: demo.city, inTransformationZone: demo.inTransformationZone))?.name ?? ""
            context.console.print("  企业  \(demo.name)  登录：\(demo.creditCode) 或 \(demo.mobile)  （审核单位：\(authority)）")
        }
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
