using System;
using System.Collections.Generic;
using YamlDotNet.RepresentationModel;

namespace DigestTools.Engine.PinFiles
{
    /// <summary>
    /// The container images of Kubernetes objects: containers, initContainers and ephemeralContainers of Pods
    /// and of the pod templates of Deployments, StatefulSets, DaemonSets, ReplicaSets, ReplicationControllers,
    /// Jobs, CronJobs and PodTemplates; a List (kind List or *List) is searched item by item.
    /// </summary>
    internal static class KubernetesFinder
    {
        private static readonly string[] ContainerLists = { "containers", "initContainers", "ephemeralContainers" };

        internal static bool Accepts(YamlMappingNode root) => YamlNodes.Child(root, "kind") is YamlScalarNode;

        internal static IEnumerable<ImageSite> Find(string text, YamlNode obj)
        {
            string kind = YamlNodes.Text(YamlNodes.Child(obj, "kind")) ?? string.Empty;
            if (kind.EndsWith("List", StringComparison.Ordinal))
            {
                if (!(YamlNodes.Child(obj, "items") is YamlSequenceNode items)) yield break;
                foreach (YamlNode item in items.Children)
                    foreach (ImageSite site in Find(text, item)) yield return site;
                yield break;
            }

            YamlNode podSpec = PodSpec(obj, kind);
            if (podSpec == null) yield break;
            string owner = $"{kind}/{YamlNodes.Text(YamlNodes.Path(obj, "metadata", "name"))}";
            foreach (string list in ContainerLists)
            {
                if (!(YamlNodes.Child(podSpec, list) is YamlSequenceNode containers)) continue;
                foreach (YamlNode container in containers.Children)
                {
                    string name = YamlNodes.Text(YamlNodes.Child(container, "name"));
                    ImageSite site = YamlNodes.Site(text, YamlNodes.Child(container, "image"), ImageSiteKind.KubernetesContainer, $"{owner} {list}[{name}]");
                    if (site == null) continue;
                    if (site.SkipReason == null) site.Reference = site.Text;
                    yield return site;
                }
            }
        }

        private static YamlNode PodSpec(YamlNode obj, string kind)
        {
            switch (kind)
            {
                case "Pod": return YamlNodes.Child(obj, "spec");
                case "PodTemplate": return YamlNodes.Path(obj, "template", "spec");
                case "Deployment":
                case "StatefulSet":
                case "DaemonSet":
                case "ReplicaSet":
                case "ReplicationController":
                case "Job":
                    return YamlNodes.Path(obj, "spec", "template", "spec");
                case "CronJob": return YamlNodes.Path(obj, "spec", "jobTemplate", "spec", "template", "spec");
                default: return null;
            }
        }
    }
}
