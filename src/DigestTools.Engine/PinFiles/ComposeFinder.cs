using System;
using System.Collections.Generic;
using YamlDotNet.RepresentationModel;

namespace DigestTools.Engine.PinFiles
{
    /// <summary>
    /// The image of each Compose service (services.&lt;name&gt;.image, merge keys followed), with its platform.
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
                if (!(YamlNodes.Child(service.Value, "image") is YamlScalarNode image)) continue;
                ImageSite site = YamlNodes.Site(text, image, ImageSiteKind.ComposeImage, $"service {YamlNodes.Text(service.Key)}");
                string platform = YamlNodes.Text(YamlNodes.Child(service.Value, "platform"));
                site.Platform = platform == null ? null : expander.Expand(platform, out _);
                if (site.SkipReason == null)
                {
                    site.Reference = expander.Expand(site.Text, out string unresolved);
                    if (site.Reference == null) site.SkipReason = $"the variable {unresolved} has no value in the file or its .env";
                }
                yield return site;
            }
        }
    }
}
