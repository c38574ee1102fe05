import Foundation
import Vapor

/// Cookie and session settings, from the environment:
/// `JIGAI_SECURE_COOKIES=1` when served over HTTPS, `JIGAI_SESSION_IDLE_MINUTES`, `JIGAI_SESSION_MAX_HOURS`.
struct SecurityConfiguration: Sendable {
    var secureCookies: Bool
    var sessionIdleTimeout: TimeInterval
    var sessionMaximumAge: TimeInterval

    static let sessionCookie = "jigai_session"
    static let csrfCookie = "jigai_csrf"
    static let csrfField = "_csrf"
    static let csrfHeader = "X-CSRF-Token"

    static func fromEnvironment() -> SecurityConfiguration {
        SecurityConfiguration(
            secureCookies: Environment.get("JIGAI_SECURE_COOKIES") == "1",
            sessionIdleTimeout: (Environment.get("JIGAI_SESSION_IDLE_MINUTES").flatMap(Double.init) ?? 30) * 60,
            sessionMaximumAge: (Environment.get("JIGAI_SESSION_MAX_HOURS").flatMap(Double.init) ?? 12) * 3600)
    }

    func cookie(_ value: String, sameSite: HTTPCookies.SameSitePolicy, maxAge: Int? = nil) -> HTTPCookies.Value {
        HTTPCookies.Value(string: value, expires: nil, maxAge: maxAge, domain: nil, path: "/", isSecure: secureCookies, isHTTPOnly: true, sameSite: sameSite)
    }
}

enum SecureToken {
    /// 256 random bits, URL-safe.
    static func make() -> String {
        Data([UInt8].random(count: 32)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Compares without leaking where the first difference is.
    static func equal(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
