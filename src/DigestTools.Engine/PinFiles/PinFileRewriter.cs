using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace DigestTools.Engine.PinFiles
{
    /// <summary>Replaces the characters of given sites and leaves every other character of the text as it was.</summary>
    public static class PinFileRewriter
    {
        public static string Rewrite(string text, IEnumerable<(ImageSite Site, string NewText)> changes)
        {
            var ordered = changes.OrderBy(c => c.Site.Offset).ToList();
            var result = new StringBuilder(text.Length + 80 * ordered.Count);
            int copied = 0;
            foreach (var (site, newText) in ordered)
            {
                if (site.Offset < copied)
                    throw new ArgumentException($"Overlapping rewrites at offset {site.Offset}.", nameof(changes));
                result.Append(text, copied, site.Offset - copied).Append(newText);
                copied = site.Offset + site.Length;
            }
            return result.Append(text, copied, text.Length - copied).ToString();
        }

        /// <summary>
        /// The pinned form of a reference as written: an existing literal "@algorithm:hex" is replaced, otherwise
        /// the digest is appended (after ":latest" when a concrete reference names no tag, so the pin stays
        /// readable and refreshable). Null when the digest comes from a variable and cannot be replaced here.
        /// </summary>
        public static string PinnedText(string written, string digest, bool hasTag, bool hasDigest)
        {
            int at = written.LastIndexOf('@');
            if (at < 0 && hasDigest) return null;
            if (at >= 0)
            {
                string suffix = written.Substring(at + 1);
                return suffix.IndexOf('$') < 0 && suffix.IndexOf('}') < 0 ? written.Substring(0, at + 1) + digest : null;
            }
            bool literal = written.IndexOf('$') < 0;
            return (literal && !hasTag ? written + ":latest" : written) + "@" + digest;
        }
    }
}
