import Foundation

/// Who a signed-in user is acting as.
public enum Role: String, Codable, Sendable, CaseIterable {
    /// 企业（单位）
    case enterprise
    /// 市级审核（11 个市工信局和综改示范区管委会）
    case cityReviewer
    /// 省厅处室
    case divisionReviewer
    /// 省厅管理员（投资处）
    case admin

    public var label: String {
        switch self {
        case .enterprise: "企业（单位）"
        case .cityReviewer: "市级审核"
        case .divisionReviewer: "省厅处室"
        case .admin: "省厅管理员"
        }
    }
}

/// Password rules for every account: at least 10 characters, not the credit code or mobile it belongs to,
/// not one repeated character, not a keyboard or digit run.
public enum PasswordPolicy {
    public static let minimumLength = 10

    public static func problems(_ password: String, creditCode: String? = nil, mobile: String? = nil) -> [String] {
        var problems: [String] = []
        if password.count < minimumLength {
            problems.append("密码至少 \(minimumLength) 个字符")
        }
        if password.count > 128 {
            problems.append("密码不能超过 128 个字符")
        }
        let upper = password.uppercased()
        if let creditCode, !creditCode.isEmpty, upper.contains(creditCode.uppercased()) || creditCode.uppercased().contains(upper) {
            problems.append("密码不能是或包含统一社会信用代码")
        }
        if let mobile, !mobile.isEmpty, password.contains(mobile) {
            problems.append("密码不能包含手机号码")
        }
        if Set(password).count == 1 && !password.isEmpty {
            problems.append("密码不能由同一个字符重复组成")
        }
        if ["0123456789", "1234567890", "qwertyuiop", "abcdefghij", "password12", "1qaz2wsx3e"].contains(where: { password.lowercased().hasPrefix($0) }) {
            problems.append("密码过于简单，请避免连续的数字或键盘字母")
        }
        return problems
    }
}

/// Progressive lock-out after failed sign-ins, kept per account and per address.
public struct LoginThrottlePolicy: Sendable {
    /// Failures tolerated before a lock.
    public var allowedFailures: Int
    /// The first lock; each further failure while over the limit doubles it, up to `maximumLock`.
    public var firstLock: TimeInterval
    public var maximumLock: TimeInterval
    /// Failures older than this are forgotten.
    public var window: TimeInterval

    public static let perAccount = LoginThrottlePolicy(allowedFailures: 5, firstLock: 60, maximumLock: 3600, window: 900)
    public static let perAddress = LoginThrottlePolicy(allowedFailures: 20, firstLock: 300, maximumLock: 3600, window: 900)

    public init(allowedFailures: Int, firstLock: TimeInterval, maximumLock: TimeInterval, window: TimeInterval) {
        self.allowedFailures = allowedFailures
        self.firstLock = firstLock
        self.maximumLock = maximumLock
        self.window = window
    }

    /// How long to lock after the `failures`-th consecutive failure; nil while under the limit.
    public func lockDuration(afterFailures failures: Int) -> TimeInterval? {
        guard failures >= allowedFailures else { return nil }
        let doublings = min(failures - allowedFailures, 16)
        return min(firstLock * pow(2, Double(doublings)), maximumLock)
    }
}
