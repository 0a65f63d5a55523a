using System;
using System.Collections.Generic;
using System.IO;

namespace DigestTools.Engine.PinFiles
{
    /// <summary>The two file formats that hold image references, told apart by file name.</summary>
    public enum PinFileFormat
    {
        None,
        Dockerfile,
        Yaml,
    }

    /// <summary>Which format a file is, and the references it holds.</summary>
    public static class PinFileFormats
    {
        /// <summary>
        /// Dockerfile, Containerfile, *.Dockerfile, *.Containerfile and Dockerfile.* are Dockerfiles; *.yaml and
        /// *.yml are YAML (Compose and Kubernetes documents are told apart inside).
        /// </summary>
        public static PinFileFormat Of(string path)
        {
            string name = Path.GetFileName(path);
            string extension = Path.GetExtension(name);
            if (extension.Equals(".yaml", StringComparison.OrdinalIgnoreCase) || extension.Equals(".yml", StringComparison.OrdinalIgnoreCase))
                return PinFileFormat.Yaml;
            foreach (string stem in new[] { "Dockerfile", "Containerfile" })
            {
                if (name.Equals(stem, StringComparison.OrdinalIgnoreCase)
                    || name.EndsWith("." + stem, StringComparison.OrdinalIgnoreCase)
                    || name.StartsWith(stem + ".", StringComparison.OrdinalIgnoreCase))
                    return PinFileFormat.Dockerfile;
            }
            return PinFileFormat.None;
        }

        /// <summary>
        /// The references of a file's text; YamlDotNet.Core.YamlException when YAML does not parse.
        /// <paramref name="composeEnvFile"/>: gives the values of a Compose project's .env file, called only when a
        /// Compose document is found (none when null).
        /// </summary>
        public static List<ImageSite> Find(PinFileFormat format, PinFileText file, Func<IReadOnlyDictionary<string, string>> composeEnvFile = null)
        {
            switch (format)
            {
                case PinFileFormat.Dockerfile: return DockerfileFinder.Find(file);
                case PinFileFormat.Yaml: return YamlImageFinder.Find(file, composeEnvFile ?? (() => new Dictionary<string, string>()));
                default: return new List<ImageSite>();
            }
        }
    }
}
