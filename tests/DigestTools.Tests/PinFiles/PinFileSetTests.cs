using System.IO;
using System.Linq;
using DigestTools.Engine.PinFiles;
using Xunit;

namespace DigestTools.Tests.PinFiles
{
    /// <summary>Which files a -Path stands for, in which order and read as which format.</summary>
    public class PinFileSetTests
    {
        [Fact]
        public void AFileNamedExplicitlyIsReadWhateverItsName()
        {
            using (var folder = new EnvFileFolder())
            {
                Assert.Equal(PinFileFormat.Dockerfile, PinFileSet.Expand(folder.Write("build.txt", "FROM a\n"), false).Single().Format);
                Assert.Equal(PinFileFormat.Yaml, PinFileSet.Expand(folder.Write("stack.YML", "{}\n"), false).Single().Format);
                Assert.Equal(PinFileFormat.Dockerfile, PinFileSet.Expand(folder.Write("Containerfile", "FROM a\n"), true).Single().Format);
            }
        }

        [Fact]
        public void AFolderGivesItsPinFilesInOrdinalOrderAndItsSubfoldersOnlyWithRecurse()
        {
            using (var folder = new EnvFileFolder())
            {
                foreach (string name in new[] { "b.yaml", "Dockerfile", "README.md", "a.yml", "sub/Dockerfile", "sub/deep/k.yaml",
                    ".git/Dockerfile", "node_modules/x/compose.yaml", "a-sub/c.Containerfile" })
                    folder.Write(name, "x\n");

                string Row((string Path, PinFileFormat Format) file) => $"{Path.GetRelativePath(folder.Path, file.Path).Replace('\\', '/')}|{file.Format}";
                Assert.Equal(new[] { "Dockerfile|Dockerfile", "a.yml|Yaml", "b.yaml|Yaml" },
                    PinFileSet.Expand(folder.Path, false).Select(Row));
                Assert.Equal(new[] { "Dockerfile|Dockerfile", "a.yml|Yaml", "b.yaml|Yaml", "a-sub/c.Containerfile|Dockerfile",
                    "sub/Dockerfile|Dockerfile", "sub/deep/k.yaml|Yaml" },
                    PinFileSet.Expand(folder.Path, true).Select(Row));
            }
        }
    }
}
