import Foundation
import PolicyKit
import Vapor

/// Cookie and session settings, from the environment: `JIGAI_SECURE_COOKIES` (`1` always Secure, `0` never; unset:
/// Secure except when the server is browsed at a loopback address, as in development), `JIGAI_SESSION_IDLE_MINUTES`,
/// `JIGAI_SESSION_MAX_HOURS`, and the server key that signs CSRF tokens (`JIGAI_SECRET_KEY_FILE`, default
/// `secret.key` in the data folder, made on first start; instances sharing a database must share it).
struct SecurityConfiguration: Sendable {
    var secureCookies: Bool?
    var sessionIdleTimeout: TimeInterval
    var sessionMaximumAge: TimeInterval
    var serverKey: SymmetricKey
    /// `JIGAI_SECURITY_PROFILE`: `level3` (三权分立, staff two-factor, password expiry and history; the default of a
    /// production server) or `standard`.
    var profile: SecurityProfile

    /// Cookie names over plain HTTP; over HTTPS they carry the `__Host-` prefix (Secure, no Domain, Path=/).
    static let sessionCookieName = "jigai_session"
    static let csrfCookieName = "jigai_csrf"
    static let csrfField = "_csrf"
    static let csrfHeader = "X-CSRF-Token"

    static func fromEnvironment(dataDirectory: String, production: Bool) throws -> SecurityConfiguration {
        let keyFile = Environment.get("JIGAI_SECRET_KEY_FILE").flatMap { $0.isEmpty ? nil : $0 } ?? dataDirectory + "/" + ServerKey.defaultFileName
        return SecurityConfiguration(
            secureCookies: Environment.get("JIGAI_SECURE_COOKIES").flatMap { ["1": true, "0": false][$0] },
            sessionIdleTimeout: (Environment.get("JIGAI_SESSION_IDLE_MINUTES").flatMap(Double.init) ?? 30) * 60,
            sessionMaximumAge: (Environment.get("JIGAI_SESSION_MAX_HOURS").flatMap(Double.init) ?? 12) * 3600,
            serverKey: try ServerKey.load(path: keyFile),
            profile: try profile(Environment.get("JIGAI_SECURITY_PROFILE"), production: production))
    }

    static func profile(_ name: String?, production: Bool) throws -> SecurityProfile {
        switch name.flatMap({ $0.isEmpty ? nil : $0 }) {
        case nil: production ? .level3 : .standard
        case "level3": .level3
        case "standard": .standard
        case let other?: throw Abort(.internalServerError, reason: "JIGAI_SECURITY_PROFILE 只能是 level3 或 standard，现为“\(other)”")
        }
    }

    /// Whether this request's cookies are Secure (and `__Host-` named): always, unless the server is browsed at a
    /// loopback address (`make run`), where there is no HTTPS. Behind a proxy the Host header is the site's name.
    func secure(_ request: Request) -> Bool {
        if let secureCookies { return secureCookies }
        let host = request.headers.first(name: .host).map { $0.hasPrefix("[") ? String($0.prefix { $0 != "]" }.dropFirst()) : String($0.prefix { $0 != ":" }) } ?? ""
        return !(host.isEmpty || host == "localhost" || host == "::1" || host.hasPrefix("127."))
    }

    func sessionCookie(_ request: Request) -> String { (secure(request) ? "__Host-" : "") + Self.sessionCookieName }
    func csrfCookie(_ request: Request) -> String { (secure(request) ? "__Host-" : "") + Self.csrfCookieName }

    func cookie(_ value: String, for request: Request, sameSite: HTTPCookies.SameSitePolicy, maxAge: Int? = nil) -> HTTPCookies.Value {
        HTTPCookies.Value(string: value, expires: nil, maxAge: maxAge, domain: nil, path: "/", isSecure: secure(request), isHTTPOnly: true, sameSite: sameSite)
    }

    /// The CSRF token of a signed-in session, or of an anonymous visitor's random cookie: an HMAC under the server
    /// key, so that a token cannot be invented and one session's token is worthless in another.
    func csrfToken(boundTo binding: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(binding.utf8), using: serverKey)
        return SecureToken.urlSafe(Data(mac))
    }
}

/// The 256-bit key that signs CSRF tokens, kept in a file readable by the server's user alone.
enum ServerKey {
    static let defaultFileName = "secret.key"

    static func load(path: String) throws -> SymmetricKey {
        let manager = FileManager.default
        if let text = try? String(contentsOfFile: path, encoding: .utf8), let data = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), data.count >= 32 {
            return SymmetricKey(data: data)
        }
        guard !manager.fileExists(atPath: path) else {
            throw Abort(.internalServerError, reason: "服务器密钥文件 \(path) 无法读取或内容不是 base64 编码的至少 32 字节密钥")
        }
        try manager.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let key = Data([UInt8].random(count: 32))
        guard manager.createFile(atPath: path, contents: Data((key.base64EncodedString() + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
            throw Abort(.internalServerError, reason: "无法创建服务器密钥文件 \(path)")
        }
        return SymmetricKey(data: key)
    }
}

enum SecureToken {
    /// 256 random bits, URL-safe.
    static func make() -> String {
        urlSafe(Data([UInt8].random(count: 32)))
    }

    static func urlSafe(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
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

extension Vapor.Application {
    /// `serve --demo`: the demo's published accounts are no provincial deployment, so unless `JIGAI_SECURITY_PROFILE`
    /// says otherwise they sign in under the standard profile (no enforced second factor, no expiry).
    public func useDemoSecurityProfile() {
        if Environment.get("JIGAI_SECURITY_PROFILE")?.isEmpty ?? true { settings.security.profile = .standard }
    }
}
