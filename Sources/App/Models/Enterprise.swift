import Fluent
import Foundation

/// 企业（单位）: one per 统一社会信用代码, with the 情况表 profile.
final class Enterprise: Model, @unchecked Sendable {
    static let schema = "enterprises"

    @ID(key: .id) var id: UUID?
    @Field(key: "credit_code") var creditCode: String
    @Field(key: "name") var name: String
    @Field(key: "contact_name") var contactName: String
    @Field(key: "mobile") var mobile: String
    @OptionalField(key: "city") var city: String?
    @OptionalField(key: "county") var county: String?
    @OptionalField(key: "zone") var zone: String?
    @Field(key: "in_transformation_zone") var inTransformationZone: Bool
    @OptionalField(key: "ownership") var ownership: String?
    @OptionalField(key: "industry_category") var industryCategory: String?
    @OptionalField(key: "industry") var industry: String?
    @OptionalField(key: "independent_legal_person") var independentLegalPerson: Bool?
    @OptionalField(key: "implemented_in_shanxi") var implementedInShanxi: Bool?
    @OptionalField(key: "no_other_provincial_funds") var noOtherProvincialFunds: Bool?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(creditCode: String, name: String, contactName: String, mobile: String) {
        self.creditCode = creditCode
        self.name = name
        self.contactName = contactName
        self.mobile = mobile
        self.inTransformationZone = false
    }
}
