using System.Management.Automation;

namespace DigestTools
{
    /// <summary>
    /// Reads what the engine cmdlets were given: a reference string or ImageReference (-Reference), or an
    /// object from Get-ImageDigest / Invoke-ImagePull / Get-ImageDigest -Local whose PinnedReference wins
    /// over its Reference (it carries the digest the caller resolved).
    /// </summary>
    internal static class ImageInput
    {
        /// <summary>The reference to act on, or an ErrorRecord (InvalidReference) explaining why there is none.</summary>
        internal static ImageReference Parse(string reference, string pinnedReference, out ErrorRecord error)
        {
            error = null;
            string text = string.IsNullOrWhiteSpace(pinnedReference) ? reference : pinnedReference;
            if (string.IsNullOrWhiteSpace(text))
            {
                error = ErrorRecords.New("InvalidReference", ErrorCategory.InvalidArgument, "No image reference was given.", text);
                return null;
            }
            if (ImageReference.TryParse(text.Trim(), out ImageReference parsed, out string why)) return parsed;
            error = ErrorRecords.New("InvalidReference", ErrorCategory.InvalidArgument, why, text);
            return null;
        }

        /// <summary>The repository part of an engine's "repo:tag" or "repo@digest" entry, normalized; null when unparseable.</summary>
        internal static ImageReference TryParseEngineName(string entry)
            => ImageReference.TryParse(entry, out ImageReference r) ? r : null;
    }
}
