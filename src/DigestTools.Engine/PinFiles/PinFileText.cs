using System;
using System.IO;
using System.Text;

namespace DigestTools.Engine.PinFiles
{
    /// <summary>
    /// A file's text, decoded strictly as UTF-8 so that encoding it again gives back the very same bytes
    /// (a byte-order mark is kept aside and written back). Anything that is not UTF-8 is refused rather than
    /// risked: a rewrite must change the reference characters and nothing else.
    /// </summary>
    public sealed class PinFileText
    {
        private static readonly byte[] Bom = { 0xEF, 0xBB, 0xBF };
        private static readonly UTF8Encoding Strict = new UTF8Encoding(false, true);

        public string Text { get; }
        public bool HasByteOrderMark { get; }

        public PinFileText(string text, bool hasByteOrderMark = false)
        {
            Text = text;
            HasByteOrderMark = hasByteOrderMark;
        }

        /// <summary>Decodes bytes; throws InvalidDataException when they are not UTF-8.</summary>
        public static PinFileText Decode(byte[] bytes)
        {
            bool bom = bytes.Length >= 3 && bytes[0] == Bom[0] && bytes[1] == Bom[1] && bytes[2] == Bom[2];
            int start = bom ? 3 : 0;
            try
            {
                return new PinFileText(Strict.GetString(bytes, start, bytes.Length - start), bom);
            }
            catch (DecoderFallbackException)
            {
                throw new InvalidDataException("The file is not UTF-8 text.");
            }
        }

        public byte[] Encode()
        {
            byte[] body = Strict.GetBytes(Text);
            if (!HasByteOrderMark) return body;
            var all = new byte[body.Length + 3];
            Buffer.BlockCopy(Bom, 0, all, 0, 3);
            Buffer.BlockCopy(body, 0, all, 3, body.Length);
            return all;
        }

        internal TextLines Lines() => new TextLines(Text, HasByteOrderMark ? 3 : 0);
    }
}
