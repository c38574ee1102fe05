import Fluent
import Foundation
import PolicyKit
import Testing
import Vapor
import VaporTesting
@testable import App

enum Sample {
    static let creditCode = CreditCode.withCheckCharacter("91140100" + CreditCode.organisationCode(body: "MA0K3L7P"))
    static let otherCreditCode = CreditCode.withCheckCharacter("91140200" + CreditCode.organisationCode(body: "MB1952DX"))
    static let password = "Fenhe-River-2023"

    static func registration(creditCode: String = creditCode, mobile: String = "13934561234") -> [String: String] {
        ["creditCode": creditCode, "name": "山西示例实业有限公司", "contactName": "王明", "mobile": mobile,
         "password": password, "passwordConfirmation": password]
    }
}
