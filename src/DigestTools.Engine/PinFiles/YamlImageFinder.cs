using System;
using System.Collections.Generic;
using System.IO;
using YamlDotNet.RepresentationModel;

namespace DigestTools.Engine.PinFiles
{
    /// <summary>
    /// Every image reference of a YAML file, document by document: a document with a kind is a Kubernetes
    /// object, one with services (and no kind) a Compose file. Positions come from YamlDotNet's parser.
    /// </summary>
    internal static class YamlImageFinder
    {
        /// <summary>
        /// Throws YamlDotNet.Core.YamlException when the file is not YAML. <paramref name="composeEnvFile"/>: gives
        /// the values of the Compose project's .env file, for interpolation; called only for a Compose document.
        /// </summary>
        internal static List<ImageSite> Find(PinFileText file, Func<IReadOnlyDictionary<string, string>> composeEnvFile)
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(file.Text));
            var sites = new List<ImageSite>();
            var seen = new HashSet<int>();
            foreach (YamlDocument document in stream.Documents)
            {
                if (!(document.RootNode is YamlMappingNode root)) continue;
                IEnumerable<ImageSite> found = KubernetesFinder.Accepts(root) ? KubernetesFinder.Find(file.Text, root)
                    : ComposeFinder.Accepts(root) ? ComposeFinder.Find(file.Text, root, composeEnvFile)
                    : new ImageSite[0];
                // An anchored image shared through aliases is one place in the file: reported once.
                foreach (ImageSite site in found)
                    if (seen.Add(site.Offset)) sites.Add(site);
            }
            sites.Sort((a, b) => a.Offset.CompareTo(b.Offset));  // file order, whatever order the keys were searched in
            TextLines lines = file.Lines();
            foreach (ImageSite site in sites) lines.Locate(site);
            return sites;
        }
    }
}
