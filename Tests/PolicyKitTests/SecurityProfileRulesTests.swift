import Foundation
import Testing
@testable import PolicyKit

@Suite("安全配置：三权分立与登录步骤")
struct SecurityProfileRulesTests {
    @Test("三权分立：每个管理职责恰好一个角色办理；标准配置下省厅管理员兼管三项")
    func duties() {
        for duty in AdministrativeDuty.allCases {
            #expect(Role.allCases.filter { SecurityProfile.level3.allows($0, duty) }.count == 1, "\(duty)")
        }
        #expect(AdministrativeDuty.allCases.allSatisfy { SecurityProfile.standard.allows(.admin, $0) })
        #expect(!SecurityProfile.standard.allows(.securityAdmin, .audit))
        #expect(!SecurityProfile.standard.allows(.auditAdmin, .system))
        for role in [Role.enterprise, .cityReviewer, .divisionReviewer] {
            #expect(!AdministrativeDuty.allCases.contains { SecurityProfile.standard.allows(role, $0) })
        }
    }

    @Test("登录步骤：先动态口令，再按要求启用，再改密码；企业不被要求启用")
    func steps() {
        let now = Date()
        let profile = SecurityProfile.level3
        #expect(profile.nextStep(role: .cityReviewer, hasSecondFactor: true, secondFactorPassed: false, mustChangePassword: true, passwordChangedAt: now, now: now) == .secondFactor)
        #expect(profile.nextStep(role: .cityReviewer, hasSecondFactor: false, secondFactorPassed: false, mustChangePassword: true, passwordChangedAt: now, now: now) == .enrolSecondFactor)
        #expect(profile.nextStep(role: .cityReviewer, hasSecondFactor: true, secondFactorPassed: true, mustChangePassword: true, passwordChangedAt: now, now: now) == .changePassword)
        #expect(profile.nextStep(role: .enterprise, hasSecondFactor: false, secondFactorPassed: false, mustChangePassword: false, passwordChangedAt: now, now: now) == nil)
        let old = now.addingTimeInterval(-91 * 86_400)
        #expect(profile.nextStep(role: .enterprise, hasSecondFactor: false, secondFactorPassed: false, mustChangePassword: false, passwordChangedAt: old, now: now) == .changePassword)
        #expect(SecurityProfile.standard.nextStep(role: .admin, hasSecondFactor: false, secondFactorPassed: false, mustChangePassword: false, passwordChangedAt: old, now: now) == nil)
    }
}
