using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using static DigestTools.Engine.Errors.FailureCategory;

namespace DigestTools.Engine.Errors
{
    /// <summary>
    /// Every ErrorId DigestTools emits, with its one category. Add an id here (and to about_DigestTools,
    /// under ERROR IDS; a test checks both ways) before throwing it.
    /// </summary>
    public static class ErrorCatalog
    {
        // Input
        public static readonly ErrorKind InvalidReference = Kind(nameof(InvalidReference), InvalidArgument);
        public static readonly ErrorKind InvalidPlatform = Kind(nameof(InvalidPlatform), InvalidArgument);

        // Registry: what the registry said
        public static readonly ErrorKind ManifestUnknown = Kind(nameof(ManifestUnknown), ObjectNotFound);
        public static readonly ErrorKind NameUnknown = Kind(nameof(NameUnknown), ObjectNotFound);
        public static readonly ErrorKind BlobUnknown = Kind(nameof(BlobUnknown), ObjectNotFound);
        public static readonly ErrorKind ManifestBlobUnknown = Kind(nameof(ManifestBlobUnknown), ObjectNotFound);
        public static readonly ErrorKind NameInvalid = Kind(nameof(NameInvalid), InvalidArgument);
        public static readonly ErrorKind TagInvalid = Kind(nameof(TagInvalid), InvalidArgument);
        public static readonly ErrorKind DigestInvalid = Kind(nameof(DigestInvalid), InvalidArgument);
        public static readonly ErrorKind ManifestInvalid = Kind(nameof(ManifestInvalid), InvalidData);
        public static readonly ErrorKind ManifestTooLarge = Kind(nameof(ManifestTooLarge), InvalidData);
        public static readonly ErrorKind Unsupported = Kind(nameof(Unsupported), NotImplemented);
        public static readonly ErrorKind PlatformNotFound = Kind(nameof(PlatformNotFound), ObjectNotFound);
        public static readonly ErrorKind DigestMismatch = Kind(nameof(DigestMismatch), InvalidData);
        public static readonly ErrorKind SchemaV1Unsupported = Kind(nameof(SchemaV1Unsupported), NotImplemented);
        public static readonly ErrorKind RegistryV1Unsupported = Kind(nameof(RegistryV1Unsupported), NotImplemented);
        public static readonly ErrorKind TooManyRequests = Kind(nameof(TooManyRequests), LimitsExceeded);
        public static readonly ErrorKind RegistryServerError = Kind(nameof(RegistryServerError), ResourceUnavailable);
        public static readonly ErrorKind RegistryProtocolError = Kind(nameof(RegistryProtocolError), ProtocolError);
        public static readonly ErrorKind RegistryUnreachable = Kind(nameof(RegistryUnreachable), ConnectionError);
        public static readonly ErrorKind RegistryTimeout = Kind(nameof(RegistryTimeout), OperationTimeout);
        public static readonly ErrorKind RegistryTooManyRedirects = Kind(nameof(RegistryTooManyRedirects), ProtocolError);
        public static readonly ErrorKind RegistryInsecureRedirect = Kind(nameof(RegistryInsecureRedirect), SecurityError);
        public static readonly ErrorKind RegistryRequestFailed = Kind(nameof(RegistryRequestFailed), NotSpecified);
        public static readonly ErrorKind OperationCanceled = Kind(nameof(OperationCanceled), OperationStopped);

        // Credentials
        public static readonly ErrorKind RegistryAuthenticationFailed = Kind(nameof(RegistryAuthenticationFailed), AuthenticationError);
        public static readonly ErrorKind RegistryAccessDenied = Kind(nameof(RegistryAccessDenied), PermissionDenied);
        public static readonly ErrorKind RegistryTokenRealmRefused = Kind(nameof(RegistryTokenRealmRefused), SecurityError);
        public static readonly ErrorKind RegistryRedirectChallengeRefused = Kind(nameof(RegistryRedirectChallengeRefused), SecurityError);
        public static readonly ErrorKind Unauthorized = Kind(nameof(Unauthorized), AuthenticationError);
        public static readonly ErrorKind Denied = Kind(nameof(Denied), PermissionDenied);
        public static readonly ErrorKind RegistryCredentialHelperFailed = Kind(nameof(RegistryCredentialHelperFailed), ResourceUnavailable);
        public static readonly ErrorKind RegistryCredentialHelperTimeout = Kind(nameof(RegistryCredentialHelperTimeout), OperationTimeout);
        public static readonly ErrorKind RegistryCredentialHelperStopped = Kind(nameof(RegistryCredentialHelperStopped), OperationStopped);
        public static readonly ErrorKind RegistryCredentialConfigInvalid = Kind(nameof(RegistryCredentialConfigInvalid), InvalidData);

        // Engine connection
        public static readonly ErrorKind EngineUnreachable = Kind(nameof(EngineUnreachable), ConnectionError);
        public static readonly ErrorKind InvalidEngineUri = Kind(nameof(InvalidEngineUri), InvalidArgument);
        public static readonly ErrorKind EngineContextNotFound = Kind(nameof(EngineContextNotFound), ObjectNotFound);
        public static readonly ErrorKind EngineTlsConfigurationInvalid = Kind(nameof(EngineTlsConfigurationInvalid), InvalidArgument);
        public static readonly ErrorKind NotAContainerEngine = Kind(nameof(NotAContainerEngine), ProtocolError);
        public static readonly ErrorKind EngineTimeout = Kind(nameof(EngineTimeout), OperationTimeout);
        public static readonly ErrorKind EngineApiVersionUnknown = Kind(nameof(EngineApiVersionUnknown), ProtocolError);
        public static readonly ErrorKind EngineApiTooOld = Kind(nameof(EngineApiTooOld), NotImplemented);
        public static readonly ErrorKind EngineApiTooNew = Kind(nameof(EngineApiTooNew), NotImplemented);

        // Pulls
        public static readonly ErrorKind PullFailed = Kind(nameof(PullFailed), ResourceUnavailable);
        public static readonly ErrorKind PullNotVerified = Kind(nameof(PullNotVerified), InvalidResult);
        public static readonly ErrorKind AmbiguousDigest = Kind(nameof(AmbiguousDigest), InvalidResult);
        public static readonly ErrorKind NoRegistryDigest = Kind(nameof(NoRegistryDigest), InvalidData);
        public static readonly ErrorKind ImageNotPresent = Kind(nameof(ImageNotPresent), ObjectNotFound);
        public static readonly ErrorKind ImageNotFound = Kind(nameof(ImageNotFound), ObjectNotFound);
        public static readonly ErrorKind ImageInspectFailed = Kind(nameof(ImageInspectFailed), InvalidOperation);
        public static readonly ErrorKind ImageListFailed = Kind(nameof(ImageListFailed), InvalidOperation);
        public static readonly ErrorKind NetworkListFailed = Kind(nameof(NetworkListFailed), InvalidOperation);

        // Containers
        public static readonly ErrorKind ContainerNameInUse = Kind(nameof(ContainerNameInUse), ResourceExists);
        public static readonly ErrorKind ContainerCreationFailed = Kind(nameof(ContainerCreationFailed), InvalidOperation);
        public static readonly ErrorKind ContainerStartFailed = Kind(nameof(ContainerStartFailed), InvalidOperation);
        public static readonly ErrorKind ContainerWaitFailed = Kind(nameof(ContainerWaitFailed), InvalidOperation);
        public static readonly ErrorKind ContainerLogsFailed = Kind(nameof(ContainerLogsFailed), InvalidOperation);
        public static readonly ErrorKind ContainerInspectFailed = Kind(nameof(ContainerInspectFailed), InvalidOperation);
        public static readonly ErrorKind ContainerRemoveFailed = Kind(nameof(ContainerRemoveFailed), InvalidOperation);
        public static readonly ErrorKind ContainerNotFound = Kind(nameof(ContainerNotFound), ObjectNotFound);
        public static readonly ErrorKind ContainerListFailed = Kind(nameof(ContainerListFailed), InvalidOperation);
        public static readonly ErrorKind InvalidContainer = Kind(nameof(InvalidContainer), InvalidArgument);
        public static readonly ErrorKind PinNotRecorded = Kind(nameof(PinNotRecorded), InvalidResult);
        public static readonly ErrorKind InvalidMountSpec = Kind(nameof(InvalidMountSpec), InvalidArgument);
        public static readonly ErrorKind InvalidPublishSpec = Kind(nameof(InvalidPublishSpec), InvalidArgument);
        public static readonly ErrorKind InvalidRestartPolicy = Kind(nameof(InvalidRestartPolicy), InvalidArgument);

        // Swarm services
        public static readonly ErrorKind NotSwarmManager = Kind(nameof(NotSwarmManager), InvalidOperation);
        public static readonly ErrorKind ServiceNameInUse = Kind(nameof(ServiceNameInUse), ResourceExists);
        public static readonly ErrorKind ServiceNotFound = Kind(nameof(ServiceNotFound), ObjectNotFound);
        public static readonly ErrorKind ServiceCreationFailed = Kind(nameof(ServiceCreationFailed), InvalidOperation);
        public static readonly ErrorKind ServiceInspectFailed = Kind(nameof(ServiceInspectFailed), InvalidOperation);
        public static readonly ErrorKind ServiceUpdateFailed = Kind(nameof(ServiceUpdateFailed), InvalidOperation);
        public static readonly ErrorKind SwarmRequestFailed = Kind(nameof(SwarmRequestFailed), InvalidOperation);
        public static readonly ErrorKind ServiceTasksFailed = Kind(nameof(ServiceTasksFailed), InvalidResult);
        public static readonly ErrorKind ServiceRolledBack = Kind(nameof(ServiceRolledBack), InvalidResult);
        public static readonly ErrorKind ServiceUpdatePaused = Kind(nameof(ServiceUpdatePaused), InvalidResult);
        public static readonly ErrorKind ServiceWaitTimedOut = Kind(nameof(ServiceWaitTimedOut), OperationTimeout);

        // Pins in files
        public static readonly ErrorKind PinPathNotFound = Kind(nameof(PinPathNotFound), ObjectNotFound);
        public static readonly ErrorKind PinFileUnreadable = Kind(nameof(PinFileUnreadable), ReadError);
        public static readonly ErrorKind PinFileInvalid = Kind(nameof(PinFileInvalid), ParserError);
        public static readonly ErrorKind PinFileChanged = Kind(nameof(PinFileChanged), ResourceBusy);
        public static readonly ErrorKind PinFileWriteFailed = Kind(nameof(PinFileWriteFailed), WriteError);
        public static readonly ErrorKind ImagePinCheckFailed = Kind(nameof(ImagePinCheckFailed), InvalidResult);

        /// <summary>Every entry, for the documentation test and for lookups by id.</summary>
        public static IReadOnlyList<ErrorKind> All { get; } = typeof(ErrorCatalog)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(ErrorKind))
            .Select(f => (ErrorKind)f.GetValue(null))
            .ToArray();

        private static ErrorKind Kind(string id, FailureCategory category) => new ErrorKind(id, category);
    }
}
