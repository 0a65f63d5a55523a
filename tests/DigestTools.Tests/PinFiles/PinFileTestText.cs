using System.Linq;
using System.Text;
using DigestTools.Engine.PinFiles;

namespace DigestTools.Tests.PinFiles
{
    /// <summary>Runs finder + rewriter over a text the way Update-ImagePin does, with one made-up digest.</summary>
    internal static class PinFileTestText
    {
        internal const string Digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

        internal static string PinAll(PinFileFormat format, string text)
        {
            var file = new PinFileText(text);
            var sites = PinFileFormats.Find(format, file);
            var changes = sites.Where(s => s.SkipReason == null)
                .Select(s => (s, PinFileRewriter.PinnedText(s.Text, Digest, HasTag(s.Reference), false)));
            return PinFileRewriter.Rewrite(text, changes);
        }

        private static bool HasTag(string reference)
        {
            string name = reference.Split('@')[0];
            return name.LastIndexOf(':') > name.LastIndexOf('/');
        }

        internal static byte[] Utf8(string text) => new UTF8Encoding(false).GetBytes(text);
    }
}
