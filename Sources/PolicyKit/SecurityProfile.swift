import Foundation

/// The administrative work that 等保 2.0 level 3 (GB/T 22239-2019, 8.1.4.2 访问控制 and 8.1.5 安全管理中心: 三权分立) gives to three
/// separate administrators.
public enum AdministrativeDuty: String, Sendable, CaseIterable {
    /// 系统管理员: accounts, rounds, lists, settings — and the province-wide view of applications.
    case system
    /// 安全管理员: locked accounts, two-factor resets, the security settings.
    case security
    /// 审计管理员: reading and exporting the audit log.
    case audit

    public var label: String {
        switch self {
        case .system: "系统管理"
        case .security: "安全管理"
        case .audit: "审计管理"
        }
    }
}

/// How strictly accounts are held, from the settings: `standard` for a pilot or a demo, `level3` (the default of a
/// production server) for a provincial deployment graded at 等保 level 3.
public struct SecurityProfile: Sendable, Equatable {
    public var name: String
    /// 三权分立: no administrator does another's duty.
    public var separatesDuties: Bool
    /// Staff must sign in with a second factor (TOTP); enterprises may opt in either way.
    public var requiresSecondFactorForStaff: Bool
    /// A password older than this must be changed at the next sign-in; nil: never.
    public var passwordMaximumAge: TimeInterval?
    /// How many earlier passwords a new one may not repeat.
    public var passwordHistory: Int

    public static let standard = SecurityProfile(name: "standard", separatesDuties: false, requiresSecondFactorForStaff: false, passwordMaximumAge: nil, passwordHistory: 0)
    public static let level3 = SecurityProfile(name: "level3", separatesDuties: true, requiresSecondFactorForStaff: true, passwordMaximumAge: 90 * 86_400, passwordHistory: 5)

    public init(name: String, separatesDuties: Bool, requiresSecondFactorForStaff: Bool, passwordMaximumAge: TimeInterval?, passwordHistory: Int) {
        self.name = name
        self.separatesDuties = separatesDuties
        self.requiresSecondFactorForStaff = requiresSecondFactorForStaff
        self.passwordMaximumAge = passwordMaximumAge
        self.passwordHistory = passwordHistory
    }

    /// Whether `role` performs `duty`. Each administrator has its own; the provincial admin does all three unless
    /// duties are separated.
    public func allows(_ role: Role, _ duty: AdministrativeDuty) -> Bool {
        switch (role, duty) {
        case (.admin, .system), (.securityAdmin, .security), (.auditAdmin, .audit): true
        case (.admin, _): !separatesDuties
        default: false
        }
    }

    /// What a user must still do after the password was right, in order; nil once signed in completely.
    public func nextStep(role: Role, hasSecondFactor: Bool, secondFactorPassed: Bool, mustChangePassword: Bool,
                         passwordChangedAt: Date?, now: Date) -> SignInStep? {
        if hasSecondFactor, !secondFactorPassed { return .secondFactor }
        if !hasSecondFactor, requiresSecondFactorForStaff, role.isStaff { return .enrolSecondFactor }
        if mustChangePassword { return .changePassword }
        if let passwordMaximumAge, let passwordChangedAt, now.timeIntervalSince(passwordChangedAt) > passwordMaximumAge { return .changePassword }
        return nil
    }
}

/// A step between the right password and a complete sign-in; the session can reach only that step's pages.
public enum SignInStep: String, Codable, Sendable, CaseIterable {
    case secondFactor = "second-factor"
    case enrolSecondFactor = "enrol-second-factor"
    case changePassword = "change-password"

    public var explanation: String {
        switch self {
        case .secondFactor: "请输入手机验证器上的 6 位动态口令（或一个恢复码）以完成登录。"
        case .enrolSecondFactor: "按安全规定，工作人员账号须启用双因素认证：请用手机验证器扫描二维码，并输入显示的动态口令。"
        case .changePassword: "按安全规定，请先设置新密码（一次性密码须在首次登录时更改，密码也须定期更换）。"
        }
    }
}
