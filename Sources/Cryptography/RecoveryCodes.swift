import Foundation

/// One-time codes for a user who lost the authenticator: shown once, stored only as digests, each accepted once.
public enum RecoveryCodes {
    /// Digits and capitals without 0/O and 1/I/L, which are misread when copied from paper.
    public static let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    /// Eight characters of 31: about 39.6 bits, ample for a code that works once and behind a login's rate limit.
    public static let length = 8

    /// `count` distinct codes formatted for reading, like `7KQ4-MX2P`.
    public static func generate(count: Int = 10, using provider: any CryptoProvider) -> [String] {
        var codes: [String] = []
        var seen: Set<String> = []
        while codes.count < count {
            let code = randomCode(using: provider)
            if seen.insert(code).inserted {
                codes.append(String(code.prefix(length / 2)) + "-" + String(code.suffix(length / 2)))
            }
        }
        return codes
    }

    /// The code as stored and compared: upper case, without spaces or dashes, full-width forms (typed with a Chinese
    /// input method) made half-width; nil when it cannot be a recovery code.
    public static func normalize(_ input: String) -> String? {
        let dashes: Set<Character> = ["-", "‐", "‑", "–", "—", "－"]
        let code = input.folding(options: .widthInsensitive, locale: nil).uppercased()
            .filter { !$0.isWhitespace && !dashes.contains($0) }
        guard code.count == length, code.allSatisfy(alphabet.contains) else { return nil }
        return code
    }

    /// The digest to store for a code, or to look a typed code up by; nil when `input` cannot be a recovery code.
    public static func digest(_ input: String, algorithm: DigestAlgorithm, using provider: any CryptoProvider) -> Data? {
        normalize(input).map { provider.digest(Data($0.utf8), algorithm: algorithm) }
    }

    /// Draws by rejection, keeping only bytes below the largest multiple of 31, so every character is equally likely.
    private static func randomCode(using provider: any CryptoProvider) -> String {
        let limit = UInt8(256 / alphabet.count * alphabet.count)
        var code = ""
        while code.count < length {
            for byte in provider.randomBytes(length) where byte < limit && code.count < length {
                code.append(alphabet[Int(byte) % alphabet.count])
            }
        }
        return code
    }
}
