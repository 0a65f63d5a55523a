using System;
using System.Collections.Generic;
using System.Text;

namespace DigestTools.Engine.PinFiles
{
    /// <summary>Maps character offsets of a decoded file to 1-based lines and columns and to UTF-8 byte offsets.</summary>
    internal sealed class TextLines
    {
        private readonly string _text;
        private readonly int _bomLength;
        private readonly List<int> _lineStarts = new List<int> { 0 };

        internal TextLines(string text, int bomLength)
        {
            _text = text;
            _bomLength = bomLength;
            for (int i = 0; i < text.Length; i++)
                if (text[i] == '\n') _lineStarts.Add(i + 1);
        }

        /// <summary>Fills in line, column and the byte span of a site whose Offset and Length are set.</summary>
        internal void Locate(ImageSite site)
        {
            int index = _lineStarts.BinarySearch(site.Offset);
            int line = index >= 0 ? index : ~index - 1;
            site.Line = line + 1;
            site.Column = site.Offset - _lineStarts[line] + 1;
            site.ByteOffset = _bomLength + Encoding.UTF8.GetByteCount(_text.Substring(0, site.Offset));
            site.ByteLength = Encoding.UTF8.GetByteCount(_text.Substring(site.Offset, site.Length));
        }
    }
}
