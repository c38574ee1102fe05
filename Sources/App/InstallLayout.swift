import Foundation

/// Where the files jigai reads beside its database live — templates (`Resources/`), public files (`Public/`) and round
/// files (`Policies/`) — so that every command works from any working folder.
public enum InstallLayout {
    /// `$JIGAI_HOME`; else the working folder when it is a checkout; else `PREFIX/share/jigai` of an installed
    /// executable (`PREFIX/bin/jigai`, as `make install` lays it out); else the checkout the executable was built in
    /// (`.build/debug/jigai`); else the working folder.
    public static func home(environment: [String: String] = ProcessInfo.processInfo.environment,
                            workingDirectory: String = FileManager.default.currentDirectoryPath,
                            executable: URL = executableURL) -> URL {
        if let home = environment["JIGAI_HOME"], !home.isEmpty { return URL(fileURLWithPath: home, isDirectory: true) }
        let working = URL(fileURLWithPath: workingDirectory, isDirectory: true)
        if holdsResources(working) { return working }
        let folder = executable.deletingLastPathComponent()
        let installed = folder.deletingLastPathComponent().appendingPathComponent("share/jigai", isDirectory: true)
        if holdsResources(installed) { return installed }
        var candidate = folder
        while candidate.pathComponents.count > 1 {
            if holdsResources(candidate) { return candidate }
            candidate = candidate.deletingLastPathComponent()
        }
        return working
    }

    /// `$JIGAI_POLICIES`, or `Policies/` in the home folder.
    public static func policiesDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let policies = environment["JIGAI_POLICIES"], !policies.isEmpty { return policies }
        return home(environment: environment).appendingPathComponent("Policies", isDirectory: true).path
    }

    /// The running program, symbolic links resolved (an installed link into the prefix still finds the prefix).
    public static var executableURL: URL {
        (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).resolvingSymlinksInPath()
    }

    static func holdsResources(_ folder: URL) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent("Resources/Views").path)
    }
}
