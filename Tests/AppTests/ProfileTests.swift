import Fluent
import Foundation
import PolicyKit
import Testing
import Vapor
import VaporTesting
@testable import App

@Suite("企业信息（情况表）", .serialized)
struct ProfileTests {
    static let complete: [String: String] = [
        "name": "山西示例实业有限公司", "contactName": "李华", "mobile": "13934569999", "city": "140700", "county": "140702",
        "zone": "晋中开发区", "inTransformationZone": "true", "ownership": "民营企业", "industryCategory": "战略性新兴产业",
        "industry": "新材料", "independentLegalPerson": "true", "implementedInShanxi": "true", "noOtherProvincialFunds": "true",
    ]

    @Test("保存后写入数据库，联系手机同时成为登录账号")
    func save() async throws {
        try await withTestApp { app in
            var browser = Browser()
            try await browser.post(app, "/register", Sample.registration())
            let response = try await browser.post(app, "/enterprise/profile", Self.complete)
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/enterprise/profile?saved=1")
            let enterprise = try #require(try await Enterprise.query(on: app.db).first())
            #expect(enterprise.city == "140700")
            #expect(enterprise.county == "140702")
            #expect(enterprise.inTransformationZone)
            #expect(enterprise.industry == "新材料")
            #expect(enterprise.noOtherProvincialFunds == true)
            #expect(enterprise.contactName == "李华")
            var other = Browser()
            #expect(try await other.post(app, "/login", ["login": "13934569999", "password": Sample.password]).status == .seeOther)
            let dashboard = try await browser.get(app, "/enterprise")
            #expect(dashboard.body.string.contains("山西转型综改示范区管委会（属地审核）"))
            #expect(dashboard.body.string.contains("企业信息已完善"))
        }
    }

    @Test("县不属于市、行业不属于分类、示范区外的县：逐项提示并保留输入", arguments: [
        ("county", "140212", "新荣区（140212）属于大同市，不属于晋中市"),
        ("industry", "钢铁", "所属行业“钢铁”属于传统优势产业，与行业分类“战略性新兴产业”不符"),
        ("mobile", "0351-3046026", "不是有效的大陆手机号码"),
        ("ownership", "外资企业", "请从列表中选择企业（单位）性质"),
    ])
    func invalid(field: String, value: String, message: String) async throws {
        try await withTestApp { app in
            var browser = Browser()
            try await browser.post(app, "/register", Sample.registration())
            var fields = Self.complete
            fields[field] = value
            let response = try await browser.post(app, "/enterprise/profile", fields)
            #expect(response.status == .unprocessableEntity)
            let html = response.body.string
            #expect(html.contains(message))
            #expect(html.contains("value=\"晋中开发区\""))
            #expect(html.contains("<option value=\"140700\" selected>晋中市</option>"))
            let enterprise = try #require(try await Enterprise.query(on: app.db).first())
            #expect(enterprise.city == nil)
        }
    }

    @Test("示范区外的县不能勾选综改示范区")
    func transformationZoneCounty() async throws {
        try await withTestApp { app in
            var browser = Browser()
            try await browser.post(app, "/register", Sample.registration())
            var fields = Self.complete
            fields["city"] = "140200"
            fields["county"] = "140212"
            let response = try await browser.post(app, "/enterprise/profile", fields)
            #expect(response.status == .unprocessableEntity)
            #expect(response.body.string.contains("所在县不在山西转型综改示范区范围内"))
        }
    }

    @Test("一个企业看不到、改不了另一个企业的信息")
    func isolation() async throws {
        try await withTestApp { app in
            var first = Browser()
            try await first.post(app, "/register", Sample.registration())
            var second = Browser()
            try await second.post(app, "/register", Sample.registration(creditCode: Sample.otherCreditCode, mobile: "13934560002"))
            try await second.post(app, "/enterprise/profile", Self.complete)
            let page = try await first.get(app, "/enterprise/profile")
            #expect(page.body.string.contains(Sample.creditCode))
            #expect(!page.body.string.contains(Sample.otherCreditCode))
            let firstEnterprise = try #require(try await Enterprise.query(on: app.db).filter(\.$creditCode == Sample.creditCode).first())
            #expect(firstEnterprise.city == nil)
        }
    }
}
