using System.IO;
using System.Linq;
using DigestTools.Engine.PinFiles;
using Xunit;
using static DigestTools.Tests.PinFiles.PinFileTestText;

namespace DigestTools.Tests.PinFiles
{
    /// <summary>Decoding keeps a file's bytes: a byte-order mark aside, UTF-8 only, lines and columns from the text.</summary>
    public class PinFileTextTests
    {
        [Fact]
        public void AFileOfOnlyAByteOrderMarkIsEmptyTextWithTheMark()
        {
            var file = PinFileText.Decode(new byte[] { 0xEF, 0xBB, 0xBF });
            Assert.Equal("", file.Text);
            Assert.True(file.HasByteOrderMark);
            Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, file.Encode());
        }

        [Theory]
        [InlineData("\uFEC0x")]   // EF BB 80: the mark's first two bytes only
        [InlineData("\uFFBFx")]   // EF BF BF: its first and last
        [InlineData("\u0FFF")]    // E0 BF BF
        [InlineData("ab")]
        [InlineData("")]
        public void TextThatOnlyLooksLikeAMarkIsText(string text)
        {
            var file = PinFileText.Decode(Utf8(text));
            Assert.Equal(text, file.Text);
            Assert.False(file.HasByteOrderMark);
            Assert.Equal(Utf8(text), file.Encode());
        }

        [Fact]
        public void InvalidUtf8IsRefusedWithItsReason()
        {
            var refused = Assert.Throws<InvalidDataException>(() => PinFileText.Decode(new byte[] { 0xEF, 0xBB, 0xBF, 0xC3 }));
            Assert.Equal("The file is not UTF-8 text.", refused.Message);
        }

        [Fact]
        public void AReferenceThatStartsALineIsAtColumnOne()
        {
            var sites = PinFileFormats.Find(PinFileFormat.Dockerfile, new PinFileText("FROM a:1\nFROM --platform=linux/arm64 \\\nb:2\n"));
            Assert.Equal(new[] { "a:1|1|6|5|3", "b:2|3|1|39|3" }, sites.Select(s => $"{s.Text}|{s.Line}|{s.Column}|{s.ByteOffset}|{s.ByteLength}"));
        }
    }
}
