using System.Collections.Generic;

namespace DigestTools.Engine.PinFiles
{
    /// <summary>
    /// One logical Dockerfile instruction: its continuation lines joined (escape character and line break
    /// removed, comment lines inside dropped) with, for each character, its offset in the file, so a word
    /// found in the joined text can be traced back to the exact characters of the file.
    /// </summary>
    internal sealed class DockerfileInstruction
    {
        internal string Text { get; }
        private readonly IReadOnlyList<int> _offsets;

        internal DockerfileInstruction(string text, IReadOnlyList<int> offsets)
        {
            Text = text;
            _offsets = offsets;
        }

        /// <summary>The instruction's words (split on blanks) as (start, length) in Text.</summary>
        internal List<(int Start, int Length)> Words()
        {
            var words = new List<(int, int)>();
            int i = 0;
            while (i < Text.Length)
            {
                while (i < Text.Length && char.IsWhiteSpace(Text[i])) i++;
                int start = i;
                while (i < Text.Length && !char.IsWhiteSpace(Text[i])) i++;
                if (i > start) words.Add((start, i - start));
            }
            return words;
        }

        internal string Word((int Start, int Length) word) => Text.Substring(word.Start, word.Length);

        /// <summary>The file offset of a span of Text, or -1 when the span is broken across lines.</summary>
        internal int FileOffset(int start, int length)
        {
            int first = _offsets[start];
            return _offsets[start + length - 1] - first == length - 1 ? first : -1;
        }
    }
}
