using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace DigestTools.Engine.PinFiles
{
    /// <summary>
    /// The files a set of paths stands for. A file named explicitly is always read (as YAML when it ends in
    /// .yaml/.yml, else as a Dockerfile); a folder contributes the files whose names say they hold references
    /// (<see cref="PinFileFormats.Of"/>), its subfolders too with recurse, except .git and node_modules.
    /// </summary>
    public static class PinFileSet
    {
        private static readonly string[] SkippedFolders = { ".git", "node_modules" };

        public static IEnumerable<(string Path, PinFileFormat Format)> Expand(string path, bool recurse)
        {
            if (File.Exists(path))
            {
                PinFileFormat format = PinFileFormats.Of(path);
                yield return (path, format == PinFileFormat.Yaml ? PinFileFormat.Yaml : PinFileFormat.Dockerfile);
                yield break;
            }
            foreach (string file in Directory.GetFiles(path).OrderBy(f => f, StringComparer.Ordinal))
            {
                PinFileFormat format = PinFileFormats.Of(file);
                if (format != PinFileFormat.None) yield return (file, format);
            }
            if (!recurse) yield break;
            foreach (string folder in Directory.GetDirectories(path).OrderBy(f => f, StringComparer.Ordinal))
            {
                if (SkippedFolders.Contains(System.IO.Path.GetFileName(folder), StringComparer.Ordinal)) continue;
                foreach (var file in Expand(folder, true)) yield return file;
            }
        }
    }
}
