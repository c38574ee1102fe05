import Fluent

/// Every migration, in the order they run; a new one goes at the end (and its file gets the next number).
enum Migrations {
    static let all: [any Migration] = [
        CreateRound(),
        CreateEnterprise(),
        CreateUser(),
        CreateUserSession(),
        CreateLoginThrottle(),
        CreateApplication(),
        CreateApplicationEvent(),
        CreateAttachment(),
        CreateAuditEvent(),
        UpdateApplicationRouting(),
        CreateSiteInspection(),
        CreateForwarding(),
        UpdateApplicationForwarding(),
        CreateApplicationVersion(),
        CreateReturnNote(),
        CreateInspectionPhoto(),
        CreateBlacklistEntry(),
        UpdateApplicationStatistics(),
        CreateReportJob(),
        UpdateApplicationAddRevision(),
        CreateApplicationRevision(),
        CreateProcessedRequest(),
        CreateChainRewardEntry(),
        CreateLibraryVersion(),
        UpdateAttachmentAddReused(),
        UpdateRoundAddSnapshot(),
        UpdateAuditEventAddDigestAlgorithm(),
        CreateAuditAnchor(),
        UpdateUserAddSecondFactor(),
        UpdateUserSessionAddPendingStep(),
    ]
}
