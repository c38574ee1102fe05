import Foundation
import PolicyKit
import Spawn

/// The password rules of `PasswordPolicy` and a real dictionary: Debian's cracklib (`cracklib-check`, the checker
/// PAM uses), asked in a child process about the password and about its core, so that `Welcome2023` fails like
/// `welcome`. The password goes to the child on its standard input, never on its command line.
enum WeakPasswords {
    static let checker = "/usr/sbin/cracklib-check"

    static func problems(_ password: String, creditCode: String? = nil, mobile: String? = nil) async -> [String] {
        var problems = PasswordPolicy.problems(password, creditCode: creditCode, mobile: mobile)
        guard problems.isEmpty else { return problems }
        if password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return ["密码不能包含换行、制表符等控制字符"]
        }
        if let verdict = await dictionaryVerdict(PasswordPolicy.dictionaryCandidates(password)) { problems.append(verdict) }
        return problems
    }

    /// cracklib's answer for the first candidate it refuses, in Chinese; nil when it accepts them all.
    private static func dictionaryVerdict(_ candidates: [String]) async -> String? {
        let input = Data(candidates.map { $0 + "\n" }.joined().utf8)
        guard let outcome = try? await ChildProcess.run(checker, [], input: input, keepOutputBytes: 64 * 1024, timeout: 10), outcome.exitCode == 0 else {
            // Without the checker the rules above still hold; setup.sh installs it, so this is a broken install.
            FileHandle.standardError.write(Data("警告：无法运行 \(checker)，密码未经字典检查\n".utf8))
            return nil
        }
        // Each line is "candidate: verdict"; the candidate may contain ": ", the verdict never does.
        for (index, line) in outcome.text.split(separator: "\n").enumerated() where index < candidates.count {
            let verdict = line.components(separatedBy: ": ").last ?? ""
            guard verdict != "OK" else { continue }
            if index > 0 { return "密码以常见单词“\(candidates[index])”加数字或符号组成，容易被猜中" }
            return translation(verdict)
        }
        return nil
    }

    private static func translation(_ verdict: String) -> String {
        switch verdict {
        case let text where text.contains("dictionary word"): "密码基于常见单词，容易被猜中"
        case let text where text.contains("simplistic") || text.contains("systematic"): "密码过于简单或有规律，容易被猜中"
        case let text where text.contains("DIFFERENT characters"): "密码中不同的字符太少"
        case let text where text.contains("too short"): "密码太短"
        case let text where text.contains("all whitespace"): "密码不能全是空格"
        default: "密码容易被猜中（\(verdict)）"
        }
    }
}
