import Foundation

/// Who a signed-in user is acting as.
public enum Role: String, Codable, Sendable, CaseIterable {
    /// 企业（单位）
    case enterprise
    /// 市级审核（11 个市工信局和综改示范区管委会）
    case cityReviewer
    /// 省厅处室
    case divisionReviewer
    /// 省厅管理员（投资处）: under the level-3 profile the 系统管理员 of 三权分立.
    case admin
    /// 安全管理员: security settings, unlocks, two-factor resets.
    case securityAdmin
    /// 审计管理员: reads and exports the audit log, nothing else.
    case auditAdmin

    public var label: String {
        switch self {
        case .enterprise: "企业（单位）"
        case .cityReviewer: "市级审核"
        case .divisionReviewer: "省厅处室"
        case .admin: "省厅管理员"
        case .securityAdmin: "安全管理员"
        case .auditAdmin: "审计管理员"
        }
    }

    /// Everyone but the enterprises: the accounts a provincial deployment holds to a stricter standard.
    public var isStaff: Bool { self != .enterprise }
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
        if password == publishedDemoPassword {
            problems.append("这是公开的演示密码，不能用作真实账号的密码")
        } else if let word = siteWords.first(where: { core(password).contains($0) }) {
            problems.append("密码不能以“\(word)”这类本系统或本地常见的词为主")
        }
        return problems
    }

    /// The demo accounts' password, printed in the README and by `jigai demo`.
    public static let publishedDemoPassword = "Jigai-Demo-2023"

    /// Words an attacker of this system tries first, and which no dictionary of English words holds.
    public static let siteWords = ["jigai", "jinjigai", "shanxi", "jinshang", "taiyuan", "datong", "gongxin", "jishugaizao", "woaini"]

    /// The letters a password is built on: digits and symbols around it removed, the usual substitutions inside
    /// it undone (`P@ssw0rd123` → `password`), lower-cased. `Welcome2023!` is as weak as `welcome`.
    public static func core(_ password: String) -> String {
        let substitutions: [Character: Character] = ["@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s", "5": "s", "7": "t"]
        let isLetter = { (character: Character) in character.isASCII && character.isLetter }
        guard let first = password.firstIndex(where: isLetter), let last = password.lastIndex(where: isLetter) else { return "" }
        return String(password[first...last].lowercased().compactMap { isLetter($0) ? $0 : substitutions[$0] })
    }

    /// What a dictionary checker (cracklib) is asked about: the password itself and, when it has one, its core.
    public static func dictionaryCandidates(_ password: String) -> [String] {
        let core = core(password)
        return core.count >= 4 && core != password ? [password, core] : [password]
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
    /// Registrations from one address: each attempt counts, as each can tell whether a credit code or a mobile is
    /// registered. An office registering its enterprises one after another stays far below.
    public static let registrationPerAddress = LoginThrottlePolicy(allowedFailures: 10, firstLock: 900, maximumLock: 3600, window: 3600)

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

/// What the admin enters to create a reviewer's account.
public struct StaffAccountRules {
    public static let loginPattern = "3–32 位小写字母、数字、点、下划线或连字符"

    /// Problems by form field; `organisations` are the ids valid for the chosen role.
    public static func problems(login: String, displayName: String, role: Role?, organisation: String?, organisations: Set<String>,
                                mobile: String?, loginTaken: Bool) -> [String: String] {
        var problems: [String: String] = [:]
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        if !(3...32).contains(login.count) || !login.allSatisfy(allowed.contains) {
            problems["login"] = "登录名须为\(loginPattern)"
        } else if (try? CreditCode.validate(login.uppercased()).get()) != nil || (try? MobileNumber.validate(login).get()) != nil {
            problems["login"] = "登录名不能是统一社会信用代码或手机号码"
        } else if loginTaken {
            problems["login"] = "登录名“\(login)”已被使用"
        }
        if displayName.isEmpty { problems["displayName"] = "请填写姓名或称谓" }
        if displayName.count > 40 { problems["displayName"] = "姓名或称谓不超过 40 个字" }
        switch role {
        case .cityReviewer?, .divisionReviewer?:
            if organisation.map(organisations.contains) != true {
                problems["organisation"] = role == .cityReviewer ? "请选择审核单位" : "请选择省厅处室"
            }
        case .securityAdmin?, .auditAdmin?:
            break
        case .admin?, .enterprise?, nil:
            problems["role"] = "请选择市级审核、省厅处室、安全管理员或审计管理员"
        }
        if let mobile, !mobile.isEmpty, case .failure(let error) = MobileNumber.validate(mobile) {
            problems["mobile"] = error.message
        }
        return problems
    }
}

/// A one-time password the admin hands over after creating an account or resetting one.
public enum TemporaryPassword {
    /// No 0/O, 1/l/I: it is read aloud or copied by hand.
    static let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789")

    public static func make<Generator: RandomNumberGenerator>(using generator: inout Generator) -> String {
        while true {
            let groups = (0..<3).map { _ in String((0..<4).map { _ in alphabet.randomElement(using: &generator)! }) }
            let password = groups.joined(separator: "-")
            if PasswordPolicy.problems(password).isEmpty { return password }
        }
    }

    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return make(using: &generator)
    }
}

/// Anonymous events (failed sign-ins, refused requests before signing in) from one address: the first ones of each
/// window are recorded one by one, the rest counted, so that one client cannot flood the audit log, and what it did
/// is still there as counts.
public struct AnonymousAuditPolicy: Sendable {
    public var recordedPerWindow: Int
    public var window: TimeInterval

    public static let standard = AnonymousAuditPolicy(recordedPerWindow: 20, window: 600)

    public init(recordedPerWindow: Int, window: TimeInterval) {
        self.recordedPerWindow = recordedPerWindow
        self.window = window
    }

    public enum Decision: Equatable, Sendable {
        /// Recorded as it is.
        case record
        /// Not recorded itself; a row saying how many there have been is written in its place.
        case summarise(total: Int)
        /// Counted only.
        case count
    }

    /// For the `number`-th anonymous event of the address in the current window (1-based): the first
    /// `recordedPerWindow` are recorded; then a summary at the first one over, and at each tenfold count.
    public func decide(number: Int) -> Decision {
        if number <= recordedPerWindow { return .record }
        if number == recordedPerWindow + 1 { return .summarise(total: number) }
        var threshold = 100
        while threshold < number { threshold *= 10 }
        return threshold == number ? .summarise(total: number) : .count
    }
}
