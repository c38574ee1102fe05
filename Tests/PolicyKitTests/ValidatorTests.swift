import Foundation
import Testing
@testable import PolicyKit

@Suite("校验：统一社会信用代码、手机号、地区、行业、项目名称")
struct ValidatorTests {
    /// Codes printed on real business licences (public registrations).
    @Test("真实格式的统一社会信用代码通过", arguments: [
        "914403001922038216", "91330100716105852F", "9144030071526726XG",
        "91110000710926094P", "91140000110114391W", "91110108551385082Q",
    ])
    func realCodesPass(code: String) {
        #expect(CreditCode.validate(code) == .success(code))
    }

    @Test("小写和空格被规范化")
    func normalisation() {
        #expect(CreditCode.validate(" 9144030071526726xg ") == .success("9144030071526726XG"))
    }

    @Test("第 18 位校验位错误时给出应为的字符")
    func wrongCheckCharacter() {
        guard case .failure(let error) = CreditCode.validate("914403001922038217") else {
            Issue.record("应当失败")
            return
        }
        #expect(error.message == "统一社会信用代码校验位错误：第 18 位应为“6”，请核对营业执照")
    }

    @Test("组织机构代码（第 9–17 位）校验码错误被发现")
    func wrongOrganisationCheckDigit() {
        // Body 19220382 has check digit 1; with 2 the GB 11714 check fails even after recomputing the 18th character.
        let code = CreditCode.withCheckCharacter("91440300192203822")
        guard case .failure(let error) = CreditCode.validate(code) else {
            Issue.record("应当失败")
            return
        }
        #expect(error.message.contains("第 17 位（组织机构代码校验码）应为“1”"))
    }

    @Test("长度、字符、登记管理部门代码", arguments: [
        ("91440300192203821", "应为 18 位，现为 17 位"),
        ("9144030019220382161", "应为 18 位，现为 19 位"),
        ("91440300I92203821G", "第 9 位“I”不是有效字符"),
        ("Z14403001922038216", "第 1 位“Z”不是有效字符"),
        ("H1440300192203821A", "第 1 位（登记管理部门代码）“H”无效"),
        ("9144A300192203821A", "第 3–8 位应为登记管理机关行政区划码"),
    ])
    func malformed(code: String, expected: String) {
        guard case .failure(let error) = CreditCode.validate(code) else {
            Issue.record("\(code) 应当失败")
            return
        }
        #expect(error.message.contains(expected), "\(error.message)")
    }

    @Test("生成的代码全部通过，任一位改动都被发现")
    func generatedCodesAndSingleCharacterErrors() {
        let code = CreditCode.withCheckCharacter("91140100" + CreditCode.organisationCode(body: "MA0K3L7P"))
        #expect(CreditCode.validate(code) == .success(code))
        var caught = 0
        var tried = 0
        for index in 0..<18 {
            for replacement in CreditCode.alphabet where replacement != Array(code)[index] {
                var characters = Array(code)
                characters[index] = replacement
                tried += 1
                if case .failure = CreditCode.validate(String(characters)) { caught += 1 }
            }
        }
        #expect(caught == tried)
    }

    @Test("手机号码", arguments: [
        ("13912345678", "13912345678"), ("+86 139-1234-5678", "13912345678"), ("19912345678", "19912345678"),
    ])
    func mobileValid(input: String, expected: String) {
        #expect(MobileNumber.validate(input) == .success(expected))
    }

    @Test("无效手机号码", arguments: ["12912345678", "1391234567", "0351-3046026", "1391234567a", ""])
    func mobileInvalid(input: String) {
        guard case .failure(let error) = MobileNumber.validate(input) else {
            Issue.record("\(input) 应当失败")
            return
        }
        #expect(error.message.contains("手机号码") || error.message.contains("11 位"))
    }

    @Test("县属于市")
    func countyInCity() {
        let round = Package.round
        #expect(LocationRules.checkCounty("140105", city: "140100", round: round) == nil)
        #expect(LocationRules.checkCounty("141182", city: "141100", round: round) == nil)
        #expect(LocationRules.checkCounty("140212", city: "140100", round: round) == "新荣区（140212）属于大同市，不属于太原市")
        #expect(LocationRules.checkCounty("110105", city: "140100", round: round) == "“110105”不是山西省的县（市、区）代码")
        #expect(LocationRules.checkTransformationZone(county: "140702", round: round) == nil)
        #expect(LocationRules.checkTransformationZone(county: "140212", round: round)?.contains("不在山西转型综改示范区范围内") == true)
    }

    @Test("行业属于行业分类")
    func industryInCategory() {
        let round = Package.round
        #expect(IndustryRules.check(industry: "钢铁", category: "传统优势产业", round: round) == nil)
        #expect(IndustryRules.check(industry: "数字产业", category: "战略性新兴产业", round: round) == nil)
        #expect(IndustryRules.check(industry: "钢铁", category: "战略性新兴产业", round: round) == "所属行业“钢铁”属于传统优势产业，与行业分类“战略性新兴产业”不符")
        #expect(IndustryRules.check(industry: "房地产", category: "传统优势产业", round: round) == "“房地产”不是附件2所列行业")
    }

    @Test("项目名称按方向规则")
    func projectNames() throws {
        let round = Package.round
        var revenue = try Package.example("revenue-increase.eligible.json")
        let spec = try #require(round.directionSpec("revenue-increase", subDirection: nil))
        #expect(ProjectNameRules.check("营收增量奖励（钢铁）", spec: spec, application: revenue, round: round) == nil)
        #expect(ProjectNameRules.check("营收增量奖励(钢铁)", spec: spec, application: revenue, round: round) == nil)
        #expect(ProjectNameRules.check("营收增量奖励（有色）", spec: spec, application: revenue, round: round)?.hasPrefix("项目名称应为“营收增量奖励（钢铁）”") == true)
        revenue.enterprise.industry = "建材"
        #expect(ProjectNameRules.check("营收增量奖励（建材）", spec: spec, application: revenue, round: round) == nil)

        let rdSpec = try #require(round.directionSpec("rd-expense", subDirection: nil))
        let rd = try Package.example("rd-expense.eligible.json")
        #expect(ProjectNameRules.check("研发费用奖励", spec: rdSpec, application: rd, round: round) == nil)
        #expect(ProjectNameRules.check("2022年研发费用奖励", spec: rdSpec, application: rd, round: round) != nil)

        let drugSpec = try #require(round.directionSpec("generic-drug", subDirection: nil))
        let drug = try Package.example("generic-drug.eligible.json")
        #expect(ProjectNameRules.check("盐酸二甲双胍缓释片", spec: drugSpec, application: drug, round: round) == nil)
        #expect(ProjectNameRules.check("阿莫西林胶囊", spec: drugSpec, application: drug, round: round) == "项目名称应为申报表中的品种名称之一：盐酸二甲双胍缓释片")

        let whitelistSpec = try #require(round.directionSpec("whitelist", subDirection: nil))
        let whitelist = try Package.example("whitelist-2023-q1-tier-1.eligible.json")
        #expect(ProjectNameRules.check("“白名单”企业奖励（2023年1至3月）", spec: whitelistSpec, application: whitelist, round: round) == nil)
        #expect(ProjectNameRules.check("“白名单”企业奖励（2022年6至12月）", spec: whitelistSpec, application: whitelist, round: round) != nil)

        let carrierSpec = try #require(round.directionSpec("industrial-carrier", subDirection: "green-park"))
        let carrier = try Package.example("industrial-carrier-green-park.eligible.json")
        #expect(ProjectNameRules.check("山西示例经济技术开发区国家级绿色园区", spec: carrierSpec, application: carrier, round: round) == nil)
        #expect(ProjectNameRules.check("绿色园区", spec: carrierSpec, application: carrier, round: round) != nil)
    }

    @Test("日期")
    func calendarDates() {
        #expect(CalendarDate("2022-12-31") != nil)
        #expect(CalendarDate("2024-02-29") != nil)
        #expect(CalendarDate("2023-02-29") == nil)
        #expect(CalendarDate("2022/12/31") == nil)
        #expect(CalendarDate("2022-13-01") == nil)
        #expect(CalendarDate("2022-12-31")! > CalendarDate("2022-06-01")!)
    }

    @Test("签章日期：按申报批次的时区取日期")
    func calendarDateInTimeZone() throws {
        // 2023-10-19 17:30 UTC is already 20 October in Beijing.
        let instant = Date(timeIntervalSince1970: 1_697_736_600)
        let shanghai = try #require(TimeZone(identifier: "Asia/Shanghai"))
        #expect(CalendarDate(instant, timeZone: shanghai) == CalendarDate(year: 2023, month: 10, day: 20))
        #expect(CalendarDate(instant, timeZone: TimeZone(secondsFromGMT: 0)!) == CalendarDate(year: 2023, month: 10, day: 19))
        #expect(CalendarDate(year: 2024, month: 1, day: 5).chinese == "2024年1月5日")
    }

    @Test("金额格式：千分位、两位小数、亿元")
    func decimalFormatting() {
        #expect(decimal("29000").grouped() == "29,000.00")
        #expect(decimal("1234567.895").grouped() == "1,234,567.90")
        #expect(decimal("1234567.8949").grouped() == "1,234,567.89")
        #expect(decimal("-0.5").grouped() == "-0.50")
        #expect(decimal("-0.004").grouped() == "0.00")
        #expect(decimal("29000").grouped(shift: 4) == "2.90")
        #expect(decimal("29999.4999").grouped(shift: 4) == "3.00")
        #expect(decimal("2000").compact() == "2,000")
        #expect(decimal("1.5").compact() == "1.5")
        #expect(decimal("30000").compact(shift: 4) == "3")
        #expect(decimal("12345.6789").description == "12345.6789")
        #expect(decimal("-7.50").description == "-7.5")
        #expect(decimal("0.0001").units == 1)
    }

    @Test("数值解析：不接受指数、千分位、超过 4 位小数", arguments: ["1e5", "1,000", "", "-", ".", "1.2.3", "12345.67891", "１２"])
    func rejectedNumbers(text: String) {
        #expect(FixedDecimal(text) == nil)
    }

    @Test("增速：精确比较，不受舍入影响")
    func percentChanges() throws {
        let growth = try #require(PercentChange(from: decimal("100001"), to: decimal("130001")))
        #expect(growth.formatted() == "30.00")
        #expect(!growth.isAtLeast(30))
        #expect(try #require(PercentChange(from: 100000, to: 130000)).isAtLeast(30))
        #expect(try #require(PercentChange(from: decimal("3500"), to: decimal("3400"))).formatted() == "-2.86")
        #expect(PercentChange(from: 0, to: 5) == nil)
        #expect(try #require(PercentChange(from: 100, to: 150)) < #require(PercentChange(from: 1000, to: 1600)))
        #expect(decimal("23500").percentage(of: 98000) == "23.98")
    }
}
