using System;
using System.Collections.Generic;
using System.IO;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.PinFiles
{
    /// <summary>
    /// The .env files of one call: a folder's is read only when a Compose document of that folder is found (a
    /// Kubernetes manifest or a Dockerfile never touches it), and at most once, so every Compose file of the
    /// folder interpolates from the same values, or fails with the same error.
    /// </summary>
    internal sealed class ComposeEnvFolders
    {
        private readonly Dictionary<string, Lazy<IReadOnlyDictionary<string, string>>> _folders =
            new Dictionary<string, Lazy<IReadOnlyDictionary<string, string>>>(StringComparer.Ordinal);

        /// <summary>
        /// What a Compose document of <paramref name="composePath"/> calls for its .env values; throws
        /// PinFileUnreadable, naming that file, when the .env exists but cannot be read.
        /// </summary>
        internal Func<IReadOnlyDictionary<string, string>> For(string composePath) => () =>
        {
            string folder = ComposeEnvFile.FolderOf(composePath);
            if (!_folders.TryGetValue(folder, out Lazy<IReadOnlyDictionary<string, string>> values))
            {
                // A Lazy keeps the exception too: a folder whose .env failed is not read again.
                values = new Lazy<IReadOnlyDictionary<string, string>>(() => ComposeEnvFile.InFolder(folder));
                _folders.Add(folder, values);
            }
            try
            {
                return values.Value;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new FailureException(ErrorCatalog.PinFileUnreadable,
                    $"Cannot read the {ComposeEnvFile.FileName} file beside {composePath}: {e.Message}", e);
            }
        };
    }
}
