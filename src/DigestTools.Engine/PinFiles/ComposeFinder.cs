using System;
using System.Collections.Generic;
using YamlDotNet.RepresentationModel;

namespace DigestTools.Engine.PinFiles
{
    /// <summary>
    /// The image of each Compose service (services.&lt;name&gt;.image, merge keys followed), with its platform;
    /// not that of a service that builds its image (build:), which names the build's result.
    /// Variables take their values from the project's .env file, else their ${VAR:-default}; a variable with
    /// neither is reported.
    /// </summary>
    internal static class ComposeFinder
    {
        internal static bool Accepts(YamlMappingNode root)
            => YamlNodes.Child(root, "kind") == null && YamlNodes.Child(root, "services") is YamlMappingNode;

        internal static IEnumerable<ImageSite> Find(string text, YamlMappingNode root, Func<IReadOnlyDictionary<string, string>> envFile)
        {
            var expander = VariableExpander.ForCompose(envFile());
            var services = (YamlMappingNode)YamlNodes.Child(root, "services");
            foreach (var service in services.Children)
            {
                if (Builds(service.Value)) continue;
                ImageSite site = YamlNodes.Site(text, YamlNodes.Child(service.Value, "image"), ImageSiteKind.ComposeImage, $"service {YamlNodes.Text(service.Key)}");
                if (site == null) continue;
                string platform = YamlNodes.Text(YamlNodes.Child(service.Value, "platform"));
                site.Platform = platform == null ? null : expander.Expand(platform, out _);
                if (site.SkipReason == null)
                {
                    site.Reference = expander.Expand(site.Text, out string unresolved);
                    if (site.Reference == null) site.SkipReason = VariableExpander.Reason(unresolved, "has no value in the file or its .env");
                }
                yield return site;
            }
        }

        // compose-spec: a service with build tags what it builds with image, and a tag cannot hold a digest
        // (`docker compose build` refuses one), so that image is the build's name, not a reference to pin.
        // An empty build, or one reset (build: !reset null), builds nothing.
        private static bool Builds(YamlNode service)
        {
            YamlNode build = YamlNodes.Child(service, "build");
            if (build == null) return false;
            if (!(build is YamlScalarNode scalar)) return true;
            string value = scalar.Value ?? string.Empty;
            return scalar.Style != YamlDotNet.Core.ScalarStyle.Plain || (value.Length > 0 && value != "null" && value != "~");
        }
    }
}
