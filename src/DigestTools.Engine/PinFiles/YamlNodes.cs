using System;
using System.Collections.Generic;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DigestTools.Engine.PinFiles
{
    /// <summary>
    /// Reading YAML documents for image references: keys looked up through merge keys (&lt;&lt;: *anchor), and
    /// the exact characters of a scalar's value found from the parser's position of the scalar's end.
    /// </summary>
    internal static class YamlNodes
    {
        internal static YamlNode Child(YamlNode node, string key)
        {
            if (!(node is YamlMappingNode mapping)) return null;
            foreach (var entry in mapping.Children)
                if (entry.Key is YamlScalarNode name && name.Value == key) return entry.Value;
            // A key written in the mapping wins over one merged in; merged mappings are searched in order.
            foreach (var entry in mapping.Children)
            {
                if (!(entry.Key is YamlScalarNode merge) || merge.Value != "<<" || merge.Style != ScalarStyle.Plain) continue;
                var sources = entry.Value is YamlSequenceNode list ? (IEnumerable<YamlNode>)list.Children : new[] { entry.Value };
                foreach (YamlNode source in sources)
                {
                    YamlNode found = Child(source, key);
                    if (found != null) return found;
                }
            }
            return null;
        }

        internal static string Text(YamlNode node) => node is YamlScalarNode scalar ? scalar.Value : null;

        internal static YamlNode Path(YamlNode node, params string[] keys)
        {
            foreach (string key in keys) node = Child(node, key);
            return node;
        }

        internal const string TemplateReason = "the reference is a template expression ({{ }}), filled in only when the template is rendered";

        /// <summary>Whether text holds a Go template expression ("{{ ... }}"), as Helm charts' templates do.</summary>
        internal static bool HasTemplateExpression(string text) => text.IndexOf("{{", StringComparison.Ordinal) >= 0;

        /// <summary>
        /// The site of an image node: a scalar (see <see cref="ScalarSite"/>), or a template expression that YAML
        /// reads as a flow mapping ("image: {{ .Values.image }}"), reported with its reason. Null for anything else.
        /// </summary>
        internal static ImageSite Site(string text, YamlNode node, ImageSiteKind kind, string context)
        {
            if (node is YamlScalarNode scalar) return ScalarSite(text, scalar, kind, context);
            int start = node == null ? -1 : (int)node.Start.Index;
            if (!(node is YamlMappingNode) || string.CompareOrdinal(text, start, "{{", 0, 2) != 0) return null;
            int end = start, depth = 0;
            do
            {
                if (text[end] == '{') depth++;
                else if (text[end] == '}') depth--;
                end++;
            }
            while (end < text.Length && depth > 0);
            string written = text.Substring(start, end - start);
            return new ImageSite { Kind = kind, Text = written, Context = context, Offset = start, Length = 0, SkipReason = TemplateReason };
        }

        /// <summary>
        /// A site for an image scalar, its span covering the value only (inside quotes). A value the file writes
        /// differently from what it means (escapes, folding, block style) or a template expression gets a
        /// SkipReason instead of a span.
        /// </summary>
        private static ImageSite ScalarSite(string text, YamlScalarNode scalar, ImageSiteKind kind, string context)
        {
            string value = scalar.Value ?? string.Empty;
            int end = (int)scalar.End.Index;
            bool quoted = scalar.Style == ScalarStyle.SingleQuoted || scalar.Style == ScalarStyle.DoubleQuoted;
            if (quoted) end--;
            int start = end - value.Length;
            var site = new ImageSite { Kind = kind, Text = value, Context = context, Offset = start, Length = value.Length };
            bool plainOrQuoted = quoted || scalar.Style == ScalarStyle.Plain;
            if (!plainOrQuoted || start < 0 || string.CompareOrdinal(text, start, value, 0, value.Length) != 0)
            {
                site.Offset = (int)scalar.Start.Index;
                site.Length = 0;
                site.SkipReason = "the YAML scalar is written in a style (block, folded or escaped) that cannot be rewritten in place";
            }
            if (HasTemplateExpression(value)) site.SkipReason = TemplateReason;
            return site;
        }
    }
}
