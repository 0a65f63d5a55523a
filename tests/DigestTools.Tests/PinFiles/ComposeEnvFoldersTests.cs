using System.IO;
using DigestTools.Engine.Errors;
using DigestTools.Engine.PinFiles;
using Xunit;

namespace DigestTools.Tests.PinFiles
{
    /// <summary>The .env a Compose file reads: its own folder's, one snapshot per call, its failure named per file.</summary>
    public class ComposeEnvFoldersTests
    {
        [Fact]
        public void ReadsTheEnvFileBesideTheComposeFileOnly()
        {
            using (var folder = new EnvFileFolder())
            {
                folder.Write(".env", "TAG=outer\n");
                folder.Write("sub/compose.yaml", "services: {}\n");
                var envFiles = new ComposeEnvFolders();
                Assert.Equal("outer", envFiles.For(folder.File("compose.yaml"))()["TAG"]);
                Assert.Empty(envFiles.For(folder.File("sub/compose.yaml"))());
            }
        }

        [Fact]
        public void TheComposeFilesOfAFolderShareOneReadingPerCall()
        {
            using (var folder = new EnvFileFolder())
            {
                folder.Write(".env", "TAG=1\n");
                var call = new ComposeEnvFolders();
                Assert.Equal("1", call.For(folder.File("a.yaml"))()["TAG"]);
                folder.Write(".env", "TAG=2\n");
                Assert.Equal("1", call.For(folder.File("b.yaml"))()["TAG"]);
                Assert.Equal("2", new ComposeEnvFolders().For(folder.File("b.yaml"))()["TAG"]);   // the next call reads it again
            }
        }

        [Fact]
        public void AnUnreadableEnvFileFailsEachComposeFileOfItsFolderByName()
        {
            using (var folder = new EnvFileFolder())
            {
                folder.Write(".env", "TAG=1\n");
                var call = new ComposeEnvFolders();
                using (folder.Lock())
                {
                    foreach (string name in new[] { "a.yaml", "b.yaml" })
                    {
                        string compose = folder.File(name);
                        var failure = Assert.Throws<FailureException>(() => call.For(compose)());
                        Assert.Equal(ErrorCatalog.PinFileUnreadable, failure.Kind);
                        Assert.StartsWith($"Cannot read the .env file beside {compose}: ", failure.Message);
                        Assert.IsAssignableFrom<IOException>(failure.InnerException);
                    }
                }
            }
        }
    }
}
