using System.Collections.Generic;
using System.Linq;
using DigestTools.Engine.Errors;

namespace DigestTools.Engine.PinFiles
{
    /// <summary>One file: its references with their outcomes, or the failure that kept it from being read.</summary>
    public sealed class PinFileResult
    {
        internal PinFileResult(string path, byte[] original, PinFileText text, List<ImagePinFinding> findings)
        {
            Path = path;
            Original = original;
            Text = text;
            Findings = findings;
        }

        internal PinFileResult(string path, FailureException error)
        {
            Path = path;
            Error = error;
            Findings = new List<ImagePinFinding>();
        }

        public string Path { get; }
        public FailureException Error { get; }
        public IReadOnlyList<ImagePinFinding> Findings { get; }

        /// <summary>The findings whose reference text would change.</summary>
        public IEnumerable<ImagePinFinding> Changes => Findings.Where(f => f.NewText != null);

        internal byte[] Original { get; }
        internal PinFileText Text { get; }
    }
}
